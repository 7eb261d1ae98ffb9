{{/*
The object kinds every service has, parameterised by component. Each service's template set (templates/<service>/)
calls these with its own values, so the services differ only where they really do (arguments, secrets, GPU).

Common parameters (a dict):
  root       the chart's root context
  component  component name: coordinator, sim-worker, metric-worker, storage-gateway
  values     the service's values (e.g. .Values.simWorker)
*/}}

{{/* ConfigMap of a service's non-secret configuration. Extra parameter: config (a YAML string of further keys). */}}
{{- define "nuplanbus.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "nuplanbus.componentName" . }}
  labels:
    {{- include "nuplanbus.labels" . | nindent 4 }}
data:
  {{- include "nuplanbus.commonConfig" .root | nindent 2 }}
  {{- with .config }}
  {{- . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/*
Deployment of a service. Extra parameters:
  config                         the same string given to nuplanbus.configMap (its checksum rolls the pods)
  repository                     image repository under image.registry
  args                           container arguments (list)
  sagaStore                      whether the service reads the saga store connection string
  terminationGracePeriodSeconds  how long a terminating pod may take to finish its in-flight messages
  replicas                       number, or nil to leave replicas to an autoscaler
  extraEnv                       further literal env entries (list of name/value dicts)
  extraResources                 further resource requests and limits (dict), e.g. nvidia.com/gpu
  nodeSelector, tolerations      scheduling (merged service and GPU values)
  runtimeClassName               optional
*/}}
{{- define "nuplanbus.deployment" -}}
{{- $root := .root -}}
{{- $svc := .values -}}
{{- $resources := deepCopy (default (dict) $svc.resources) -}}
{{- range $name, $amount := (default (dict) .extraResources) -}}
{{- $_ := set $resources "requests" (merge (dict $name $amount) (default (dict) $resources.requests)) -}}
{{- $_ := set $resources "limits" (merge (dict $name $amount) (default (dict) $resources.limits)) -}}
{{- end -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "nuplanbus.componentName" . }}
  labels:
    {{- include "nuplanbus.labels" . | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" .replicas) }}
  replicas: {{ .replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "nuplanbus.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "nuplanbus.labels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "nuplanbus.configMap" . | sha256sum }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "nuplanbus.serviceAccountName" $root }}
      # Nothing in the services talks to the Kubernetes API; IRSA mounts its own projected token.
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: {{ .terminationGracePeriodSeconds }}
      {{- with .runtimeClassName }}
      runtimeClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- include "nuplanbus.podSecurityContext" $root | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "nuplanbus.image" (dict "root" $root "repository" .repository) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          {{- with .args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: management
              containerPort: {{ $root.Values.managementPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "nuplanbus.componentName" . }}
          {{- $env := include "nuplanbus.secretEnv" (dict "root" $root "rabbitMq" true "sagaStore" .sagaStore) | trim }}
          {{- if or $env .extraEnv $svc.extraEnv }}
          env:
            {{- with $env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with .extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $svc.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- end }}
          {{- include "nuplanbus.probes" $root | nindent 10 }}
          resources:
            {{- toYaml $resources | nindent 12 }}
          securityContext:
            {{- include "nuplanbus.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            {{- include "nuplanbus.volumeMounts" (dict "root" $root "runs" true) | nindent 12 }}
      volumes:
        {{- include "nuplanbus.volumes" (dict "root" $root "sizeLimit" $svc.dataVolumeSizeLimit "runs" true) | nindent 8 }}
      {{- with .nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* ClusterIP Service for the management port (scraping, health). */}}
{{- define "nuplanbus.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "nuplanbus.componentName" . }}
  labels:
    {{- include "nuplanbus.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "nuplanbus.selectorLabels" . | nindent 4 }}
  ports:
    - name: management
      port: {{ .root.Values.managementPort }}
      targetPort: management
      protocol: TCP
{{- end -}}

{{/* PodDisruptionBudget: voluntary evictions (node drains) take at most pdb.maxUnavailable pods at a time. */}}
{{- define "nuplanbus.pdb" -}}
{{- if .values.pdb.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "nuplanbus.componentName" . }}
  labels:
    {{- include "nuplanbus.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "nuplanbus.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}

{{/* ServiceMonitor scraping the management port's /metrics. */}}
{{- define "nuplanbus.serviceMonitor" -}}
{{- $sm := .root.Values.serviceMonitor -}}
{{- if $sm.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "nuplanbus.componentName" . }}
  labels:
    {{- include "nuplanbus.labels" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  # The alert rules and the dashboard select targets by these labels (app_kubernetes_io_part_of="nuplanbus").
  targetLabels:
    - app.kubernetes.io/part-of
    - app.kubernetes.io/component
  selector:
    matchLabels:
      {{- include "nuplanbus.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .root.Release.Namespace }}
  endpoints:
    - port: management
      path: /metrics
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
{{- end -}}
{{- end -}}

{{/*
Renders one object kind of one service: builds the service's parameters from its "nuplanbus.<service>.context"
template (templates/<service>/_context.tpl) and calls "nuplanbus.<kind>" with them.
Call with (dict "root" $ "service" "coordinator" "valuesKey" "coordinator" "kind" "deployment").
*/}}
{{- define "nuplanbus.render" -}}
{{- $ctx := include (printf "nuplanbus.%s.context" .service) .root | fromYaml -}}
{{- $_ := set $ctx "root" .root -}}
{{- $_ := set $ctx "values" (index .root.Values .valuesKey) -}}
{{- include (printf "nuplanbus.%s" .kind) $ctx -}}
{{- end -}}
