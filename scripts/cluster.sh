#!/usr/bin/env bash
# `make cluster`: the production topology on loopback (nginx, 2 web apps, 2 Rasa servers,
# 2 action servers, PostgreSQL, Redis, the care-team app); see scripts/local_cluster.py and
# docs/deployment.md. Options: --rasa N --actions N --web N --dir DIR. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/ensure_cluster_tools.sh
exec .venv/bin/python scripts/local_cluster.py "$@"
