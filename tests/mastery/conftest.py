from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ampwork.core.models import Organisation, Person, Role, TeamMembership
from tests.factories import MembershipFactory, TeamFactory


@pytest.fixture
def crew(org: Organisation, make_person: Callable[..., Person], admin: Person) -> dict[str, Any]:
    """A team with its lead (their manager), two members, a colleague elsewhere, an admin."""
    team = TeamFactory(organisation=org, name="Platform")
    lead = make_person(org, Role.MANAGER, name="Lena Lead")
    ann = make_person(org, name="Ann Member", manager=lead)
    bob = make_person(org, name="Bob Member", manager=lead)
    other = make_person(org, name="Olga Elsewhere")
    MembershipFactory(team=team, person=lead, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=team, person=ann)
    MembershipFactory(team=team, person=bob)
    return {"team": team, "lead": lead, "ann": ann, "bob": bob, "other": other, "admin": admin}
