#!/usr/bin/env bash
# Measures the protection-rule app's memory (resident set, VmRSS/VmHWM) idle and under 8 concurrent 10 MB unsigned
# posts, on loopback only. Usage: samples/ProtectionRuleApp/measure-memory.sh   (after dotnet build of the sample)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dll="$here/bin/Debug/net10.0/ProtectionRuleApp.dll"
port="${PORT:-5099}"
export ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production
export MLENV_MEASURE_SECRET="measure-secret" MlEnvironments__ProtectionRule__WebhookSecretVariable=MLENV_MEASURE_SECRET
export GITHUB_TOKEN="unused-for-this-measurement" MlEnvironments__GitHub__Authentication=PersonalAccessToken
cd "$(dirname "$dll")"
dotnet "$dll" >/tmp/protection-rule-app.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port/" >/dev/null
sleep 3
rss() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }
idle=$(rss)
head -c $((10 * 1024 * 1024)) /dev/zero > /tmp/protection-rule-10mb.bin
codes=$(mktemp)
peak=$idle
for i in $(seq 1 8); do
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' -H 'X-GitHub-Event: deployment_protection_rule' \
    --data-binary @/tmp/protection-rule-10mb.bin "http://127.0.0.1:$port/webhooks/github" >>"$codes" &
done
while [ "$(jobs -rp | grep -v "^$pid$" | wc -l)" -gt 0 ]; do now=$(rss); [ "$now" -gt "$peak" ] && peak=$now; sleep 0.05; done
after=$(rss)
hwm=$(awk '/^VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
echo "idle ${idle} MB; peak during 8 concurrent 10 MB unsigned posts ${peak} MB (VmHWM ${hwm} MB); after ${after} MB; answers: $(sort "$codes" | uniq -c | tr -s ' \n' ' ')"

# The same posts with a (wrong) signature, chunked (no Content-Length): read up to the 1 MB limit, then 413.
: >"$codes"
for i in $(seq 1 8); do
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' -H 'X-GitHub-Event: deployment_protection_rule' \
    -H "X-Hub-Signature-256: sha256=$(printf '0%.0s' $(seq 1 64))" -H 'Transfer-Encoding: chunked' \
    --data-binary @/tmp/protection-rule-10mb.bin "http://127.0.0.1:$port/webhooks/github" >>"$codes" &
done
while [ "$(jobs -rp | grep -v "^$pid$" | wc -l)" -gt 0 ]; do now=$(rss); [ "$now" -gt "$peak" ] && peak=$now; sleep 0.05; done
hwm=$(awk '/^VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
echo "then 8 concurrent 10 MB signed chunked posts: peak ${peak} MB (VmHWM ${hwm} MB); answers: $(sort "$codes" | uniq -c | tr -s ' \n' ' ')"
