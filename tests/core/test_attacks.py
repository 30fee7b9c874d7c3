"""Attacks on access, performed as a determined insider would (issue 14, items 2, 7 and 9).

Each test does the attack through the same doors a person has (the API, the web pages,
imports) and checks it gets nothing — and that what an admin may do is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ampwork.autonomy.models import LedgerEntry
from ampwork.core import imports, services
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.middleware import SESSION_KEY
from ampwork.core.models import (
    AuditEvent,
    Invitation,
    Organisation,
    Person,
    Role,
    Team,
    TeamMembership,
)
from ampwork.core.permissions import Actor
from ampwork.mastery.models import Review
from ampwork.okrs.models import Objective

from ..factories import CycleFactory, MembershipFactory, ObjectiveFactory, TeamFactory

Headers = Callable[[Person], dict[str, str]]


def _events(org: Organisation, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(organisation=org, action=action).order_by("id"))


# ---------------------------------------------------------------- item 7: self-grants


@pytest.fixture
def target(org: Organisation, make_person: Callable[..., Person]) -> dict[str, Any]:
    """X, who reports to M, with a weekly review, a private objective and a ledger entry;
    people ops P, who is nobody's manager; R, who reports to P."""
    boss = make_person(org, Role.MANAGER, name="Mia Manager")
    x = make_person(org, name="Xavier Target", manager=boss)
    ops = make_person(org, Role.PEOPLE_OPS, name="Pat People")
    r = make_person(org, name="Rae Report", manager=ops)
    Review.objects.create(
        organisation=org, person=x, week=dt.date(2026, 11, 2), wins="a very private win"
    )
    private = ObjectiveFactory(
        cycle=CycleFactory(organisation=org),
        owner_person=x,
        title="Secret objective of X",
        visibility=Objective.Visibility.PRIVATE,
    )
    LedgerEntry.objects.create(organisation=org, person=x, t="time", level=2, why="trusted")
    return {"boss": boss, "x": x, "ops": ops, "r": r, "private": private}


def _reads_nothing_of_x(client: Client, headers: dict[str, str], t: dict[str, Any]) -> None:
    x, private = t["x"], t["private"]
    reviews = client.get(f"/api/v1/reviews?person_id={x.pk}", **headers)
    assert reviews.status_code == 200
    assert reviews.json()["items"] == []
    assert "very private win" not in reviews.content.decode()
    assert client.get(f"/api/v1/objectives/{private.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/autonomy/people/{x.pk}", **headers).status_code in (403, 404)


def test_people_ops_cannot_make_themselves_someones_manager(
    client: Client, target: dict[str, Any], bearer: Headers, admin: Person
) -> None:
    t = target
    x, ops, boss, r = t["x"], t["ops"], t["boss"], t["r"]
    headers = bearer(ops)
    _reads_nothing_of_x(client, headers, t)
    # directly; through X's manager (ops above M); through someone who reports to ops
    for person, manager in ((x, ops), (boss, ops), (x, r)):
        answer = client.patch(
            f"/api/v1/people/{person.pk}",
            {"manager_id": manager.pk},
            content_type="application/json",
            **headers,
        )
        assert answer.status_code == 403, answer.content
        assert "admin must make this change" in answer.json()["detail"]
    x.refresh_from_db()
    boss.refresh_from_db()
    assert x.manager_id == boss.pk
    assert boss.manager_id is None
    _reads_nothing_of_x(client, headers, t)
    assert _events(x.organisation, "person.manager_changed") == []
    # the same through the web form
    client.force_login(ops.user)  # type: ignore[arg-type]
    page = client.post(
        f"/people/{x.pk}/edit/",
        {"name": x.name, "email": x.email, "role": x.role, "manager_email": ops.email},
    )
    assert page.status_code == 403
    x.refresh_from_db()
    assert x.manager_id == boss.pk
    # an admin may, and it is audited with who did it and the old and new manager
    answer = client.patch(
        f"/api/v1/people/{x.pk}",
        {"manager_id": ops.pk},
        content_type="application/json",
        **bearer(admin),
    )
    assert answer.status_code == 200
    (event,) = _events(x.organisation, "person.manager_changed")
    assert event.actor_email == admin.email
    assert event.detail == {"manager": [boss.pk, ops.pk]}
    assert event.target_id == str(x.pk)


def test_rearranging_below_oneself_grants_nothing_and_is_allowed(
    target: dict[str, Any], make_person: Callable[..., Person], actor_of: Callable[..., Actor]
) -> None:
    ops, r = target["ops"], target["r"]
    below_r = make_person(ops.organisation, name="Below R", manager=r)
    services.update_person(actor=actor_of(ops), person=below_r, manager_id=ops.pk)
    below_r.refresh_from_db()
    assert below_r.manager_id == ops.pk


