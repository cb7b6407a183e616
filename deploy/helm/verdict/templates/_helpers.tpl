{{/* The release's name, with "-verdict" unless it already says verdict: release "verdict" gives pods verdict-0, verdict-1... */}}
{{- define "verdict.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "verdict.labels" -}}
app.kubernetes.io/name: verdict
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: verdict
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* What selects the coordinator pods: fixed once installed (a StatefulSet's selector cannot change). */}}
{{- define "verdict.selector" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: coordinator
{{- end -}}

{{/* The database Secret: made by the chart when a password is given at install, else the one named. */}}
{{- define "verdict.databaseSecret" -}}
{{- if .Values.database.password -}}
{{- if not (and .Values.database.url .Values.database.username) -}}
{{- fail "database.password is given: give database.url and database.username too (or name a Secret in database.existingSecret instead)" -}}
{{- end -}}
{{- printf "%s-database" (include "verdict.fullname" .) -}}
{{- else if .Values.database.existingSecret -}}
{{- .Values.database.existingSecret -}}
{{- else -}}
{{- fail "Verdict needs a PostgreSQL: name a Secret with jdbc-url, username and password in database.existingSecret, or give database.url, database.username and database.password" -}}
{{- end -}}
{{- end -}}

{{/* The key file's Secret: made by the chart when its lines are given at install, else the one named. */}}
{{- define "verdict.apiKeysSecret" -}}
{{- if .Values.auth.apiKeys -}}
{{- printf "%s-api-keys" (include "verdict.fullname" .) -}}
{{- else if .Values.auth.existingSecret -}}
{{- .Values.auth.existingSecret -}}
{{- else -}}
{{- fail "Verdict needs its key file (docs/security.md): name a Secret holding it under api-keys in auth.existingSecret, or give its lines in auth.apiKeys (--set-file auth.apiKeys=./api-keys)" -}}
{{- end -}}
{{- end -}}

{{/* A Go duration-like setting ("500ms", "20s", "1m") in whole seconds, rounded up. */}}
{{- define "verdict.seconds" -}}
{{- $d := toString . -}}
{{- if not (regexMatch "^[0-9]+(ms|s|m)$" $d) -}}{{ fail (printf "%q: give a duration as 500ms, 20s or 1m" $d) }}
{{- else if hasSuffix "ms" $d -}}{{ div (add (trimSuffix "ms" $d | int) 999) 1000 }}
{{- else if hasSuffix "s" $d -}}{{ trimSuffix "s" $d | int }}
{{- else if hasSuffix "m" $d -}}{{ mul (trimSuffix "m" $d | int) 60 }}
{{- else -}}{{ fail (printf "%q: give a duration as 500ms, 20s or 1m" $d) }}
{{- end -}}
{{- end -}}

{{/* Callback hosts allowed: the value given, and the sample banks' own Services when they are on. */}}
{{- define "verdict.allowedHosts" -}}
{{- $hosts := list .Values.participants.allowedHosts -}}
{{- if .Values.banks.enabled -}}
{{- range .Values.banks.names -}}
{{- $hosts = append $hosts (printf "%s-%s.%s.svc" (include "verdict.fullname" $) . $.Release.Namespace) -}}
{{- end -}}
{{- end -}}
{{- join "," (compact $hosts) -}}
{{- end -}}
