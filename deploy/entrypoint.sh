#!/bin/sh
# Container entry point: one image, the role is the first argument (docs/deployment.md).
#   web       patient web app (chat, kiosk, patient's copy)     WEB_PORT, default 8080
#   careteam  care-team pages and API (its own listener)        CARETEAM_PORT, default 8081
#   rasa      Rasa server (REST channel)                        RASA_PORT, default 5005
#   actions   action server                                     ACTION_PORT, default 5055
#   migrate   database migrations (run once per release, e.g. a Kubernetes Job)
set -eu
role="${1:-web}"
[ "$#" -gt 0 ] && shift
case "$role" in
  web)
    WEB_SKIP_MIGRATE="${WEB_SKIP_MIGRATE:-1}" exec python -m bot.web "$@" ;;
  careteam)
    port="${CARETEAM_PORT:-${WEB_PORT:-8081}}"
    CARETEAM_HOST="${CARETEAM_HOST:-0.0.0.0}" CARETEAM_PORT="$port" WEB_PORT="$port" \
      WEB_SKIP_MIGRATE="${WEB_SKIP_MIGRATE:-1}" exec python -m bot.web careteam "$@" ;;
  rasa)
    endpoints="$(python -m bot.runtime.rasa_endpoints)"
    exec rasa run --model "$WERK_MODEL" --endpoints "$endpoints" --credentials credentials.yml \
      --interface 0.0.0.0 --port "${RASA_PORT:-5005}" "$@" ;;
  actions)
    exec python -m bot.runtime.action_server --actions actions --port "${ACTION_PORT:-5055}" "$@" ;;
  migrate)
    exec python -m bot.runtime.cli migrate ;;
  *)
    echo "unknown role: $role (web, careteam, rasa, actions, migrate)" >&2
    exit 2 ;;
esac
