#!/usr/bin/env bash
# Throwaway PostgreSQL server for the storage and web tests.
#
#   scripts/postgres_test_server.sh [start]   print a postgresql+psycopg2:// URL on stdout
#   scripts/postgres_test_server.sh stop      stop the server and delete its files
#   scripts/postgres_test_server.sh url       print the URL of the running server
#
# If TEST_DATABASE_URL is set, `start` just prints it (nothing is started or stopped).
# Otherwise: install PostgreSQL if no server binary exists (Debian, needs root), create a
# cluster in a temporary directory owned by an unprivileged user (root cannot run
# postgres), listen on 127.0.0.1 on a free port with a random password, create the
# database `werk_test` (port: $WERK_PG_PORT, else a free one). State lives in
# $WERK_PG_TEST_DIR (default /tmp/werk-pg-test-$UID).
# All progress goes to stderr; stdout carries only the URL.
set -euo pipefail

STATE_DIR="${WERK_PG_TEST_DIR:-/tmp/werk-pg-test-$(id -u)}"
DB_NAME="werk_test"
DB_USER="werk_test"

log() { echo "postgres_test_server: $*" >&2; }

find_bindir() {
  local candidate
  if command -v pg_config >/dev/null 2>&1; then
    candidate="$(pg_config --bindir 2>/dev/null || true)"
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then echo "$candidate"; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then echo "$candidate"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"; return 0
  fi
  return 1
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ]; then
    log "no PostgreSQL server found and not root: install postgresql or set TEST_DATABASE_URL"
    exit 1
  fi
  log "installing PostgreSQL (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends postgresql >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
  fi
}

# Who runs the server: ourselves, or (as root) the unprivileged `postgres` user.
run_as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PG_OWNER" -- "$@"
  else
    "$@"
  fi
}

pick_owner() {
  if [ "$(id -u)" -ne 0 ]; then PG_OWNER="$(id -un)"; return; fi
  if id postgres >/dev/null 2>&1; then PG_OWNER=postgres; return; fi
  PG_OWNER=werkpgtest
  if ! id "$PG_OWNER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OWNER"
  fi
}

free_port() {
  local py
  py="$(command -v python3 || command -v python)"
  "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_running() {
  [ -f "$STATE_DIR/url" ] && [ -f "$STATE_DIR/data/postmaster.pid" ] || return 1
  local bindir
  bindir="$(cat "$STATE_DIR/bindir")"
  pick_owner
  run_as "$bindir/pg_ctl" -D "$STATE_DIR/data" status >/dev/null 2>&1
}

start() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    echo "$TEST_DATABASE_URL"; return 0
  fi
  if is_running; then
    log "already running"
    cat "$STATE_DIR/url"; return 0
  fi
  rm -rf "$STATE_DIR"
  local bindir
  bindir="$(find_bindir)" || { install_postgres; bindir="$(find_bindir)"; }
  pick_owner
  local port password
  port="${WERK_PG_PORT:-$(free_port)}"
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  mkdir -p "$STATE_DIR/sock"
  chmod 700 "$STATE_DIR"
  umask 077
  printf '%s\n' "$password" > "$STATE_DIR/pwfile"
  echo "$bindir" > "$STATE_DIR/bindir"
  chown -R "$PG_OWNER" "$STATE_DIR"
  log "initdb in $STATE_DIR as $PG_OWNER ($bindir)"
  run_as "$bindir/initdb" -D "$STATE_DIR/data" -U "$DB_USER" --pwfile="$STATE_DIR/pwfile" \
    -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$STATE_DIR/initdb.log" 2>&1 \
    || run_as "$bindir/initdb" -D "$STATE_DIR/data" -U "$DB_USER" --pwfile="$STATE_DIR/pwfile" \
    -A scram-sha-256 -E UTF8 --no-locale >"$STATE_DIR/initdb.log" 2>&1 \
    || { cat "$STATE_DIR/initdb.log" >&2; exit 1; }
  run_as "$bindir/pg_ctl" -D "$STATE_DIR/data" -l "$STATE_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE_DIR/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >&2 || { cat "$STATE_DIR/server.log" >&2; exit 1; }
  printf '127.0.0.1:%s:*:%s:%s\n' "$port" "$DB_USER" "$password" > "$STATE_DIR/pgpass"
  chown "$PG_OWNER" "$STATE_DIR/pgpass"
  run_as env PGPASSFILE="$STATE_DIR/pgpass" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"
  local url="postgresql+psycopg2://$DB_USER:$password@127.0.0.1:$port/$DB_NAME"
  echo "$url" > "$STATE_DIR/url"
  chown "$PG_OWNER" "$STATE_DIR/url"
  log "running on 127.0.0.1:$port (stop: $0 stop)"
  echo "$url"
}

stop() {
  if [ -n "${TEST_DATABASE_URL:-}" ] && [ ! -d "$STATE_DIR" ]; then return 0; fi
  if [ -f "$STATE_DIR/bindir" ] && [ -d "$STATE_DIR/data" ]; then
    pick_owner
    run_as "$(cat "$STATE_DIR/bindir")/pg_ctl" -D "$STATE_DIR/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$STATE_DIR"
  log "stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  url) if is_running; then cat "$STATE_DIR/url"; else log "not running"; exit 1; fi ;;
  *) echo "usage: $0 [start|stop|url]" >&2; exit 2 ;;
esac
