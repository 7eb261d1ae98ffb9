{{/* The Coordinator: submissions, run and barrier sagas (PostgreSQL saga store); runs `nuplanbus serve`. */}}
{{- define "nuplanbus.coordinator.context" -}}
{{- $v := .Values.coordinator -}}
{{- $config := merge (dict
      "Coordinator__PartitionDeadline" (include "nuplanbus.timeSpan" $v.partitionDeadlineSeconds)
      "Coordinator__MaxPartitionAttempts" ($v.maxPartitionAttempts | toString))
      (include "nuplanbus.shutdownConfig" (sub (int $v.terminationGracePeriodSeconds) 10) | fromYaml) -}}
{{- toYaml (dict "component" "coordinator" "repository" $v.repository "args" (list "serve")
      "config" (toYaml $config) "replicas" $v.replicas
      "terminationGracePeriodSeconds" $v.terminationGracePeriodSeconds
      "nodeSelector" $v.nodeSelector "tolerations" $v.tolerations
      "sagaStore" true "rabbitMq" true "postgres" true "s3" true "management" true) -}}
{{- end -}}
