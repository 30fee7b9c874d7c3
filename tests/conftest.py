from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core import services
from ampwork.core.models import Organisation, Person, Role, TeamMembership
from ampwork.core.permissions import Actor

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def org(db: Any) -> Organisation:
    return OrganisationFactory(name="Acme", slug="acme")


@pytest.fixture
def other_org(db: Any) -> Organisation:
    return OrganisationFactory(name="Globex", slug="globex")


@pytest.fixture
def school(db: Any) -> Organisation:
    return OrganisationFactory(name="Hill School", slug="hill", kind=Organisation.Kind.SCHOOL)


@pytest.fixture
def make_person(db: Any) -> Callable[..., Person]:
    """A person with a sign-in: make_person(org, role)."""

    def make(organisation: Organisation, role: str = Role.MEMBER, **fields: Any) -> Person:
        user = UserFactory()
        return PersonFactory(
            organisation=organisation, user=user, email=user.email, role=role, **fields
        )

    return make


@pytest.fixture
def actor_of() -> Callable[[Person], Actor]:
    def make(person: Person) -> Actor:
        return Actor(
            organisation=person.organisation, role=person.role, user=person.user, person=person
        )

    return make


@pytest.fixture
def admin(org: Organisation, make_person: Callable[..., Person]) -> Person:
    return make_person(org, Role.ADMIN)


@pytest.fixture
def admin_actor(admin: Person, actor_of: Callable[[Person], Actor]) -> Actor:
    return actor_of(admin)


@pytest.fixture
def web(client: Client) -> Callable[[Person], Client]:
    """A test client signed in as a person."""

    def sign_in(person: Person) -> Client:
        assert person.user is not None
        client.force_login(person.user)
        return client

    return sign_in


@pytest.fixture
def bearer(actor_of: Callable[[Person], Actor]) -> Callable[[Person], dict[str, str]]:
    """Authorization headers with a fresh personal token of a person."""

    def headers(person: Person) -> dict[str, str]:
        _, token = services.create_token(actor=actor_of(person), name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return headers


@pytest.fixture
def prepared_get(
    client: Client, bearer: Callable[[Person], dict[str, str]]
) -> Callable[[str, Person], Callable[[], Any]]:
    """A GET as a person — a bearer token for /api/, a session otherwise — set up first,
    so that counting the request's queries counts only the request."""

    def prepare(url: str, person: Person) -> Callable[[], Any]:
        headers = bearer(person) if url.startswith("/api/") else {}
        if not headers:
            assert person.user is not None
            client.force_login(person.user)
        return lambda: client.get(url, **headers)

    return prepare


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