def test_people_ops_cannot_make_themselves_a_team_lead(
    client: Client, target: dict[str, Any], bearer: Headers, admin: Person
) -> None:
    x, ops = target["x"], target["ops"]
    org = x.organisation
    team = TeamFactory(organisation=org, name="Design")
    MembershipFactory(team=team, person=x)
    headers = bearer(ops)
    # adding themselves as lead
    answer = client.post(
        "/api/v1/memberships",
        {"team_id": team.pk, "person_id": ops.pk, "role": "lead"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 403
    assert "admin must make this change" in answer.json()["detail"]
    # joining as a member is harmless; promoting themselves to lead is not
    answer = client.post(
        "/api/v1/memberships",
        {"team_id": team.pk, "person_id": ops.pk, "role": "member"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 201
    mine = answer.json()["id"]
    answer = client.patch(
        f"/api/v1/memberships/{mine}", {"role": "lead"}, content_type="application/json", **headers
    )
    assert answer.status_code == 403
    assert TeamMembership.objects.get(pk=mine).role == TeamMembership.Role.MEMBER
    _reads_nothing_of_x(client, headers, target)
    # a team they already lead (made so by an admin): they cannot pull X into it
    led = TeamFactory(organisation=org, name="Ops squad")
    services.add_membership(
        actor=Actor(organisation=org, role=Role.ADMIN, user=admin.user, person=admin),
        team_id=led.pk,
        person_id=ops.pk,
        role="lead",
    )
    answer = client.post(
        "/api/v1/memberships",
        {"team_id": led.pk, "person_id": x.pk},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 403
    assert not TeamMembership.objects.filter(team=led, person=x).exists()
    _reads_nothing_of_x(client, headers, target)
    # the web form answers the same
    client.force_login(ops.user)  # type: ignore[arg-type]
    page = client.post(f"/teams/{led.pk}/members/", {"email": x.email, "role": "member"})
    assert page.status_code == 403
    assert not TeamMembership.objects.filter(team=led, person=x).exists()
    # the admin's grant is audited
    (event,) = [e for e in _events(org, "membership.added") if e.detail["role"] == "lead"]
    assert event.actor_email == admin.email
    assert event.detail == {"team": led.pk, "person": ops.pk, "role": "lead"}


def test_new_people_cannot_be_placed_under_oneself(
    target: dict[str, Any], actor_of: Callable[..., Actor], admin_actor: Actor
) -> None:
    ops, r = target["ops"], target["r"]
    org = ops.organisation
    led = Team.objects.create(organisation=org, name="Led by ops")
    services.add_membership(actor=admin_actor, team_id=led.pk, person_id=ops.pk, role="lead")
    me = actor_of(ops)
    for fields in ({"manager_id": ops.pk}, {"manager_id": r.pk}, {"team_ids": [led.pk]}):
        with pytest.raises(NotAllowed, match="admin must make this change"):
            services.create_person(actor=me, name="New", email="new@x.example", **fields)
    assert not Person.objects.filter(email="new@x.example").exists()
    # a manager line that does not run through them is fine
    services.create_person(
        actor=me, name="New", email="new@x.example", manager_id=target["boss"].pk
    )


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ("New One,new1@x.example,{ops},,", "manager_email"),  # directly
        ("New One,new1@x.example,{r},,", "manager_email"),  # through their report
        # through another new row that reports to them
        ("Mid,mid@x.example,{ops},,\nNew One,new1@x.example,mid@x.example,,", "manager_email"),
        ("New One,new1@x.example,,Led by ops,", "teams"),
        ("New One,new1@x.example,,,Led by ops", "lead_of"),
    ],
)
def test_imports_cannot_place_people_under_the_importer(
    target: dict[str, Any],
    actor_of: Callable[..., Actor],
    admin_actor: Actor,
    rows: str,
    field: str,
) -> None:
    ops, r = target["ops"], target["r"]
    org = ops.organisation
    led = Team.objects.create(organisation=org, name="Led by ops")
    services.add_membership(actor=admin_actor, team_id=led.pk, person_id=ops.pk, role="lead")
    text = "name,email,manager_email,teams,lead_of\n" + rows.format(ops=ops.email, r=r.email)
    before = Person.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        imports.import_people(actor=actor_of(ops), text=text)
    errors = [e for e in caught.value.errors if e.field == field]
    assert errors
    assert all("admin" in e.message for e in errors)
    assert errors[-1].line == text.count("\n") + 1
    assert Person.objects.count() == before
    # the preview shows the same refusal; an admin's import of the same file goes through
    assert not imports.plan_people(org, text, actor=actor_of(ops)).ok
    assert imports.import_people(actor=admin_actor, text=text) == text.count("\n")
    (event,) = _events(org, "people.imported")
    assert event.actor_email == admin_actor.label
    assert event.detail["count"] == text.count("\n")


# ---------------------------------------------------------------- item 2: the audit log


def test_every_change_to_people_teams_and_memberships_is_audited(
    admin_actor: Actor, org: Organisation, make_person: Callable[..., Person]
) -> None:
    who = admin_actor
    boss = make_person(org, Role.MANAGER)
    parent = services.create_team(actor=who, name="Engineering", kind="department")
    team = services.create_team(actor=who, name="Platform")
    person = services.create_person(
        actor=who, name="Ann", email="ann@x.example", team_ids=[team.pk]
    )
    services.update_person(actor=who, person=person, name="Ann B", job_title="Engineer")
    services.update_person(actor=who, person=person, manager_id=boss.pk)
    services.update_person(actor=who, person=person, manager_id=None)
    services.update_team(actor=who, team=team, name="Platform team")
    services.update_team(actor=who, team=team, parent_id=parent.pk)
    membership = TeamMembership.objects.get(team=team, person=person)
    services.update_membership(actor=who, membership=membership, role="lead")
    services.remove_membership(actor=who, membership=membership)
    services.add_membership(actor=who, team_id=parent.pk, person_id=person.pk)
    services.update_team(actor=who, team=team, parent_id=None)
    team_id = team.pk
    services.delete_team(actor=who, team=team)
    log = list(AuditEvent.objects.filter(organisation=org).order_by("id"))
    assert all(e.actor_email == who.label for e in log)
    assert [e.action for e in log] == [
        "team.created",
        "team.created",
        "person.created",
        "membership.added",
        "person.updated",
        "person.updated",
        "person.manager_changed",
        "person.updated",
        "person.manager_changed",
        "team.updated",
        "team.updated",
        "team.moved",
        "membership.role_changed",
        "membership.removed",
        "membership.added",
        "team.updated",
        "team.moved",
        "team.deleted",
    ]
    by = {e.action: [x.detail for x in log if x.action == e.action] for e in log}
    assert by["person.manager_changed"] == [
        {"manager": [None, boss.pk]},
        {"manager": [boss.pk, None]},
    ]
    assert by["team.moved"] == [{"parent": [None, parent.pk]}, {"parent": [parent.pk, None]}]
    assert by["membership.role_changed"] == [
        {"team": team_id, "person": person.pk, "role": ["member", "lead"]}
    ]
    assert by["person.updated"][0] == {
        "changes": {"name": ["Ann", "Ann B"], "job_title": ["", "Engineer"]}
    }
    assert by["team.deleted"] == [{"name": "Platform team", "parent": None, "members": []}]
    # a change that changes nothing writes nothing
    count = len(log)
    services.update_person(actor=who, person=person, manager_id=None)
    services.update_membership(
        actor=who, membership=TeamMembership.objects.get(person=person), role="member"
    )
    assert AuditEvent.objects.filter(organisation=org).count() == count


def test_the_audit_names_who_did_it_through_the_api(
    client: Client, admin: Person, bearer: Headers
) -> None:
    answer = client.post(
        "/api/v1/teams", {"name": "Data"}, content_type="application/json", **bearer(admin)
    )
    assert answer.status_code == 201
    (event,) = _events(admin.organisation, "team.created")
    assert event.actor_id == admin.user_id
    assert event.actor_email == admin.email
    assert event.target_id == str(answer.json()["id"])


def test_team_imports_are_audited(admin_actor: Actor, org: Organisation) -> None:
    imports.import_teams(actor=admin_actor, text="name,parent\nA,\nB,A\n")
    (event,) = _events(org, "teams.imported")
    assert event.detail["count"] == 2


# ---------------------------------------------------------------- item 9: invitations


@pytest.fixture
def alice(org: Organisation, make_person: Callable[..., Person]) -> Person:
    """Alice, with an account, in organisation A (Acme)."""
    return make_person(org, name="Alice")


@pytest.fixture
def b_admin(other_org: Organisation, make_person: Callable[..., Person]) -> Person:
    return make_person(other_org, Role.ADMIN)


def _current(client: Client, url: str = "/") -> Any:
    response = client.get(url)
    return client.session.get(SESSION_KEY), response


def test_adding_an_existing_account_only_invites_it(
    django_capture_on_commit_callbacks: Any,
    client: Client,
    alice: Person,
    b_admin: Person,
    bearer: Headers,
    org: Organisation,
    other_org: Organisation,
) -> None:
    password_before = alice.user.password  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/people",
            {"name": "Alice in B", "email": alice.email.upper()},
            content_type="application/json",
            **bearer(b_admin),
        )
    assert answer.status_code == 201
    in_b = Person.objects.get(pk=answer.json()["id"])
    assert in_b.user_id is None
    (invitation,) = Invitation.objects.filter(person=in_b)
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.user == alice.user
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "/invitations/" in mail.outbox[0].body
    # B cannot set her a password (web and service), nor attach the account that way
    client.force_login(b_admin.user)  # type: ignore[arg-type]
    shown = client.get(f"/people/{in_b.pk}/").content.decode()
    assert "waits for them to accept" in shown
    assert "Create sign-in" not in shown
    client.post(f"/people/{in_b.pk}/login/", {"password": "a new password for alice"})
    in_b.refresh_from_db()
    alice.user.refresh_from_db()  # type: ignore[union-attr]
    assert in_b.user_id is None
    assert alice.user.password == password_before  # type: ignore[union-attr]
    assert Invitation.objects.filter(person=in_b).count() == 1  # not a second one
    # alice's session cannot be switched into B: not by ?org=, not by the switcher
    client.force_login(alice.user)  # type: ignore[arg-type]
    session_org, _ = _current(client, f"/?org={other_org.slug}")
    assert session_org in (None, org.pk)
    answer = client.get(f"/api/v1/me?org={other_org.slug}")
    assert answer.json()["organisation"]["id"] == org.pk
    assert [o["id"] for o in answer.json()["organisations"]] == [org.pk]
    client.post("/switch/", {"organisation": other_org.pk})
    assert client.session.get(SESSION_KEY) != other_org.pk
    assert client.get("/people/").context["current_org"] == org
    # she sees the invitation and accepts it, signed in
    page = client.get("/invitations/")
    assert other_org.name in page.content.decode()
    client.post(f"/invitations/{invitation.pk}/accept/")
    in_b.refresh_from_db()
    assert in_b.user_id == alice.user_id
    assert client.session[SESSION_KEY] == other_org.pk
    # now both doors work
    client.get(f"/?org={org.slug}")
    assert client.session[SESSION_KEY] == org.pk
    client.get(f"/?org={other_org.slug}")
    assert client.session[SESSION_KEY] == other_org.pk
    client.post("/switch/", {"organisation": org.pk})
    assert client.session[SESSION_KEY] == org.pk
    (event,) = _events(other_org, "invitation.accepted")
    assert event.actor_email == alice.email
    # and the password B tried to set never became hers
    alice.user.refresh_from_db()  # type: ignore[union-attr]
    assert alice.user.password == password_before  # type: ignore[union-attr]


def test_only_the_invited_account_can_accept_and_declining_keeps_it_out(
    client: Client,
    alice: Person,
    b_admin: Person,
    other_org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[..., Actor],
) -> None:
    in_b = services.create_person(actor=actor_of(b_admin), name="Alice", email=alice.email)
    invitation = Invitation.objects.get(person=in_b)
    mallory = make_person(alice.organisation, name="Mallory")
    client.force_login(mallory.user)  # type: ignore[arg-type]
    assert client.post(f"/invitations/{invitation.pk}/accept/").status_code == 404
    assert other_org.name not in client.get("/invitations/").content.decode()
    in_b.refresh_from_db()
    assert in_b.user_id is None
    client.force_login(alice.user)  # type: ignore[arg-type]
    client.post(f"/invitations/{invitation.pk}/decline/")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    (event,) = _events(other_org, "invitation.declined")
    assert event.actor_email == alice.email
    assert client.post(f"/invitations/{invitation.pk}/accept/").status_code == 404
    client.get(f"/?org={other_org.slug}")
    assert client.session.get(SESSION_KEY) != other_org.pk


def test_an_import_invites_existing_accounts_instead_of_attaching_them(
    alice: Person, b_admin: Person, actor_of: Callable[..., Actor]
) -> None:
    text = f"name,email\nAlice,{alice.email}\nNew Person,fresh@b.example\n"
    assert imports.import_people(actor=actor_of(b_admin), text=text) == 2
    in_b = Person.objects.get(organisation=b_admin.organisation, email=alice.email)
    assert in_b.user_id is None
    assert Invitation.objects.get(person=in_b).status == Invitation.Status.PENDING


def test_changing_an_email_to_an_existing_account_invites_it(
    alice: Person, b_admin: Person, actor_of: Callable[..., Actor]
) -> None:
    who = actor_of(b_admin)
    someone = services.create_person(actor=who, name="Someone", email="someone@b.example")
    services.update_person(actor=who, person=someone, email=alice.email)
    someone.refresh_from_db()
    assert someone.user_id is None
    assert Invitation.objects.get(person=someone).user == alice.user
    # changed again: the stale invitation is withdrawn and cannot be accepted
    services.update_person(actor=who, person=someone, email="other@b.example")
    assert Invitation.objects.get(person=someone).status == Invitation.Status.WITHDRAWN
