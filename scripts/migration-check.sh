#!/usr/bin/env bash
# Can the newest migrations run while the previous release's code still serves?
#
#   bash scripts/migration-check.sh [DATABASE_URL]
#
# Upgrades run `ampwork migrate` first and restart the app servers one at a time after
# (docs/operations.md, "Upgrades without downtime"), so for a while the previous release
# serves a database migrated for this one. This script checks that it still can:
#
#  1. the previous release: $AMPWORK_PREVIOUS_RELEASE if set, else the commit named in
#     .ci/previous-release (the release that landed last: migrations written since then
#     may still change, those before may not), else the newest tag, else the parent of
#     the newest commit that added a migration; its tree goes to a temp dir (`git
#     archive`, nothing in this checkout changes);
#  2. static: no migration the previous release lacks drops or renames a column or table
#     it still uses, or adds/makes a column NOT NULL without a database default;
#  3. on a fresh database: migrate and seed (demo + `generate --people 50 --okrs`) with
#     the OLD code, migrate with the NEW code (this checkout), then run the OLD code against
#     it: every model read, updated and inserted through its ORM, its main pages fetched,
#     objectives, key results, check-ins, people and teams written through its own forms
#     and its REST API. Any answer >= 500 or write that does not land fails the check;
#  4. after the roll: this checkout's `okrs verify --fix` (the one-off step of the upgrade
#     docs), `okrs verify` clean, and the same pages and writes with this checkout.
#
# The database: DATABASE_URL (argument) or $AMPWORK_DATABASE_URL, a PostgreSQL server on
# which a throw-away database `<name>_migcheck_<pid>` is created and dropped; without
# either, SQLite in a temp AMPWORK_DATA_DIR. The current Python environment runs both
# releases (same dependencies). Without the previous release in the git history (a shallow
# clone) it prints "migration check SKIPPED: ..." and exits 0.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
driver="$repo/scripts/migration_check.py"
python="${PYTHON:-python3}"
started=$SECONDS

skip() { echo "migration check SKIPPED: $*"; exit 0; }
fail() { echo "migration check FAILED: $*" >&2; exit 1; }

cd "$repo"
git rev-parse --git-dir >/dev/null 2>&1 || skip "$repo is not a git checkout"

# 1. The previous release.
if [[ -n "${AMPWORK_PREVIOUS_RELEASE:-}" ]]; then
  base="$AMPWORK_PREVIOUS_RELEASE"; why="AMPWORK_PREVIOUS_RELEASE"
elif [[ -s "$repo/.ci/previous-release" ]]; then
  base="$(grep -v '^#' "$repo/.ci/previous-release" | awk 'NF {print $1; exit}')"
  why=".ci/previous-release"
elif tag="$(git describe --tags --abbrev=0 HEAD^ 2>/dev/null)" && [[ -n "$tag" ]]; then
  # HEAD^: when this very commit is tagged, the previous release is the tag before it
  base="$tag"; why="the newest tag"
else
  added="$(git log -1 --diff-filter=A --format=%H -- 'src/ampwork/*/migrations/0*.py' || true)"
  [[ -n "$added" ]] || skip "no commit adding a migration in this history (shallow clone?)"
  base="$added^"; why="the parent of $(git log -1 --format='%h (%s)' "$added")"
fi
commit="$(git rev-parse --verify --quiet "$base^{commit}" 2>/dev/null)" \
  || skip "previous release $base ($why) is not in this git history (shallow clone? fetch with --unshallow or --tags)"
echo "== previous release: $(git log -1 --format='%h %s' "$commit") ($why)"

