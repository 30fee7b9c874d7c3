"""Pulse rounds end to end: invitations, answering once, privacy, results, API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import models
from django.test import Client
from django.utils import timezone

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.core.services import update_organisation
from ampwork.pulse import selectors, services
from ampwork.pulse.models import Invitation, PooledAnswer, Response, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()


@pytest.fixture
def team_of(org: Organisation) -> Callable[[str, int], list[Person]]:
    def make(name: str, size: int) -> list[Person]:
        team = TeamFactory(organisation=org, name=name)
        people = [PersonFactory(organisation=org) for _ in range(size)]
        for p in people:
            MembershipFactory(team=team, person=p)
        return people

    return make


def open_pulse(actor: Actor) -> Round:
    round = services.create_round(
        actor=actor, name="Pulse", opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    services.open_round(actor=actor, round=round)
    return round


def tokens_from_mail() -> list[str]:
    return [m.body.split("/pulse/answer/")[1].split("/")[0] for m in mail.outbox]


def test_each_person_answers_once_and_nothing_links_back(
    admin_actor: Actor, team_of: Callable[..., list[Person]]
) -> None:
    team_of("Core", 6)
    round = open_pulse(admin_actor)
    assert round.minimum == 5
    tokens = tokens_from_mail()
    assert len(tokens) == 7  # six people and the admin, one email each
    first, invitation = services.find_invitation(tokens[0])
    services.answer(
        round=first,
        invitation=invitation,
        answers={"mast1": 4, "purp1": "5"},
        enps=9,
        comment="good",
    )
    with pytest.raises(ValidationFailed, match="already been used"):
        services.answer(round=first, invitation=invitation, answers={"mast1": 2})
    # the answer waits, sealed, in the pool until enough others join it
    assert Response.objects.count() == 0
    assert PooledAnswer.objects.count() == 1
    assert services.answer_count(round) == 1
    assert "good" not in PooledAnswer.objects.get().sealed
    assert Invitation.objects.filter(used=True).count() == 1
    # a response carries no person, no invitation, nothing finer than the day; an
    # invitation says it was used, never when
    for model in (Response, PooledAnswer):
        fields = {f.name: f for f in model._meta.get_fields()}
        assert not any(
            isinstance(f, models.ForeignKey) and f.related_model in (Person, Invitation)
            for f in fields.values()
        )
        assert not any(isinstance(f, models.DateTimeField) for f in fields.values())
        assert isinstance(fields["id"], models.UUIDField)
    assert not any(
        isinstance(f, models.DateField | models.DateTimeField)
        for f in Invitation._meta.get_fields()
    )
    # and the audit log holds no answers
    assert all(
        "mast1" not in json.dumps(e.detail) and "good" not in json.dumps(e.detail)
        for e in AuditEvent.objects.all()
    )


def test_bad_answers_are_refused(admin_actor: Actor, team_of: Callable[..., list[Person]]) -> None:
    team_of("Core", 5)
    round = open_pulse(admin_actor)
    _, invitation = services.find_invitation(tokens_from_mail()[0])
    for answers, field in (({"mast1": 6}, "mast1"), ({"nope": 3}, "nope"), ({}, "answers")):
        with pytest.raises(ValidationFailed) as caught:
            services.answer(round=round, invitation=invitation, answers=answers)
        assert caught.value.errors[0].field == field
    with pytest.raises(ValidationFailed, match="enps"):
        services.answer(round=round, invitation=invitation, answers={"mast1": 3}, enps=11)


def test_minimum_is_locked_while_a_round_is_open(
    admin_actor: Actor, team_of: Callable[..., list[Person]]
) -> None:
    team_of("Core", 5)
    round = open_pulse(admin_actor)
    with pytest.raises(ValidationFailed, match="locked"):
        update_organisation(actor=admin_actor, anonymity_min_group=3)
    services.close_round(actor=admin_actor, round=round)
    update_organisation(actor=admin_actor, anonymity_min_group=4)
    round.refresh_from_db()
    assert round.minimum == 5  # a round keeps the minimum it opened with


def _answer_all(round: Round, actor: Actor, value: int = 4) -> None:
    """Everyone mailed a link answers; then the round closes (results wait for that)."""
    for token in tokens_from_mail():
        found, invitation = services.find_invitation(token)
        if found.pk == round.pk:
            services.answer(
                round=found,
                invitation=invitation,
                answers={"mast1": value, "mast2": value, "mast3": 6 - value},
                enps=9,
            )
    services.close_round(actor=actor, round=round)


def test_managers_see_their_teams_members_only_everyone(
    org: Organisation,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    team_of: Callable[..., list[Person]],
) -> None:
    big = team_of("Big", 8)
    small = team_of("Small", 4)
    lead = make_person(org, Role.MANAGER)
    MembershipFactory(team=small[0].memberships.get().team, person=lead, role="lead")
    round = open_pulse(admin_actor)
    _answer_all(round, admin_actor)
    manager_view = selectors.round_results(actor_of(lead), round)
    groups = {manager_view.names[g]: r for g, r in manager_view.groups.items()}
    assert set(groups) == {f"Everyone ({org.name})", "Small"}
    assert groups["Small"]["suppressed"]
    assert "fewer than 5" in groups["Small"]["reason"]
    assert "subscales" not in groups["Small"]
    member_view = selectors.round_results(actor_of(big[0]), round)
    assert list(member_view.groups) == [0]
    admin_view = selectors.round_results(admin_actor, round)
    assert admin_view.reliability is not None


def test_results_api(
    client: Client,
    org: Organisation,
    admin: Person,
    admin_actor: Actor,
    bearer: Callable[[Person], dict[str, str]],
    team_of: Callable[..., list[Person]],
) -> None:
    team_of("Big", 8)
    small = team_of("Small", 3)
    round = open_pulse(admin_actor)
    _answer_all(round, admin_actor)
    h = bearer(admin)
    body = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **h).json()
    by_name = {g["name"]: g for g in body["groups"]}
    assert by_name["Small"] == {
        "group": by_name["Small"]["group"],
        "name": "Small",
        "suppressed": True,
        "reason": by_name["Small"]["reason"],
    }
    team = small[0].memberships.get().team
    only = client.get(f"/api/v1/pulse/rounds/{round.pk}/results?team={team.pk}", **h).json()
    assert only["groups"][0]["suppressed"] is True
    assert "subscales" not in only["groups"][0]
    assert admin.user is not None
    client.force_login(admin.user)
    csv_text = client.get(f"/pulse/rounds/{round.pk}/export.csv").content.decode()
    small_row = next(line for line in csv_text.splitlines() if line.startswith("Small"))
    assert "suppressed" in small_row
    assert "%" not in small_row


def test_answer_through_the_api_with_a_token(
    client: Client, admin_actor: Actor, team_of: Callable[..., list[Person]]
) -> None:
    team_of("Core", 5)
    round = open_pulse(admin_actor)
    token = tokens_from_mail()[0]
    url = f"/api/v1/pulse/rounds/{round.pk}/responses"
    body = {"token": token, "answers": {"mast1": 4}, "enps": 8}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 422
    wrong = client.post(url, json.dumps({**body, "token": "nope"}), content_type="application/json")
    assert wrong.status_code == 404


def test_unattributed_round(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    head = actor_of(make_person(school, Role.ADMIN))
    klass = TeamFactory(organisation=school, name="7B")
    round = services.create_round(
        actor=head,
        name="Class",
        opens=TODAY,
        closes=TODAY,
        team_ids=[klass.pk],
        mode=Round.Mode.UNATTRIBUTED,
        audience_size=3,
    )
    opened = services.open_round(actor=head, round=round)
    assert opened.shared_token
    assert opened.invited == 0
    assert not Invitation.objects.exists()
    for _ in range(3):
        client.cookies.clear()  # three browsers
        response = client.post(f"/pulse/answer/{opened.shared_token}/", {"mast1": "4"})
        assert b"Thank you" in response.content
    services.close_round(actor=head, round=round)
    assert Response.objects.filter(round=round, group=klass).count() == 3


def test_answer_page_explains_privacy(
    client: Client, admin_actor: Actor, team_of: Callable[..., list[Person]]
) -> None:
    team_of("Core", 5)
    open_pulse(admin_actor)
    page = client.get(f"/pulse/answer/{tokens_from_mail()[0]}/").content.decode()
    assert "without your name" in page
    assert 'type="radio"' in page
    assert client.get("/pulse/answer/not-a-token/").status_code == 404


def test_differencing_in_the_api_matches_the_page(
    admin_actor: Actor,
    admin: Person,
    client: Client,
    org: Organisation,
    bearer: Callable[[Person], dict[str, str]],
    team_of: Callable[..., list[Person]],
) -> None:
    team_of("A", 12)
    team_of("B", 14)
    round = open_pulse(admin_actor)  # 26 in teams + the admin, in no team
    _answer_all(round, admin_actor)
    page = selectors.round_results(admin_actor, round)
    api = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **bearer(admin)).json()
    assert {g["group"]: g["suppressed"] for g in api["groups"]} == {
        g: r["suppressed"] for g, r in page.groups.items()
    }
    assert sum(1 for g in api["groups"] if g["suppressed"]) == 1  # one of A or B hides


def test_reminders_replace_unused_links_only(
    admin_actor: Actor, team_of: Callable[..., list[Person]]
) -> None:
    team_of("Core", 5)
    round = open_pulse(admin_actor)
    first = tokens_from_mail()[0]
    found, invitation = services.find_invitation(first)
    services.answer(round=found, invitation=invitation, answers={"mast1": 3})
    mail.outbox.clear()
    assert services.remind(actor=admin_actor, round=round) == 5
    assert len(mail.outbox) == 5
    assert all("Reminder" in m.subject for m in mail.outbox)
    fresh = tokens_from_mail()
    found, invitation = services.find_invitation(fresh[0])
    services.answer(round=found, invitation=invitation, answers={"mast1": 4})
    assert services.answer_count(round) == 2
