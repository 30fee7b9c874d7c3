"""schemathesis over the OpenAPI schema: no 5xx, responses match the schema.

Runs in-process against the WSGI app, with a bearer token (session auth would need
CSRF). Django's request signals are disconnected while it runs, as Django's test client
does, so that each fuzzed request does not close the test's database connection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from ampwork.core import services
from ampwork.core.models import Role
from ampwork.core.permissions import Actor
from ampwork.wsgi import application

from ..factories import (
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.fuzz

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("AMPWORK_FUZZ_EXAMPLES", "40"))


@pytest.fixture
def token(db: Any) -> Iterator[str]:
    org = OrganisationFactory(slug="fuzz")
    user = UserFactory()
    admin = PersonFactory(organisation=org, user=user, email=user.email, role=Role.ADMIN)
    team = TeamFactory(organisation=org, name="Fuzz team")
    MembershipFactory(team=team, person=PersonFactory(organisation=org))
    cycle = CycleFactory(organisation=org)
    KeyResultFactory(objective=ObjectiveFactory(cycle=cycle, owner_person=admin))
    # objects of another organisation, which must stay invisible
    other = OrganisationFactory(slug="other")
    MembershipFactory(
        team=TeamFactory(organisation=other), person=PersonFactory(organisation=other)
    )
    _, plaintext = services.create_token(
        actor=Actor(organisation=org, role=Role.ADMIN, user=user, person=admin), name="fuzz"
    )
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield plaintext
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api(case: Any, token: str) -> None:
    # Every other check runs. positive_data_acceptance is left out on purpose: business
    # rules the schema cannot state (a unique email, an existing manager, no reporting
    # loops) answer some schema-valid bodies with a 422 that names the field.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )


def test_schema_names_are_unique_across_apps() -> None:
    """Two response models with one class name collapse into one OpenAPI component, and
    one of the two routes then documents the other's shape."""
    from ninja import Schema

    import ampwork.api  # noqa: F401  (mounts every router)

    names: dict[str, str] = {}

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("ampwork."):
                seen = names.setdefault(sub.__name__, sub.__module__)
                assert seen == sub.__module__, f"{sub.__name__} in {seen} and {sub.__module__}"
            walk(sub)

    walk(Schema)
