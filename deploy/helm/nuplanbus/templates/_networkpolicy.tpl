{{/*
NetworkPolicy of a component: default-deny in both directions, then only what it needs.
Parameters (a dict): root, component, rabbitMq, postgres, s3 (egress wanted), management (ingress from Prometheus).
*/}}
{{- define "nuplanbus.networkPolicy" -}}
{{- $np := .root.Values.networkPolicy -}}
{{- if $np.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "nuplanbus.componentName" . }}
  labels:
    {{- include "nuplanbus.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "nuplanbus.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  {{- if .management }}
  ingress:
    - from:
        - namespaceSelector:
            {{- toYaml $np.prometheus.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.prometheus.podSelector | nindent 12 }}
      ports:
        - port: management
          protocol: TCP
  {{- else }}
  ingress: []
  {{- end }}
  egress:
    - to:
        - namespaceSelector:
            {{- toYaml $np.dns.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.dns.podSelector | nindent 12 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- if .rabbitMq }}
    - to:
        {{- toYaml $np.rabbitMq.to | nindent 8 }}
      ports:
        - port: {{ .root.Values.rabbitMq.port }}
          protocol: TCP
    {{- end }}
    {{- if .postgres }}
    - to:
        {{- toYaml $np.postgres.to | nindent 8 }}
      ports:
        - port: {{ $np.postgres.port }}
          protocol: TCP
    {{- end }}
    {{- if .s3 }}
    - to:
        {{- toYaml $np.s3.to | nindent 8 }}
      ports:
        {{- range $np.s3.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
{{- end -}}
{{- end -}}
