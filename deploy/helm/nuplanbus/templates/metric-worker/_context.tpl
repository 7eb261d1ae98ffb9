{{/* MetricWorkers: compute metrics from simulation logs (live callbacks and offline re-computation). */}}
{{- define "nuplanbus.metricWorker.context" -}}
{{- $v := .Values.metricWorker -}}
{{- $config := merge (dict "MetricWorker__ConcurrentScenarios" ($v.concurrentScenarios | toString))
      (include "nuplanbus.shutdownConfig" (sub (int $v.terminationGracePeriodSeconds) 10) | fromYaml) -}}
{{- toYaml (dict "component" "metric-worker" "repository" $v.repository
      "config" (toYaml $config) "replicas" $v.replicas
      "terminationGracePeriodSeconds" $v.terminationGracePeriodSeconds
      "nodeSelector" $v.nodeSelector "tolerations" $v.tolerations
      "sagaStore" false "rabbitMq" true "postgres" false "s3" true "management" true) -}}
{{- end -}}
