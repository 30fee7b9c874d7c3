"""Query counts of lists and dashboards do not grow with the organisation's size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ampwork.core import selectors
from ampwork.core.models import Person, Team
from ampwork.demo.services import generate
from tests.budgets import over_budget

SIZES = [50, 2000]

# page -> the most queries it may run (session, user, organisations, actor, the page's own)
PAGES: dict[str, int] = {
    "/": 50,  # with the admin's dashboard and this week's review (tests/advisor too)
    "/people/": 7,
    "/people/?q=person1": 7,
    "/teams/": 6,
    "/org-chart/": 6,
    "/org-chart/?team={team}": 9,
    "/api/v1/people": 6,
    "/api/v1/teams": 5,
    "/api/v1/memberships": 5,
}


@pytest.fixture(params=SIZES, ids=[f"{n}-people" for n in SIZES])
def sized(request: pytest.FixtureRequest, db: Any) -> dict[str, Any]:
    result = generate(people=request.param, slug=f"size-{request.param}")
    admin = Person.objects.get(organisation=result.organisation, email=result.admin_email)
    team = (
        Team.objects.filter(
            organisation=result.organisation, parent__isnull=False, parent__parent__isnull=False
        ).first()
        or Team.objects.filter(organisation=result.organisation).first()
    )
    return {"admin": admin, "team": team, "size": request.param}


def test_page_queries_are_bounded(sized: dict[str, Any]) -> None:
    """Every page, each from the organisation as built (tests/budgets.py): the organisation
    is built once per size, not once per page."""
    pages = {page.format(team=sized["team"].pk): limit for page, limit in PAGES.items()}
    over = over_budget(pages, sized["admin"])
    assert not over, "\n".join(over)


def _count(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_selectors_do_not_grow(db: Any) -> None:
    """The same selectors run the same number of queries at 50 and 2,000 people."""
    counts = []
    for size in SIZES:
        org = generate(people=size, slug=f"grow-{size}").organisation
        team = Team.objects.filter(organisation=org, parent__isnull=False).first()
        assert team is not None
        counts.append(
            (
                _count(lambda o=org: list(selectors.people(o)[:50])),  # type: ignore[misc]
                _count(lambda o=org: selectors.team_tree(o)),  # type: ignore[misc]
                _count(lambda o=org: selectors.org_chart_level(o, None)),  # type: ignore[misc]
                _count(lambda o=org, t=team: selectors.org_chart_level(o, t.pk)),  # type: ignore[misc]
                _count(lambda o=org: selectors.headcount(o)),  # type: ignore[misc]
            )
        )
    assert counts[0] == counts[1], counts
