"""OKR lists and dashboards: the query count does not grow with the organisation."""

from __future__ import annotations

from typing import Any

import pytest

from ampwork.core.models import Person
from ampwork.demo.services import generate
from ampwork.okrs.generate import generate_okrs
from ampwork.okrs.models import KeyResult, Objective
from tests.budgets import over_budget

SIZES = [50, 400]
PAGES: dict[str, int] = {
    "/okrs/": 14,
    "/okrs/?team={team}": 14,
    "/okrs/check-in/": 16,
    # was 14: the stale key results' query is skipped when no objective has been silent
    # 14 days (9 queries at both sizes, was 10)
    "/okrs/cycles/{cycle}/": 13,
    "/okrs/objectives/{objective}/": 23,
    "/api/v1/objectives": 16,
    "/api/v1/objectives?cycle_id={cycle}&limit=200": 16,
    "/api/v1/key-results": 16,
    "/okrs/?team={team}&body=1": 14,
}


@pytest.fixture(params=SIZES, ids=[f"{n}-people" for n in SIZES])
def sized(request: pytest.FixtureRequest, db: Any) -> dict[str, Any]:
    result = generate(people=request.param, slug=f"okr-{request.param}")
    cycle = generate_okrs(
        result.organisation,
        objectives_per_person=2,
        key_results_per_objective=2,
        check_ins_per_key_result=2,
    )
    admin = Person.objects.get(organisation=result.organisation, email=result.admin_email)
    objective = Objective.objects.filter(cycle=cycle, owner_kind="team").first()
    assert objective is not None
    assert KeyResult.objects.filter(objective__cycle=cycle).exists()
    return {
        "admin": admin,
        "cycle": cycle.pk,
        "objective": objective.pk,
        "team": objective.owner_team_id,
    }


def test_okr_pages_are_bounded(sized: dict[str, Any]) -> None:
    """Every page, each from the organisation as built (tests/budgets.py): the organisation
    is built once per size, not once per page."""
    pages = {page.format(**sized): limit for page, limit in PAGES.items()}
    over = over_budget(pages, sized["admin"])
    assert not over, "\n".join(over)
