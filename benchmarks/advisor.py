"""Home dashboards, the advisor and the team review page at scale: generate N people with a
cycle of OKRs and twelve weeks of weekly reviews, then time each page for the admin, a team
lead and a member.

    python benchmarks/advisor.py --people 10000

Uses a throwaway data directory (SQLite) unless AMPWORK_DATABASE_URL is set. Prints each
page's query count and median time. Not a test: numbers go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import time

from _common import median_ms, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ampwork.core.models import Person, TeamMembership, User
    from ampwork.demo.services import generate
    from ampwork.mastery.generate import generate_reviews
    from ampwork.okrs.generate import generate_okrs

    started = time.perf_counter()
    result = generate(people=args.people, slug=f"advisor-{args.people}-{int(started)}")
    org = result.organisation
    generate_okrs(
        org, objectives_per_person=2, key_results_per_objective=3, check_ins_per_key_result=6
    )
    generate_reviews(org, weeks=12)
    print(f"set-up: {time.perf_counter() - started:.1f} s ({connection.vendor})")
    admin = Person.objects.get(organisation=org, email=result.admin_email)
    lead_row = (
        TeamMembership.objects.filter(
            organisation=org, role="lead", team__parent__parent__isnull=False
        )
        .select_related("person", "team")
        .first()
    )
    assert lead_row is not None
    member_row = (
        TeamMembership.objects.filter(team=lead_row.team, role="member")
        .select_related("person")
        .first()
    )
    assert member_row is not None
    for person in (lead_row.person, member_row.person):
        person.user = User.objects.create_user(email=f"bench{person.pk}@example.org", password="x")
        person.save(update_fields=["user"])
    runs = [
        ("admin", admin, "/"),
        ("admin", admin, "/advisor/"),
        ("lead", lead_row.person, "/"),
        ("lead", lead_row.person, f"/mastery/teams/{lead_row.team_id}/"),
        ("member", member_row.person, "/"),
        ("member", member_row.person, "/mastery/"),
    ]
    print(f"{'who':<7} {'page':<24} {'queries':>7} {'median ms':>10}")
    for who, person, page in runs:
        client = Client()
        client.force_login(person.user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200, page
        queries = len(ctx.captured_queries)  # before the next request resets the log
        ms = median_ms(lambda c=client, p=page: c.get(p), args.repeat)  # type: ignore[misc]
        print(f"{who:<7} {page:<24} {queries:>7} {ms:>10.1f}")


if __name__ == "__main__":
    main()
