"""Scale benchmark of the foundation: generate N people, then time the pages that list them.

    python benchmarks/foundation.py --people 100000

Uses a throwaway data directory (SQLite) unless AMPWORK_DATABASE_URL is set. Prints, for
each page, its query count and the median of several timed requests. Not a test: numbers
go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("AMPWORK_DATA_DIR", tempfile.mkdtemp(prefix="ampwork-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ampwork.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ampwork.core.models import Person, Team
    from ampwork.demo.services import generate

    # as Django's test runner does: keep one connection, so queries can be counted
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = generate(people=args.people, slug=f"bench-{args.people}-{int(started)}")
    print(
        f"generate --people {args.people}: {time.perf_counter() - started:.1f} s "
        f"({connection.vendor})"
    )
    admin = Person.objects.get(organisation=result.organisation, email=result.admin_email)
    team = Team.objects.filter(
        organisation=result.organisation, parent__parent__isnull=False
    ).first()
    client = Client()
    client.force_login(admin.user)  # type: ignore[arg-type]
    pages = [
        "/",
        "/people/",
        "/people/?q=person99",
        "/people/?page=500",
        "/teams/",
        "/org-chart/",
        f"/org-chart/?team={team.pk if team else ''}",
    ]
    print(f"{'page':<28} {'queries':>7} {'median ms':>10}")
    for page in pages:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200, page
        queries = len(ctx.captured_queries)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            client.get(page)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{page:<28} {queries:>7} {statistics.median(times):>10.1f}")


if __name__ == "__main__":
    main()
