#!/usr/bin/env bash
# nginx and redis-server from Debian for the local cluster (make cluster, make test-cluster).
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure_cluster_tools: install ${missing[*]} (Debian packages) first" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
  || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
# The packages' own services are not used (each cluster starts its own).
for svc in nginx redis-server; do
  service "$svc" stop >/dev/null 2>&1 || true
done
