"""A manager, their report, a colleague with no line to either, people ops and an admin —
and a weekly 1:1 between the manager and the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ampwork.conversations import services
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor


@pytest.fixture
def pair(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    lead = make_person(org, Role.MANAGER, name="Marta Manager")
    report = make_person(org, name="Remy Report", manager=lead)
    series = services.start(
        actor=actor_of(report), with_id=lead.pk, relationship="manager", cadence="weekly"
    )
    return {
        "lead": lead,
        "report": report,
        "series": series,
        "meeting": services.open_meeting_of(series),
        "colleague": make_person(org, name="Cleo Colleague"),
        "ops": make_person(org, Role.PEOPLE_OPS, name="Pat People"),
        "admin": make_person(org, Role.ADMIN, name="Ada Admin"),
    }
