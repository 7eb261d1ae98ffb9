{{/*
SimWorkers: simulate scenario partitions, on CPU or (gpu.enabled) on CUDA with GPUs requested from the node.
A terminating pod may finish its in-flight partitions: grace = partitionTimeoutSeconds + shutdownMarginSeconds; the
host's shutdown timeout ends halfway through the margin (the bus's 5 s before it, still after the longest partition),
so the process exits before the kubelet kills it.
*/}}
{{- define "nuplanbus.simWorker.context" -}}
{{- $v := .Values.simWorker -}}
{{- $gpu := $v.gpu -}}
{{- $grace := add (int $v.partitionTimeoutSeconds) (int $v.shutdownMarginSeconds) -}}
{{- $config := merge (dict
      "SimWorker__ConcurrentPartitions" ($v.concurrentPartitions | toString)
      "SimWorker__Device" (ternary "cuda" "cpu" $gpu.enabled)
      "Storage__LogDatabaseCache__MaxBytes" ($v.logDatabaseCacheMaxBytes | int64 | toString))
      (include "nuplanbus.shutdownConfig" (add (int $v.partitionTimeoutSeconds) (div (int $v.shutdownMarginSeconds) 2)) | fromYaml) -}}
{{- $ctx := dict "component" "sim-worker" "repository" $v.repository
      "config" (toYaml $config) "replicas" $v.replicas
      "terminationGracePeriodSeconds" $grace
      "nodeSelector" $v.nodeSelector "tolerations" $v.tolerations
      "sagaStore" false "rabbitMq" true "postgres" false "s3" true "management" true -}}
{{- if .Values.keda.enabled -}}
{{- /* KEDA's HPA owns the replica count; rendering one would reset it on every upgrade. */ -}}
{{- $_ := unset $ctx "replicas" -}}
{{- end -}}
{{- if $gpu.enabled -}}
{{- $_ := set $ctx "repository" $gpu.repository -}}
{{- $_ := set $ctx "extraResources" (dict "nvidia.com/gpu" $gpu.count) -}}
{{- $_ := set $ctx "nodeSelector" (merge (deepCopy (default (dict) $v.nodeSelector)) $gpu.nodeSelector) -}}
{{- $_ := set $ctx "tolerations" (concat (default (list) $v.tolerations) (default (list) $gpu.tolerations)) -}}
{{- with $gpu.runtimeClassName -}}
{{- $_ := set $ctx "runtimeClassName" . -}}
{{- end -}}
{{- end -}}
{{- toYaml $ctx -}}
{{- end -}}
