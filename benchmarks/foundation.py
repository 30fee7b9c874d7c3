"""Scale benchmark of the foundation: generate N people, then time the pages that list them.

    python benchmarks/foundation.py --people 100000

Uses a throwaway data directory (SQLite) unless AMPWORK_DATABASE_URL is set. Prints, for
each page, its query count and the median of several timed requests. Not a test: numbers
go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import time

from _common import median_ms, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ampwork.core.models import Person, Team
    from ampwork.demo.services import generate

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
        ms = median_ms(lambda page=page: client.get(page), args.repeat)  # type: ignore[misc]
        print(f"{page:<28} {queries:>7} {ms:>10.1f}")


if __name__ == "__main__":
    main()
