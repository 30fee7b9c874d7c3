"""What Prometheus metrics cost a request: the demo's pages with and without /metrics.

    python benchmarks/metrics.py [--repeat 60]

Each round runs a fresh process per setting (AMPWORK_METRICS=0, then 1, then 0 and 1
again: the settings choose the database backend, so one process cannot compare both) on
the same throwaway SQLite demo, signs in as the demo's manager and times each page
(median of --repeat, after one warm-up request). With metrics on, django-prometheus'
middleware counts every request and its database wrapper every query; without, neither
runs. Not a test: numbers go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = ["/", "/okrs/check-in/", "/okrs/", "/mastery/"]
HERE = Path(__file__).resolve()


def measure(repeat: int) -> dict[str, float]:
    sys.path.insert(0, str(HERE.parent))
    from _common import median_ms, setup_django

    setup_django()
    from django.test import Client

    from ampwork.core.models import User
    from ampwork.demo.services import ensure_demo

    ensure_demo()
    client = Client()
    client.force_login(User.objects.get(email="manager@brightwater.example"))
    found = {}
    for path in PAGES:
        assert client.get(path).status_code == 200, path

        def get(path: str = path) -> None:
            client.get(path)

        found[path] = round(median_ms(get, repeat), 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.repeat)))
        return
    data = tempfile.mkdtemp(prefix="ampwork-bench-metrics-")
    rounds: dict[str, list[dict[str, float]]] = {"0": [], "1": []}
    for setting in ["0", "1", "0", "1"]:
        env = dict(os.environ, AMPWORK_DATA_DIR=data, AMPWORK_METRICS=setting)
        out = subprocess.run(
            [sys.executable, str(HERE), "--measure", "--repeat", str(args.repeat)],
            env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        rounds[setting].append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'page':<18} {'off ms':>8} {'on ms':>8} {'cost ms':>8}")
    for path in PAGES:
        off = min(r[path] for r in rounds["0"])
        on = min(r[path] for r in rounds["1"])
        print(f"{path:<18} {off:8.2f} {on:8.2f} {on - off:8.2f}")


if __name__ == "__main__":
    main()
