{{/*
Names and labels. A component's objects are named <fullname>-<component>: faro-ingest, faro-gateway, ... for a
release called faro, so that the names terraform's IAM roles and docs use are predictable.
*/}}
{{- define "faro.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "faro.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The name of one component's objects. Takes (dict "root" $ "id" "ingest"). */}}
{{- define "faro.componentName" -}}
{{- printf "%s-%s" (include "faro.fullname" .root) .id | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "faro.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: faro
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* What selects one component's pods. Takes (dict "root" $ "id" "ingest"). */}}
{{- define "faro.selectorLabels" -}}
app.kubernetes.io/name: {{ include "faro.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .id }}
{{- end }}

{{- define "faro.labels" -}}
{{ include "faro.selectorLabels" . }}
{{ include "faro.commonLabels" .root }}
{{- end }}

{{/* Labels of objects that belong to the release as a whole (rules, dashboards). */}}
{{- define "faro.releaseLabels" -}}
app.kubernetes.io/name: {{ include "faro.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ include "faro.commonLabels" . }}
{{- end }}

{{/*
What each component is, as FARO defines it (io.faro.core.Component and io.faro.core.kafka.KafkaIds): the topic it
consumes, its consumer group (its Kafka Streams application id), the key of its topic's partitions under
kafka.partitions, the stores it opens, and whether it embeds (ingest passages, the sinks records of a model their
store no longer holds, the gateway questions). The tests in deploy/ fail when these drift from FARO's own.
*/}}
{{- define "faro.facts" -}}
ingest:
  topic: faro.documents
  group: faro-ingest
  partitions: documents
  postgres: false
  qdrant: false
  gateway: false
  embeds: true
  s3: true
sink-pgvector:
  topic: faro.embeddings
  group: faro-sink-pgvector
  partitions: embeddings
  postgres: true
  qdrant: false
  gateway: false
  embeds: true
sink-qdrant:
  topic: faro.embeddings
  group: faro-sink-qdrant
  partitions: embeddings
  postgres: false
  qdrant: true
  gateway: false
  embeds: true
gateway:
  postgres: true
  qdrant: true
  gateway: true
  embeds: true
{{- end }}

{{/* The components, in the order FARO lists them. */}}
{{- define "faro.componentIds" -}}
ingest sink-pgvector sink-qdrant gateway
{{- end }}

{{- define "faro.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The port a component serves health and metrics on: the gateway's own, or the management port. */}}
{{- define "faro.portName" -}}
{{- if eq .id "gateway" }}http{{ else }}metrics{{ end }}
{{- end }}

{{- define "faro.portNumber" -}}
{{- if eq .id "gateway" }}{{ .root.Values.ports.http }}{{ else }}{{ .root.Values.ports.metrics }}{{ end }}
{{- end }}

{{/*
Whether a component analyses keyword terms (FARO_KEYWORD_LANGUAGE): every one that opens a store, as the sinks write
each chunk's terms and the gateway searches with the question's. They must agree, so all get search.keywordLanguage.
*/}}
{{- define "faro.analysesKeywords" -}}
{{- $facts := index (include "faro.facts" .root | fromYaml) .id }}
{{- if or $facts.postgres $facts.qdrant }}true{{ end }}
{{- end }}

{{/* Whether a component talks to Qdrant: the sink always, the gateway when Qdrant is configured. */}}
{{- define "faro.usesQdrant" -}}
{{- $facts := index (include "faro.facts" .root | fromYaml) .id }}
{{- if and $facts.qdrant .root.Values.qdrant.url }}true{{ end }}
{{- end }}

{{- define "faro.clusterCaSecret" -}}
{{- printf "%s-cluster-ca-cert" .Values.kafka.clusterName }}
{{- end }}

{{/* Where the mounted secrets are read from inside the container. */}}
{{- define "faro.paths" -}}
clusterCa: /etc/faro/kafka-cluster-ca
kafkaUser: /etc/faro/kafka-user
postgres: /etc/faro/postgres
postgresCa: /etc/faro/postgres-ca
qdrant: /etc/faro/qdrant
llmApiKey: /etc/faro/llm-api-key
llmHeaders: /etc/faro/llm-headers
llmFallback: /etc/faro/llm-fallback
rerankApiKey: /etc/faro/rerank-api-key
embeddingApiKey: /etc/faro/embedding-api-key
embeddingHeaders: /etc/faro/embedding-headers
apiKeys: /etc/faro/api-keys
{{- end }}

{{/*
Headers without secrets (llm.headers, embedding.headers) as FARO_*_HEADERS reads them: name=value pairs separated
by commas, a comma inside a value escaped as \,. Takes the map.
*/}}
{{- define "faro.headersValue" -}}
{{- $pairs := list }}
{{- range $name, $value := . }}
{{- $pairs = append $pairs (printf "%s=%s" $name (toString $value | replace "," "\\,")) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/*
Refuses a header in values whose name says it holds a secret. Takes (dict "where" "llm.headers" "headers" map and
"secret" the value that names the Secret for them).
*/}}
{{- define "faro.refuseSecretHeaders" -}}
{{- range $name, $value := .headers }}
{{- if regexMatch "(?i)(api-?key|authorization|token|secret|password|cookie)" $name }}
{{- fail (printf "%s.%s: a secret never goes into values; put it in the Secret %s names" $.where $name $.secret) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
How many FARO processes may embed at once with the release's settings: for each enabled component that embeds,
its replicas (1 when null), or with an autoscaler its maximum. Pods a rolling update adds for a moment are not
counted.
*/}}
{{- define "faro.embeddingProcesses" -}}
{{- $facts := include "faro.facts" . | fromYaml }}
{{- $n := 0 }}
{{- range $id := splitList " " (include "faro.componentIds" .) }}
{{- $c := index $.Values $id }}
{{- if and $c.enabled (index $facts $id).embeds }}
{{- if $c.autoscaling.enabled }}
{{- $n = add $n (coalesce $c.autoscaling.maxReplicaCount $c.autoscaling.maxReplicas) }}
{{- else if kindIs "invalid" $c.replicas }}
{{- $n = add $n 1 }}
{{- else }}
{{- $n = add $n $c.replicas }}
{{- end }}
{{- end }}
{{- end }}
{{- $n }}
{{- end }}

{{/*
What one process may use of a per-minute limit of the provider (embedding.requestsPerMinute, .tokensPerMinute), as
FARO reads it (FARO_EMBED_REQUESTS_PER_MINUTE, FARO_EMBED_TOKENS_PER_MINUTE): with embedding.limitsPer release, the
limit divided by faro.embeddingProcesses, rounded down; with process, the limit. 0 (no limit) stays 0. Takes
(dict "root" $ "limit" n).
*/}}
{{- define "faro.embeddingShare" -}}
{{- $limit := int64 .limit }}
{{- if and (gt $limit 0) (eq .root.Values.embedding.limitsPer "release") }}
{{- div $limit (max 1 (include "faro.embeddingProcesses" .root | int64)) }}
{{- else }}
{{- $limit }}
{{- end }}
{{- end }}

{{/*
A volume of one key of a Secret, readable by FARO's group only, and its read-only mount. Takes (dict "name" volume
"secret" Secret "key" its key "path" file name "mountPath" directory).
*/}}
{{- define "faro.secretFileVolume" -}}
- name: {{ .name }}
  secret:
    secretName: {{ .secret }}
    defaultMode: 288  # 0440
    items:
      - key: {{ .key }}
        path: {{ .path }}
{{- end }}

{{- define "faro.secretFileMount" -}}
- name: {{ .name }}
  mountPath: {{ .mountPath }}
  readOnly: true
{{- end }}
