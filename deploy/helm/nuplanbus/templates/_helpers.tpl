{{/*
Names and labels. Every object carries the standard app.kubernetes.io labels; selectors use the stable subset
(name, instance, component) so an upgrade never changes a Deployment's immutable selector.
*/}}

{{- define "nuplanbus.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "nuplanbus.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a component's objects: <fullname>-<component>, within the 63-character label limit. */}}
{{- define "nuplanbus.componentName" -}}
{{- printf "%s-%s" (include "nuplanbus.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "nuplanbus.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The image tag: image.tag, else the appVersion. Never "latest": a moving tag makes rollouts unreproducible. */}}
{{- define "nuplanbus.imageTag" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag | toString -}}
{{- if contains "latest" $tag -}}
{{- fail (printf "image tag %q is not allowed: pin a version" $tag) -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{/* Full image reference for a repository under image.registry. Call with (dict "root" $ "repository" "…"). */}}
{{- define "nuplanbus.image" -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .repository (include "nuplanbus.imageTag" .root) -}}
{{- end -}}

{{/* Selector labels of a component. Call with (dict "root" $ "component" "…"). */}}
{{- define "nuplanbus.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nuplanbus.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* All standard labels of a component. Call with (dict "root" $ "component" "…"). */}}
{{- define "nuplanbus.labels" -}}
{{ include "nuplanbus.selectorLabels" . }}
app.kubernetes.io/version: {{ include "nuplanbus.imageTag" .root | quote }}
app.kubernetes.io/part-of: nuplanbus
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "nuplanbus.chart" .root }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "nuplanbus.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "nuplanbus.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* A TimeSpan string ([d.]hh:mm:ss) for .NET configuration from a number of seconds. */}}
{{- define "nuplanbus.timeSpan" -}}
{{- $s := int . -}}
{{- $days := div $s 86400 -}}
{{- if gt $days 0 -}}{{ printf "%d." $days }}{{- end -}}
{{- printf "%02d:%02d:%02d" (mod (div $s 3600) 24) (mod (div $s 60) 60) (mod $s 60) -}}
{{- end -}}

{{/*
Graceful shutdown, from the outside in: the kubelet kills the pod after terminationGracePeriodSeconds; the .NET host
gives its services ShutdownTimeoutSeconds (.NET's shutdownTimeoutSeconds key); MassTransit lets in-flight messages
finish for Bus:StopTimeout, 5 s less, then hands unfinished ones back to the broker. Call with the host's seconds.
*/}}
{{- define "nuplanbus.shutdownConfig" -}}
{{- $host := int . -}}
ShutdownTimeoutSeconds: {{ $host | toString | quote }}
Bus__StopTimeout: {{ include "nuplanbus.timeSpan" (sub $host 5) | quote }}
{{- end -}}

{{/*
Configuration every service shares, as .NET environment variables (section__key). Call with the root context.
Credentials are not here: they come from Secrets in "nuplanbus.secretEnv".
*/}}
{{- define "nuplanbus.commonConfig" -}}
Bus__Transport: RabbitMq
Bus__RabbitMq__Host: {{ .Values.rabbitMq.host | quote }}
Bus__RabbitMq__Port: {{ .Values.rabbitMq.port | quote }}
Bus__RabbitMq__VirtualHost: {{ .Values.rabbitMq.virtualHost | quote }}
Bus__RabbitMq__UseTls: {{ .Values.rabbitMq.useTls | quote }}
{{ include "nuplanbus.storageConfig" . }}
{{- end -}}

{{/* Management endpoint, logging, S3 and the on-disk locations; shared by the services and the batch Job. */}}
{{- define "nuplanbus.storageConfig" -}}
Management__Port: {{ .Values.managementPort | quote }}
Logging__Format: {{ .Values.logFormat | quote }}
{{- with .Values.s3.serviceUrl }}
Storage__S3__ServiceUrl: {{ . | quote }}
{{- end }}
Storage__S3__Region: {{ .Values.s3.region | quote }}
Storage__S3__ForcePathStyle: {{ .Values.s3.forcePathStyle | quote }}
Storage__LogDatabaseCache__Directory: /data/log-cache
TMPDIR: /tmp
{{- end -}}

{{/* Environment from existing Secrets. Call with (dict "root" $ "rabbitMq" bool "sagaStore" bool). */}}
{{- define "nuplanbus.secretEnv" -}}
{{- $v := .root.Values -}}
{{- if .rabbitMq }}
- name: Bus__RabbitMq__Username
  valueFrom:
    secretKeyRef:
      name: {{ $v.rabbitMq.existingSecret }}
      key: {{ $v.rabbitMq.usernameKey }}
- name: Bus__RabbitMq__Password
  valueFrom:
    secretKeyRef:
      name: {{ $v.rabbitMq.existingSecret }}
      key: {{ $v.rabbitMq.passwordKey }}
{{- end }}
{{- if .sagaStore }}
- name: SagaStore__Provider
  value: Postgres
- name: SagaStore__ConnectionString
  valueFrom:
    secretKeyRef:
      name: {{ $v.sagaStore.existingSecret }}
      key: {{ $v.sagaStore.connectionStringKey }}
{{- end }}
{{- with $v.s3.credentials.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.s3.credentials.accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.s3.credentials.secretAccessKeyKey }}
{{- end }}
{{- end -}}

{{/* Pod-level security: non-root, the image's app user, the runtime's default seccomp profile. */}}
{{- define "nuplanbus.podSecurityContext" -}}
runAsNonRoot: true
{{- with .Values.podSecurityContext.runAsUser }}
runAsUser: {{ . }}
{{- end }}
{{- with .Values.podSecurityContext.runAsGroup }}
runAsGroup: {{ . }}
{{- end }}
{{- with .Values.podSecurityContext.fsGroup }}
fsGroup: {{ . }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "nuplanbus.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
The only writable places: /tmp and /data (caches), and for the services the shared runs volume when one is set.
Call with (dict "root" $ "sizeLimit" <the service's dataVolumeSizeLimit> "runs" <whether it mounts the runs volume>).
*/}}
{{- define "nuplanbus.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
- name: data
  emptyDir:
    sizeLimit: {{ .sizeLimit }}
{{- if and .runs .root.Values.runsVolume.existingClaim }}
- name: runs
  persistentVolumeClaim:
    claimName: {{ .root.Values.runsVolume.existingClaim }}
{{- end }}
{{- end -}}

{{/* Call with (dict "root" $ "runs" <whether it mounts the runs volume>). */}}
{{- define "nuplanbus.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /data
{{- if and .runs .root.Values.runsVolume.existingClaim }}
- name: runs
  mountPath: {{ .root.Values.runsVolume.mountPath }}
{{- end }}
{{- end -}}

{{- define "nuplanbus.probes" -}}
startupProbe:
  httpGet:
    path: /health/live
    port: management
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /health/live
    port: management
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /health/ready
    port: management
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}
