#!/usr/bin/env bash
# Start the whole assistant locally: action server, Rasa server (REST channel), the patient
# web app (chat, own copy; WEB_PORT) and the care-team web app (pages and API;
# CARETEAM_PORT). All on 127.0.0.1. Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

.venv/bin/python -m bot.runtime.cli migrate >/dev/null
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap cleanup INT TERM EXIT

.venv/bin/python -m bot.runtime.action_server --actions actions --port "$ACTION_PORT" &
pids+=($!)
model=$(ls -t models/*.tar.gz | head -1)
.venv/bin/rasa run --model "$model" --endpoints "$RASA_ENDPOINTS" --credentials credentials.yml \
  --interface 127.0.0.1 --port "$RASA_PORT" ${RASA_EXTRA_ARGS:-} &
pids+=($!)
WEB_SKIP_MIGRATE=1 .venv/bin/python -m bot.web &
pids+=($!)
WEB_SKIP_MIGRATE=1 .venv/bin/python -m bot.web careteam &
pids+=($!)

for url in "http://127.0.0.1:$ACTION_PORT/health" "$RASA_URL/" "http://127.0.0.1:$WEB_PORT/healthz" \
           "http://127.0.0.1:$CARETEAM_PORT/healthz"; do
  for _ in $(seq 1 180); do
    curl -fsS "$url" >/dev/null 2>&1 && break
    sleep 1
  done
done
cat <<INFO

The assistant is running:
  Chat for patients:   http://127.0.0.1:$WEB_PORT/          (tablet: /kiosk)
  Care team:           http://127.0.0.1:$CARETEAM_PORT/zorgteam/   (API: /api/v1/...)
  REST channel:        $RASA_URL/webhooks/rest/webhook
  Action server:       http://127.0.0.1:$ACTION_PORT        (only Rasa: shared secret)
Press Ctrl-C to stop.
INFO
wait -n "${pids[@]}"
