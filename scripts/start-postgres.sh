#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests (Debian's postgresql package) and
# prints the URL to export as SMP_TEST_POSTGRES_URL. initdb refuses root, so the server
# runs as the postgres user. Usage: eval "$(scripts/start-postgres.sh)"
set -euo pipefail
PORT="${SMP_PG_PORT:-5433}"
DIR="${SMP_PG_DIR:-/tmp/smp-pg-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
if ! runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chown postgres:postgres "$DIR"
  runuser -u postgres -- "$BIN/initdb" -D "$DIR" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off" -w start >&2
fi
echo "export SMP_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
