"""Benchmark of rostering: import a OneRoster 1.2 bundle of N students and M classes.

    python benchmarks/oneroster.py --students 2000 --classes 100

Uses a throwaway data directory (SQLite) unless AMPWORK_DATABASE_URL is set. Prints the
time and query count of the check (dry run), the first import (everything created) and
a second import of the same bundle (everything unchanged). Not a test: numbers go in
benchmarks/README.md. The bundle is the one the tests write (tests/classroom/bundle.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from _common import setup_django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--classes", type=int, default=100)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from tests.classroom import bundle

    from ampwork.classroom import services
    from ampwork.core.models import Organisation
    from ampwork.core.permissions import Actor

    org = Organisation.objects.create(
        name="Bench School", slug=f"bench-school-{int(time.time())}", kind="school"
    )
    actor = Actor.system(org)
    files = bundle.files(bundle.rows(students=args.students, classes=args.classes))
    size = sum(len(data) for data in files.values())
    print(
        f"{args.students} students, {args.classes} classes, {size / 1024:.0f} KiB of CSV "
        f"({connection.vendor})"
    )

    def check() -> object:
        return services.check_roster(actor=actor, files=files)

    def write() -> object:
        return services.import_roster(actor=actor, files=files)

    for label, run in (
        ("check (dry run)", check),
        ("first import", write),
        ("re-import, unchanged", write),
    ):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            took = (time.perf_counter() - started) * 1000
        print(f"{label}: {took:,.0f} ms, {len(queries.captured_queries)} queries")


if __name__ == "__main__":
    main()
