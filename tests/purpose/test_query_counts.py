"""The purpose page's query count does not grow with the organisation."""

from __future__ import annotations

from typing import Any

import pytest

from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.demo.services import generate
from ampwork.okrs.generate import generate_okrs
from ampwork.purpose import services
from tests.budgets import over_budget

SIZES = [50, 400]
WORDS = ["patients", "care", "learning", "skills", "team", "trust", "planet", "energy"]


@pytest.fixture(params=SIZES, ids=[f"{n}-people" for n in SIZES])
def admin(request: pytest.FixtureRequest, db: Any) -> Person:
    result = generate(people=request.param, slug=f"purpose-{request.param}")
    org = result.organisation
    generate_okrs(
        org, objectives_per_person=1, key_results_per_objective=1, check_ins_per_key_result=1
    )
    for i, person in enumerate(Person.objects.filter(organisation=org)):
        actor = Actor(organisation=org, role=person.role, person=person)
        services.write_statement(
            actor=actor,
            text=" ".join(WORDS[i % 4 * 2 : i % 4 * 2 + 2]) + " every day",
            quotable=True,
        )
        if i < 5:
            services.propose(actor=actor, text=f"Help patients, draft {i}")
    return Person.objects.get(organisation=org, email=result.admin_email)


# the API's first read creates the settings row: one more for its data version
PAGES = {"/purpose/": 26, "/api/v1/purpose": 12, "/api/v1/purpose/themes": 7}


def test_purpose_pages_are_bounded(admin: Person) -> None:
    """Every page, each from the organisation as built (tests/budgets.py): the organisation
    is built once per size, not once per page."""
    over = over_budget(PAGES, admin)
    assert not over, "\n".join(over)
