{{/* The StorageGateway: storage control plane (existence, listing, cleanup of sync folders, retention). */}}
{{- define "nuplanbus.storageGateway.context" -}}
{{- $v := .Values.storageGateway -}}
{{- $config := include "nuplanbus.shutdownConfig" (sub (int $v.terminationGracePeriodSeconds) 10) | fromYaml -}}
{{- toYaml (dict "component" "storage-gateway" "repository" $v.repository
      "config" (toYaml $config) "replicas" $v.replicas
      "terminationGracePeriodSeconds" $v.terminationGracePeriodSeconds
      "nodeSelector" $v.nodeSelector "tolerations" $v.tolerations
      "sagaStore" false "rabbitMq" true "postgres" false "s3" true "management" true) -}}
{{- end -}}
