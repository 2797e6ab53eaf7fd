{{/* Names, labels and the pieces every Tessera pod shares. */}}

{{- define "tessera.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tessera.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "tessera.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "tessera.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of one component: call with (dict "root" $ "component" "web"). */}}
{{- define "tessera.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: tessera
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "tessera.selectorLabels" . }}
{{- end -}}

{{- define "tessera.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tessera.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "tessera.image" -}}
{{- $image := .Values.image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "tessera.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tessera.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* TESSERA_BASE_URL: as configured, else the ingress host. */}}
{{- define "tessera.baseUrl" -}}
{{- if .Values.settings.baseUrl -}}
{{- .Values.settings.baseUrl -}}
{{- else if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* Each credential's value under .Values.secrets and the variable it becomes. */}}
{{- define "tessera.secretVariables" -}}
databaseUrl: TESSERA_DATABASE_URL
secretKey: TESSERA_SECRET_KEY
brokerUrl: TESSERA_BROKER_URL
appDbPassword: TESSERA_APP_DB_PASSWORD
appDatabaseUrl: TESSERA_APP_DATABASE_URL
dispatchDatabaseUrl: TESSERA_DISPATCH_DATABASE_URL
smtpUrl: TESSERA_SMTP_URL
metricsToken: TESSERA_METRICS_TOKEN
s3AccessKey: TESSERA_STORAGE_S3_ACCESS_KEY
s3SecretKey: TESSERA_STORAGE_S3_SECRET_KEY
otlpHeaders: OTEL_EXPORTER_OTLP_HEADERS
{{- end -}}

{{/* A secretKeyRef: call with (dict "root" $ "ref" .Values.secrets.databaseUrl). */}}
{{- define "tessera.secretKeyRef" -}}
secretKeyRef:
  name: {{ default .root.Values.secrets.name .ref.name | quote }}
  key: {{ .ref.key | quote }}
{{- end -}}

{{/* The environment of a process: call with (dict "root" $ "component" "web"). */}}
{{- define "tessera.env" -}}
{{- $values := .root.Values -}}
{{- $s3 := $values.storage.s3 -}}
{{- if ne (empty $values.secrets.s3AccessKey.key) (empty $values.secrets.s3SecretKey.key) -}}
{{- fail "secrets.s3AccessKey and secrets.s3SecretKey go together: set both keys, or neither to use the pod's own credentials" -}}
{{- end -}}
{{- range $value, $variable := include "tessera.secretVariables" . | fromYaml }}
{{- $ref := index $values.secrets $value }}
{{- if $ref.key }}
- name: {{ $variable }}
  valueFrom:
    {{- include "tessera.secretKeyRef" (dict "root" $.root "ref" $ref) | nindent 4 }}
{{- end }}
{{- end }}
- name: TESSERA_ENV
  value: production
- name: TESSERA_LOG_LEVEL
  value: {{ $values.settings.logLevel | quote }}
- name: TESSERA_LOG_JSON
  value: {{ $values.settings.logJson | quote }}
- name: TESSERA_DB_POOL_SIZE
  value: {{ $values.settings.dbPoolSize | quote }}
{{- with include "tessera.baseUrl" .root }}
- name: TESSERA_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- with $values.settings.trustedProxies }}
- name: TESSERA_TRUSTED_PROXIES
  value: {{ join "," . | quote }}
{{- end }}
{{- with $values.settings.mailFrom }}
- name: TESSERA_MAIL_FROM
  value: {{ . | quote }}
{{- end }}
{{- with $values.settings.appDbRole }}
- name: TESSERA_APP_DB_ROLE
  value: {{ . | quote }}
{{- end }}
{{- with $values.settings.queuePrefix }}
- name: TESSERA_QUEUE_PREFIX
  value: {{ . | quote }}
{{- end }}
{{- if eq $values.storage.type "s3" }}
- name: TESSERA_STORAGE_S3_BUCKET
  value: {{ $s3.bucket | quote }}
- name: TESSERA_STORAGE_S3_REGION
  value: {{ $s3.region | quote }}
{{- with $s3.endpoint }}
- name: TESSERA_STORAGE_S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with $s3.prefix }}
- name: TESSERA_STORAGE_S3_PREFIX
  value: {{ . | quote }}
{{- end }}
{{- else }}
- name: TESSERA_STORAGE_DIR
  value: {{ $values.storage.volume.mountPath | quote }}
{{- end }}
{{- with $values.tracing.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ $values.tracing.serviceName | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "tessera.component=%s,k8s.namespace.name=%s" $.component $.root.Release.Namespace | quote }}
{{- end }}
{{- range $name, $value := $values.settings.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every Tessera pod. */}}
{{- define "tessera.podSpecCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.securityContext.runAsUser }}
  runAsGroup: {{ .Values.securityContext.runAsGroup }}
  fsGroup: {{ .Values.securityContext.fsGroup }}
  fsGroupChangePolicy: OnRootMismatch
  seccompProfile:
    type: RuntimeDefault
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The container securityContext: the root filesystem is read-only, /tmp is an emptyDir. */}}
{{- define "tessera.containerSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.securityContext.runAsUser }}
  runAsGroup: {{ .Values.securityContext.runAsGroup }}
  readOnlyRootFilesystem: true
  allowPrivilegeEscalation: false
  privileged: false
  capabilities:
    drop:
      - ALL
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{- define "tessera.pvcName" -}}
{{- default (printf "%s-files" (include "tessera.fullname" .)) .Values.storage.volume.existingClaim -}}
{{- end -}}

{{/* Volumes: call with (dict "root" $ "files" true) where the process reads or writes files. */}}
{{- define "tessera.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .root.Values.tmpSizeLimit }}
{{- if and .files (eq .root.Values.storage.type "volume") }}
  - name: files
    persistentVolumeClaim:
      claimName: {{ include "tessera.pvcName" .root }}
{{- end }}
{{- end -}}

{{- define "tessera.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- if and .files (eq .root.Values.storage.type "volume") }}
  - name: files
    mountPath: {{ .root.Values.storage.volume.mountPath }}
{{- end }}
{{- end -}}

{{- define "tessera.podAnnotations" -}}
{{- with .root.Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- if and (eq .component "web") .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .root.Values.web.port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{/* NetworkPolicy egress: everything, or DNS plus the configured rules. */}}
{{- define "tessera.egress" -}}
{{- if .allowAll }}
egress:
  - {}
{{- else }}
egress:
  # Name lookups (the cluster DNS), whatever else is allowed.
  - ports:
      - port: 53
        protocol: UDP
      - port: 53
        protocol: TCP
  {{- with .rules }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
{{- end -}}
