"""Fixtures every test directory shares.

`demo` is the demo (`ensure_demo()`) built once per test run — once per xdist worker — and
copied into each test that asks for it: building it takes about a second of CPU, copying
it a few hundredths. The copy is made with plain SQL inside the test database, so it is the
same on SQLite and PostgreSQL and works both in a test's rolled-back transaction (`db`) and
in a committed one (`transactional_db`, `live_server`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from ampwork.core import services
from ampwork.core.models import ApiToken, Organisation, Person, Role, TeamMembership
from ampwork.core.permissions import Actor, can
from ampwork.demo.services import DemoResult, ensure_demo

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_summaries() -> Iterator[None]:
    """Each test starts with no cached summaries: a rolled-back test's data versions can
    repeat in the next test's database (ampwork.core.summaries)."""
    cache.clear()
    yield
    cache.clear()


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
        actor = actor_of(person)
        if can(actor, "tokens.create"):
            _, token = services.create_token(actor=actor, name="test")
        else:
            # a school's student may not make a token (tokens.create); one made before that
            # rule still answers the API, which is what the tests that read as them check
            assert person.user is not None
            token = services.TOKEN_PREFIX + secrets.token_urlsafe(32)
            ApiToken.objects.create(
                organisation=person.organisation,
                user=person.user,
                name="test",
                prefix=token[: len(services.TOKEN_PREFIX) + 6],
                digest=hashlib.sha256(token.encode()).hexdigest(),
            )
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


@dataclass(frozen=True)
class DemoCopy:
    """Where the demo's rows wait: one plain table per model table, in the test database."""

    tables: list[str]  # the model tables, in a fixed order
    copies: list[str]  # the same tables' rows once the demo was built
    day: dt.date  # the demo's dates are relative to the day it was built


def _model_tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _put_rows(sources: list[str], targets: list[str]) -> None:
    """Make each target table hold exactly its source's rows; PostgreSQL's id sequences are
    moved past the ids copied, as loading a fixture does. Foreign keys are deferred to the
    end of the transaction on both databases, so the order of the tables does not matter."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for target in targets:
            cursor.execute(f"DELETE FROM {quote(target)}")
        for source, target in zip(sources, targets, strict=True):
            cursor.execute(f"INSERT INTO {quote(target)} SELECT * FROM {quote(source)}")
        models = apps.get_models(include_auto_created=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    ContentType.objects.clear_cache()  # its ids are the copied ones now


def _copy_tables(tables: list[str], prefix: str) -> list[str]:
    quote = connection.ops.quote_name
    copies = [f"{prefix}{i}" for i in range(len(tables))]
    with connection.cursor() as cursor:
        for table, copy in zip(tables, copies, strict=True):
            cursor.execute(f"DROP TABLE IF EXISTS {quote(copy)}")  # left by an interrupted run
            cursor.execute(f"CREATE TABLE {quote(copy)} AS SELECT * FROM {quote(table)}")
    return copies


def _drop_tables(tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")


@pytest.fixture(scope="session")
def _demo_copy(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoCopy]:
    """Builds the demo once, keeps a copy of every table, and leaves the database as it was."""
    with django_db_blocker.unblock():
        # Session fixtures are set up before a test's own database fixtures: no test
        # transaction is open yet, so what is written here is committed.
        assert not connection.in_atomic_block
        tables = _model_tables()
        before = _copy_tables(tables, "zz_before_demo_")
        day = timezone.localdate()
        with transaction.atomic():
            assert ensure_demo().created
            copies = _copy_tables(tables, "zz_demo_")
        _put_rows(before, tables)
        _drop_tables(before)
    yield DemoCopy(tables, copies, day)
    with django_db_blocker.unblock():  # for --reuse-db: the database outlives the run
        _drop_tables(copies)


@pytest.fixture
def demo(_demo_copy: DemoCopy, db: Any) -> DemoResult:
    """The demo organisations, as `ensure_demo()` builds them, in this test's database."""
    if timezone.localdate() != _demo_copy.day:  # past midnight: build it for today
        return ensure_demo()
    _put_rows(_demo_copy.copies, _demo_copy.tables)
    result = ensure_demo()  # finds the copy and reuses it
    assert not result.created
    return result


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """What the configured console handler writes (its filters and formatter), with every
    logger at INFO — as an operator who sets AMPWORK_LOG_LEVEL=INFO sees it."""
    (console,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(console.formatter)
    for configured in console.filters:
        handler.addFilter(configured)
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(before)


@pytest.fixture
def task_queue(settings: Any) -> None:
    """Tasks wait in the database, as in production, until the test runs the worker
    (``ampwork.core.worker.run_due()``); without it they run where they are enqueued."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
