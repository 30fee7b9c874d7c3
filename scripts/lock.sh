#!/usr/bin/env bash
# The lock file, requirements/lock.txt: every package that `pip install -e ".[test]"` brings
# (the product's dependencies and the test extra), at the versions CI tests, for Python 3.11+
# on any platform. Compiled from pyproject.toml by uv.
#
#   bash scripts/lock.sh               after editing dependencies in pyproject.toml: keeps every
#                                      pin that still fits, resolves only what changed
#   bash scripts/lock.sh --upgrade     every package to its newest release that fits
#   bash scripts/lock.sh -P NAME       just NAME to its newest release (--upgrade-package)
#   bash scripts/lock.sh --check       CI: fail if the lock does not match pyproject.toml
#
# Install exactly the locked set with `pip install -c requirements/lock.txt -e ".[test]"`
# (scripts/test.sh does), or the product alone with `pip install -c requirements/lock.txt .`.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v uv >/dev/null || python3 -m pip install --quiet --disable-pip-version-check uv

compile() {
  uv pip compile --quiet pyproject.toml --extra test --universal --python-version 3.11 \
    --custom-compile-command "bash scripts/lock.sh" --output-file "$@"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# what the lock would be, compiled again from pyproject.toml with its own pins as preferences
recompiled() {
  cp requirements/lock.txt "$scratch/lock.txt"
  compile "$scratch/lock.txt"
}

if [ "${1:-}" = "--check" ]; then
  recompiled
  if ! diff -u requirements/lock.txt "$scratch/lock.txt"; then
    echo "requirements/lock.txt does not match pyproject.toml: run 'bash scripts/lock.sh'." >&2
    exit 1
  fi
  echo "requirements/lock.txt matches pyproject.toml"
else
  compile requirements/lock.txt "$@"
  # a universal resolution can split a package by Python version to keep an old pin, and
  # merge it on the next run: compile until the lock is its own result, so --check passes
  for _ in 1 2 3; do
    recompiled
    cmp -s requirements/lock.txt "$scratch/lock.txt" && exit 0
    cp "$scratch/lock.txt" requirements/lock.txt
  done
  echo "requirements/lock.txt does not settle: look at 'bash scripts/lock.sh --check'." >&2
  exit 1
fi