work="$(mktemp -d "${TMPDIR:-/tmp}/ampwork-migcheck.XXXXXX")"
dropdb=""
cleanup() {
  if [[ -n "$dropdb" ]]; then
    "$python" - "$dropdb" <<'EOF' || true
import sys, dj_database_url, psycopg
url = sys.argv[1]; cfg = dj_database_url.parse(url)
name = cfg["NAME"]
with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
EOF
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/old" "$work/data"
git archive --format=tar "$commit" | tar -x -C "$work/old"  # all of it: src/ has symlinks to docs/
[[ -d "$work/old/src/ampwork" ]] || fail "$commit has no src/ampwork"

# 3a. The database.
url="${1:-${AMPWORK_DATABASE_URL:-}}"
export AMPWORK_DATA_DIR="$work/data"
export AMPWORK_SECRET_KEY="migration-check-not-secret-$$"
export AMPWORK_LOG_LEVEL="${AMPWORK_LOG_LEVEL:-ERROR}"  # request lines only when they fail
unset DATABASE_URL
if [[ -n "$url" ]]; then
  shown=$(sed -E 's#//[^@/]*@#//***@#' <<<"$url")  # never a password in CI's log
  case "$url" in postgres://*|postgresql://*) ;; *) fail "only PostgreSQL URLs (or none, for SQLite): $shown" ;; esac
  server="${url%/*}"; name="${url##*/}"; name="${name%%\?*}"
  fresh="${name:-ampwork}_migcheck_$$"
  "$python" - "$server/postgres" "$fresh" <<'EOF' || fail "cannot create database $fresh on ${shown%/*}"
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
EOF
  export AMPWORK_DATABASE_URL="$server/$fresh"
  dropdb="$AMPWORK_DATABASE_URL"
  echo "== database: PostgreSQL, fresh database $fresh (dropped at the end)"
else
  unset AMPWORK_DATABASE_URL
  echo "== database: SQLite in $AMPWORK_DATA_DIR"
fi

old() { PYTHONPATH="$work/old/src${PYTHONPATH:+:$PYTHONPATH}" "$python" "$@"; }
new() { PYTHONPATH="$repo/src${PYTHONPATH:+:$PYTHONPATH}" "$python" "$@"; }
step() { echo "== $* ($((SECONDS - started)) s)"; }

# 2. Static: the new migrations, judged against the old code's models.
step "static check of the migrations $commit lacks"
old "$driver" names "$work/names.json" >/dev/null || fail "could not list the previous release's migrations"
new "$driver" ops "$work/names.json" "$work/ops.json" || fail "could not list the new migrations"
static_ok=1
old "$driver" static "$work/ops.json" || static_ok=0

# 3b. Old code migrates and seeds; new code migrates; old code runs against it.
step "migrate with the previous release"
old -m ampwork migrate --noinput -v0 || fail "the previous release's migrate failed on a fresh database"
step "seed with the previous release"
old "$driver" seed "$work/state.json" || fail "seeding with the previous release failed"
step "migrate with this checkout"
new -m ampwork migrate --noinput -v1 || fail "migrate with this checkout failed on the previous release's data"
step "the previous release against the migrated database"
live_ok=1
old "$driver" exercise "$work/state.json" || live_ok=0
step "after the roll: this checkout's one-off repair, then its pages on what the previous release wrote"
after_ok=1
new -m ampwork okrs verify --fix >/dev/null || after_ok=0
new -m ampwork okrs verify || after_ok=0
new "$driver" exercise "$work/state.json" || after_ok=0

took=$((SECONDS - started))
if [[ $static_ok == 0 || $live_ok == 0 || $after_ok == 0 ]]; then
  what=()
  [[ $static_ok == 0 ]] && what+=("a new migration drops, renames or breaks what the previous release uses (static)")
  [[ $live_ok == 0 ]] && what+=("the previous release fails against the migrated database (FAIL lines above)")
  [[ $after_ok == 0 ]] && what+=("this checkout fails on what the previous release wrote, after okrs verify --fix")
  fail "$(printf '%s; ' "${what[@]}")base $(git log -1 --format=%h "$commit"), ${took} s"
fi
echo "migration check passed: the previous release ($(git log -1 --format=%h "$commit")) works on the migrated database (${took} s)"
