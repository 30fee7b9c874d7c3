#!/usr/bin/env bash
# Install the test dependencies and run the whole test suite (browser and API fuzz tests
# included). Uses SQLite unless AMPWORK_DATABASE_URL / DATABASE_URL names PostgreSQL.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -x tests/core`.
#
# The tests run on every core (pytest-xdist; AMPWORK_TEST_WORKERS=0 runs them in one
# process). The whole suite (no arguments) also measures branch coverage, prints the report
# and fails if a pure module is below 95%; AMPWORK_COVERAGE=0 leaves coverage out.
set -euo pipefail
cd "$(dirname "$0")/.."

# exactly the versions CI tests: requirements/lock.txt (scripts/lock.sh) as constraints
python3 -m pip install --quiet --disable-pip-version-check -c requirements/lock.txt -e ".[test]"

# The browser tests drive Debian's Chromium (never `playwright install`); the catalogue
# check (tests/core/test_translations.py) extracts the marked strings with GNU gettext.
debs=()
[ -x "${AMPWORK_CHROMIUM:-/usr/bin/chromium}" ] || debs+=(chromium)
command -v xgettext >/dev/null || debs+=(gettext)
if [ ${#debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${debs[*]} for the tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
  else
    echo "Missing: run 'sudo apt-get install ${debs[*]}' for the browser tests and the catalogue check." >&2
  fi
fi

# the translations as Django reads them (.po → .mo; a wheel gets them from setup.py)
python3 scripts/compile_messages.py >/dev/null

# Each worker builds its own test database and its own copy of the demo, and runs its browser
# tests against its own live server and Chromium. worksteal: an idle worker takes tests
# queued for the other, so a few long browser tests do not leave a core idle at the end.
parallel=(-n "${AMPWORK_TEST_WORKERS:-auto}" --dist worksteal)

if [ $# -gt 0 ] || [ "${AMPWORK_COVERAGE:-1}" = 0 ]; then
  exec python3 -m pytest "${parallel[@]}" "$@"
fi

# The pure modules (docs/architecture.md): the maths and rules, no ORM. Each must keep at
# least 95% branch coverage from the suite.
pure=(
  okrs/progress.py okrs/guidance.py okrs/columns.py
  fairness/audit.py fairness/regression.py fairness/money.py fairness/gate.py
  pulse/instrument.py pulse/scoring.py pulse/anonymity.py pulse/results.py
  purpose/themes.py purpose/authenticity.py
  autonomy/rules.py
  mastery/flow.py mastery/goldilocks.py
  advisor/traps.py advisor/checklist.py advisor/readiness.py advisor/style.py
  conversations/schedule.py conversations/feedback360.py core/ical.py core/useragents.py core/l10n.py core/words.py
  notifications/kinds.py classroom/consent.py classroom/class_codes.py classroom/retention.py classroom/portfolio.py
)
COVERAGE_FILE=$(mktemp -d)/coverage
export COVERAGE_FILE
trap 'rm -rf "$(dirname "$COVERAGE_FILE")"' EXIT
python3 -m pytest "${parallel[@]}" --cov --cov-report=term
echo
echo "Branch coverage of the pure modules (each must be at least 95%):"
python3 - "${pure[@]}" <<'PY'
import io
import sys

import coverage

cov = coverage.Coverage()
cov.load()
low = []
for module in sys.argv[1:]:
    try:
        percent = cov.report(include=[f"*/ampwork/{module}"], file=io.StringIO())
    except coverage.exceptions.NoDataError:  # never imported by any test
        percent = 0.0
    print(f"  {module:<28} {percent:5.1f}%")
    if percent < 95:
        low.append(module)
if low:
    sys.exit(f"Below 95% branch coverage: {', '.join(low)} (tests/<app>/test_coverage_*.py)")
PY
