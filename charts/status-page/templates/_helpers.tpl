{{- define "status-page.labels" -}}
app.kubernetes.io/name: status-page
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
