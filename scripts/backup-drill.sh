#!/usr/bin/env bash
# Restore drill: back up, restore into a fresh database, and prove the copy is the same —
# every table's row count and the `ampwork export` document byte for byte.
#
#   bash scripts/backup-drill.sh sqlite          # a fresh data dir: migrate, seed, drill
#   bash scripts/backup-drill.sh postgres URL    # an existing database (seeded if it has
#                                                # no people); restores into <name>_restored,
#                                                # dropped at the end
#
# Runs ampwork as `$PYTHON -m ampwork` (PYTHON defaults to python3). Settings: PEOPLE (200),
# SEED (7), KEEP=1 keeps the work folder (and the restored PostgreSQL database).
# The database must be quiet while the drill runs (no server writing to it).
# Exit status: 0 when the restore is identical, 1 on any difference, 2 on bad usage.
# docs/operations.md#database-backups.
set -euo pipefail

PYTHON=${PYTHON:-python3}
PEOPLE=${PEOPLE:-200}
SEED=${SEED:-7}
KEEP=${KEEP:-0}

usage() {
    sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

amp() { "$PYTHON" -m ampwork "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

mode=${1:-}
[[ $mode == sqlite || $mode == postgres ]] || usage
[[ $mode == sqlite && $# -eq 1 || $mode == postgres && $# -eq 2 ]] || usage

work=$(mktemp -d "${TMPDIR:-/tmp}/ampwork-drill.XXXXXX")
restored_db=""
restored_url=""
created=0  # 1 once this run may have created the restored database
cleanup() {
    if [[ $KEEP == 1 ]]; then
        echo "kept: $work${restored_db:+ and database $restored_db}" >&2
        return
    fi
    if [[ $created == 1 ]]; then
        psql --no-password "$PG_URL" -v ON_ERROR_STOP=1 -q -c "SET client_min_messages = warning" \
            -c "DROP DATABASE IF EXISTS \"$restored_db\"" >/dev/null ||
            echo "could not drop $restored_db" >&2
    fi
    rm -rf "$work"
}
trap cleanup EXIT

export AMPWORK_LOG_LEVEL=${AMPWORK_LOG_LEVEL:-WARNING}

# An export first writes pooled pulse answers into responses, each with a new random id
# (pulse.services.settle: no answer can be told apart by when it came). Two exports of a
# database that still pools answers — the original's and the restored copy's — would
# settle them under different ids; settle once before the backup, as an export would.
settle() {
    amp export --output "$work/settled.json" >/dev/null
}

seed() {
    amp migrate --verbosity 0
    amp demo --no-serve >/dev/null
    amp generate --people "$PEOPLE" --org drill --seed "$SEED" --okrs >/dev/null
}

if [[ $mode == sqlite ]]; then
    unset AMPWORK_DATABASE_URL DATABASE_URL
    export AMPWORK_DATA_DIR=$work/original
    mkdir -p "$AMPWORK_DATA_DIR"
    echo "seeding a fresh SQLite database ($PEOPLE people + the demo)…" >&2
    seed
    settle
    t0=$(now)
    amp backup --output "$work/backup.sqlite3"
    t1=$(now)
    # the restore: the server stopped, the copy put in place of the database file
    mkdir -p "$work/restored"
    cp "$work/backup.sqlite3" "$work/restored/ampwork.sqlite3"
    cp -p "$AMPWORK_DATA_DIR/secret_key" "$work/restored/secret_key"
    t2=$(now)
    original() { AMPWORK_DATA_DIR=$work/original amp "$@"; }
    restored() { AMPWORK_DATA_DIR=$work/restored amp "$@"; }
else
    export PG_URL=$2
    unset DATABASE_URL AMPWORK_DATA_DIR
    export AMPWORK_DATA_DIR=$work/data  # the secret key etc. of this run, not the operator's
    base=${PG_URL%%\?*}
    query=${PG_URL#"$base"}
    name=${base##*/}
    [[ -n $name && $base == */* ]] || {
        echo "no database name in $(sed -E 's#//[^@/]*@#//***@#' <<<"$PG_URL")" >&2
        exit 2
    }
    restored_db=${name}_restored
    restored_url=${base%/*}/$restored_db$query
    export AMPWORK_DATABASE_URL=$PG_URL
    people=$(amp backup --counts | awk -F'\t' '$1 == "core_person" { print $2 }')
    if [[ ${people:-0} == 0 ]]; then
        echo "no people in $name: migrating and seeding ($PEOPLE people + the demo)…" >&2
        seed
    fi
    settle
    t0=$(now)
    amp backup --output "$work/backup.dump"
    t1=$(now)
    created=1
    psql --no-password "$PG_URL" -v ON_ERROR_STOP=1 -q -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS \"$restored_db\"" >/dev/null
    psql --no-password "$PG_URL" -v ON_ERROR_STOP=1 -q \
        -c "CREATE DATABASE \"$restored_db\" TEMPLATE template0" >/dev/null || {
        echo "could not create $restored_db: the drill's role needs CREATEDB" >&2
        exit 1
    }
    pg_restore --no-password --no-owner --exit-on-error --dbname "$restored_url" "$work/backup.dump"
    t2=$(now)
    original() { AMPWORK_DATABASE_URL=$PG_URL amp "$@"; }
    restored() { AMPWORK_DATABASE_URL=$restored_url amp "$@"; }
fi

# counts first: an export records itself in the audit log
original backup --counts >"$work/original.counts"
restored backup --counts >"$work/restored.counts"
original export --output "$work/original.json"
restored export --output "$work/restored.json"
end=$(now)

failed=0
if ! diff -u "$work/original.counts" "$work/restored.counts" >&2; then
    echo "FAIL: row counts differ (above: - original, + restored)" >&2
    failed=1
fi
if ! cmp "$work/original.json" "$work/restored.json" >&2; then
    echo "FAIL: the exports differ" >&2
    failed=1
fi

tables=$(wc -l <"$work/original.counts")
rows=$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$work/original.counts")
export_bytes=$(wc -c <"$work/original.json")
backup_file=$work/backup.sqlite3
[[ $mode == postgres ]] && backup_file=$work/backup.dump
backup_bytes=$(wc -c <"$backup_file")
verdict=identical
[[ $failed == 0 ]] || verdict=DIFFERENT
echo "$mode drill: $tables tables, $rows rows; backup $backup_bytes bytes in $(secs "$t0" "$t1") s," \
    "restore $(secs "$t1" "$t2") s; export $export_bytes bytes;" \
    "backup to compared in $(secs "$t0" "$end") s: $verdict"
exit "$failed"
