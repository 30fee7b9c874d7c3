"""Organisation-wide pages grow no faster than the organisation (issue 24).

Each page is requested at three sizes of the same shape of organisation (n, 2n and 4n
people, with teams, OKRs, twelve weeks of reviews, a closed pulse round and pay records)
and the Python work of the request is counted: every Python function call while it runs
(``sys.setprofile``), a count that does not depend on the machine's speed or load. What a
request costs whatever the size (sessions, templates, permissions) cancels out in the
differences: from 2n to 4n people linear work adds twice what it added from n to 2n,
work that grows with the square (a loop over people inside a loop over people, as the
fairness overview's template had) four times, and fails. The summaries are cleared
first, so the count is that of computing the page; a second request reads it back, and
costs less.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest
from django.core.cache import cache

from ampwork.core.models import Organisation, Person, TeamMembership, User
from ampwork.demo.services import generate
from ampwork.fairness.generate import generate_pay
from ampwork.mastery.generate import generate_reviews
from ampwork.okrs.generate import generate_okrs
from ampwork.pulse.generate import generate_round

SIZES = (60, 120, 240)
LINEAR = 2 * 1.4  # the second step's added work against the first's: 2 when linear, 4 if square
FLAT = 0.02  # a first step adding less than this share of the page's work counts as this much


@pytest.fixture
def calls() -> Callable[[Callable[[], Any]], int]:
    def count(fn: Callable[[], Any]) -> int:
        n = 0

        def profile(frame: FrameType, event: str, arg: Any) -> None:
            nonlocal n
            if event == "call":
                n += 1

        sys.setprofile(profile)
        try:
            response = fn()
        finally:
            sys.setprofile(None)
        assert response.status_code == 200
        return n

    return count


def _organisation(size: int) -> dict[str, Any]:
    result = generate(people=size, slug=f"growth-{size}")
    org: Organisation = result.organisation
    generate_okrs(
        org, objectives_per_person=2, key_results_per_objective=3, check_ins_per_key_result=3
    )
    generate_reviews(org)
    pulse = generate_round(org)
    generate_pay(org, underpaid=0.5)  # many flagged people, as in the measurement
    lead = (
        TeamMembership.objects.filter(organisation=org, role="lead", team__parent__isnull=False)
        .select_related("person")
        .order_by("id")
        .first()
    )
    assert lead is not None
    lead.person.user = User.objects.create_user(email=f"lead-{size}@example.org", password="x")
    lead.person.save(update_fields=["user"])
    return {
        "admin": Person.objects.get(organisation=org, email=result.admin_email),
        "lead": lead.person,
        "round": pulse.pk,
    }


@pytest.fixture
def sizes(db: Any) -> Iterator[dict[int, dict[str, Any]]]:
    yield {size: _organisation(size) for size in SIZES}


PAGES = [
    ("admin", "/fairness/"),
    ("admin", "/"),
    ("lead", "/"),
    ("admin", "/pulse/rounds/{round}/"),
    ("admin", "/advisor/"),
]


def test_organisation_wide_pages_grow_at_most_linearly(
    sizes: dict[int, dict[str, Any]],
    prepared_get: Callable[[str, Person], Callable[[], Any]],
    calls: Callable[[Callable[[], Any]], int],
) -> None:
    grew = {}
    for who, path in PAGES:
        work: dict[int, tuple[int, int]] = {}
        for size, made in sizes.items():
            get = prepared_get(path.format(round=made["round"]), made[who])
            get()  # sessions, settings rows and the like: made once, not counted
            cache.clear()
            computed = calls(get)
            read_back = calls(get)
            work[size] = (computed, read_back)
        small, middle, large = (work[size][0] for size in SIZES)
        # a step that adds less than FLAT of the page's work is noise, not growth: the
        # admin's home counts in the database now and adds ~2% from n to 2n people, where a
        # few hundred calls more or less would swing the ratio across LINEAR
        grew[(who, path)] = (large - middle) / max(middle - small, FLAT * middle)
        assert work[SIZES[-1]][1] < large, f"{who} {path}: reading back costs as much"
    too_fast = {page: round(ratio, 2) for page, ratio in grew.items() if ratio > LINEAR}
    assert not too_fast, f"Python work grew faster than the organisation: {too_fast}"
