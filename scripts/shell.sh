#!/usr/bin/env bash
# Talk to the assistant in the terminal (starts the action server in the background).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
.venv/bin/python -m bot.runtime.cli migrate >/dev/null
.venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" >/dev/null 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT
echo "Type /start to begin, Ctrl-D to stop."
.venv/bin/rasa shell --model models/werk-intake.tar.gz --endpoints "$RASA_ENDPOINTS"
