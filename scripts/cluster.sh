#!/usr/bin/env bash
# The cluster drill: PostgreSQL, Redis (the shared cache, when redis-server is installed),
# two app servers and HAProxy, all on 127.0.0.1, about a minute of load, one app server
# killed and one stopped gracefully in the middle; then every acknowledged write must be
# stored exactly once. docs/operations.md ("Several app servers") shows its figures.
#
#   bash scripts/cluster.sh [--duration 90] [--users 24] [--people 200]
#
# Needs Debian's postgresql and haproxy (redis-server optional; without it the cache is a
# table in PostgreSQL) and ampwork installed with the test extra (gunicorn, locust).
# CI runs it (.ci/run). Nothing is kept: the work directory is removed at the end, unless
# AMPWORK_CLUSTER_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT=${AMPWORK_CLUSTER_PG_PORT:-$(free_port)}
REDISPORT=${AMPWORK_CLUSTER_REDIS_PORT:-$(free_port)}
WORK=$(mktemp -d /tmp/ampwork-cluster.XXXXXX)
chmod 755 "$WORK"

command -v haproxy >/dev/null || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 2; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

cleanup() {
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  if [ "${AMPWORK_CLUSTER_KEEP:-0}" = 1 ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # then the EXIT trap stops what was started

# PostgreSQL with the reference settings (deploy/postgresql.conf, included unchanged)
mkdir "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres --encoding=UTF8 >/dev/null
cp deploy/postgresql.conf "$WORK/ampwork-postgresql.conf"
echo "include '$WORK/ampwork-postgresql.conf'" >> "$WORK/pg/postgresql.conf"
# this machine is smaller than the reference one: only the memory sizes are turned down
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -w start \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK/pg -c shared_buffers=128MB -c effective_cache_size=1GB" >/dev/null
as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE DATABASE ampwork" >/dev/null
DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/ampwork"
echo "PostgreSQL on 127.0.0.1:$PGPORT (deploy/postgresql.conf)"

if command -v redis-server >/dev/null; then
  redis-server --bind 127.0.0.1 --port "$REDISPORT" --save "" --appendonly no \
    --logfile "$WORK/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 50); do
    redis-cli -p "$REDISPORT" ping 2>/dev/null | grep -q PONG && break
    kill -0 "$REDIS_PID" 2>/dev/null || { echo "Redis did not start: $WORK/redis.log" >&2; exit 1; }
    sleep 0.1
  done
  CACHE_URL="redis://127.0.0.1:$REDISPORT/0"
  echo "Redis on 127.0.0.1:$REDISPORT (AMPWORK_CACHE_URL=$CACHE_URL)"
else
  CACHE_URL="db://ampwork_cache"
  echo "no redis-server: AMPWORK_CACHE_URL=$CACHE_URL (a table in PostgreSQL)"
fi

# TLS ends at the balancer: a throwaway certificate for 127.0.0.1
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
cat "$WORK/tls.crt" "$WORK/tls.key" > "$WORK/tls.pem"

# one secret key for the app servers and the restore drill (it seals pooled pulse answers)
AMPWORK_SECRET_KEY="cluster-drill-$(openssl rand -hex 24)"
export AMPWORK_SECRET_KEY
python3 scripts/cluster.py --work "$WORK" --database-url "$DATABASE_URL" --cache-url "$CACHE_URL" "$@"

# the database the drill left: dumped, restored into a fresh one, compared
if [ -f scripts/backup-drill.sh ]; then
  bash scripts/backup-drill.sh postgres "$DATABASE_URL"
fi
