#!/usr/bin/env bash
# Install the test dependencies and run the whole test suite (browser and API fuzz tests
# included). Uses SQLite unless AMPWORK_DATABASE_URL / DATABASE_URL names PostgreSQL.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -x tests/core`.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# The browser tests drive Debian's Chromium (never `playwright install`).
if [ ! -x "${AMPWORK_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install chromium' for the browser tests." >&2
  fi
fi

exec python3 -m pytest "$@"
