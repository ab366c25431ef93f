# Common environment for every project command (sourced by the Makefile's scripts).
export RASA_TELEMETRY_ENABLED=false
export PYTHONPATH="${PWD}${PYTHONPATH:+:$PYTHONPATH}"
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"           # action server: localhost only
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export WEB_PORT="${WEB_PORT:-8080}"          # patient chat and own copy
export CARETEAM_PORT="${CARETEAM_PORT:-8081}" # care-team pages and API (internal network only)
# Rasa's Sanic reads SANIC_*: bodies over 1 MiB get 413 before they are read.
export SANIC_REQUEST_MAX_SIZE="${SANIC_REQUEST_MAX_SIZE:-1048576}"
# The action server accepts only calls with this secret (Rasa sends it; see docs/security.md).
# Without one configured, each shell makes a fresh random one for the processes it starts.
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
export RASA_URL="${RASA_URL:-http://127.0.0.1:${RASA_PORT}}"
export TF_DETERMINISTIC_OPS=1   # with PYTHONHASHSEED: identical models from identical data (CI must not flicker)
export PYTHONHASHSEED=0
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_ENDPOINTS="$(.venv/bin/python -m bot.runtime.rasa_endpoints)"
