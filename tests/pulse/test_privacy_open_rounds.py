"""Differencing over time: an open round's results would move with every answer, so
reading a group just before and just after one person answers would give that person's
answers, comment included. Results exist only once a round is closed; while it is open
the page, the export and the API give only how many answered in all.

Also: closing only an open round, comparing with the previous *closed* round, and a
double submit of one link."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.pulse import selectors, services
from ampwork.pulse.models import Invitation, Response, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory
from .test_privacy import _tokens

TODAY = timezone.localdate()
SECRET = "the one comment only Zed wrote"


def _team(org: Organisation, name: str, size: int) -> list[Person]:
    team = TeamFactory(organisation=org, name=name)
    people = [PersonFactory(organisation=org) for _ in range(size)]
    for person in people:
        MembershipFactory(team=team, person=person)
    return people


def _answer(token: str, value: int, comment: str = "") -> None:
    round, invitation = services.find_invitation(token)
    services.answer(
        round=round,
        invitation=invitation,
        answers={"mast1": value, "mast2": value, "purp1": value},
        enps=value * 2,
        comment=comment,
    )


def _without_csrf(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", page)


def _read_all(client: Client, headers: dict[str, str], round: Round) -> dict[str, Any]:
    return {
        "api": client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **headers).json(),
        "page": _without_csrf(client.get(f"/pulse/rounds/{round.pk}/").content.decode()),
        "csv": client.get(f"/pulse/rounds/{round.pk}/export.csv").content.decode(),
    }


def test_one_more_answer_to_an_open_round_teaches_nothing(
    org: Organisation,
    admin: Person,
    admin_actor: Actor,
    client: Client,
    bearer: Callable[[Person], dict[str, str]],
    make_person: Callable[..., Person],
) -> None:
    """The attack: eleven people in Core (above the minimum and the comment minimum);
    ten answer; the admin reads everything; Zed answers; the admin reads again and
    subtracts. Nothing but the total count moved; after closing, results are there."""
    people = _team(org, "Core", 11)
    round = services.create_round(
        actor=admin_actor, name="Pulse", opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    services.open_round(actor=admin_actor, round=round, send=True)
    tokens = _tokens()
    for i, person in enumerate(people[:10]):
        _answer(tokens[person.email], 4, f"ordinary comment {i}")
    assert admin.user is not None
    client.force_login(admin.user)
    headers = bearer(admin)
    before = _read_all(client, headers, round)
    _answer(tokens[people[10].email], 1, SECRET)  # Zed
    after = _read_all(client, headers, round)

    # the API: no groups, no scores, no comments, before or after — only the count
    for body, count in ((before["api"], 10), (after["api"], 11)):
        assert body["results_available"] is False
        assert body["groups"] == []
        assert body["status"] == "open"
        assert body["results_from"] == round.closes.isoformat()
        assert body["responses"] == count
        assert body["participation"] == pytest.approx(count / 12)  # 11 + the admin
    moved = {k for k in before["api"] if before["api"][k] != after["api"].get(k)}
    assert moved == {"responses", "participation"}
    # the page: the count changed, and nothing else
    assert after["page"] == before["page"].replace(
        "10 responses of 12 invited", "11 responses of 12 invited"
    ).replace("So far 10 answered (83%", "So far 11 answered (92%")
    assert "Results appear when the round closes on" in after["page"]
    # the export: one row, all groups together
    assert after["csv"].splitlines()[1:] == [
        f"all groups together,11,0.92,,results appear when the round closes on "
        f"{round.closes.isoformat()}"
    ]
    for text in (*before.values(), *after.values()):
        text = str(text)
        assert SECRET not in text
        assert "ordinary comment" not in text
        assert "Core" not in text
    # a manager of Core sees no more
    lead = make_person(org, Role.MANAGER)
    MembershipFactory(team=people[0].memberships.get().team, person=lead, role="lead")
    lead_view = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **bearer(lead)).json()
    assert lead_view["groups"] == []
    assert lead_view["responses"] == 11

    # closed: the results are there (so the reads above would have shown them)
    services.close_round(actor=admin_actor, round=round)
    closed = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **headers).json()
    assert closed["results_available"] is True
    assert "results_from" not in closed
    core = next(g for g in closed["groups"] if g["name"] == "Core")
    assert core["n"] == 11
    assert SECRET in core["comments"]
    page = client.get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Favourable answers by" in page
    assert "Results appear when" not in page


def test_a_draft_has_no_results_and_an_open_shared_link_only_its_count(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    head = make_person(school, Role.ADMIN)
    klass = TeamFactory(organisation=school, name="7B")
    round = services.create_round(
        actor=actor_of(head),
        name="Class",
        opens=TODAY,
        closes=TODAY,
        team_ids=[klass.pk],
        mode=Round.Mode.UNATTRIBUTED,
        audience_size=4,
    )
    draft = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **bearer(head)).json()
    assert draft["results_available"] is False
    assert draft["groups"] == []
    assert draft["responses"] == 0
    token = services.open_round(actor=actor_of(head), round=round).shared_token
    for _ in range(3):
        client.cookies.clear()
        answered = client.post(f"/pulse/answer/{token}/", {"mast1": "4"}, REMOTE_ADDR="192.0.2.9")
        assert answered.status_code == 200
    body = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **bearer(head)).json()
    assert body["groups"] == []
    assert body["responses"] == 3
    assert body["participation"] == pytest.approx(0.75)


def _round_with_answers(actor: Actor, opens: dt.date, value: int, *, close: bool) -> Round:
    round = services.create_round(actor=actor, name=f"Pulse {opens}", opens=opens, closes=TODAY)
    services.open_round(actor=actor, round=round, send=False)
    for invitation in Invitation.objects.filter(round=round):
        services.answer(
            round=round,
            invitation=invitation,
            answers={"mast1": value, "mast2": value, "mast3": 6 - value},
        )
    if close:
        services.close_round(actor=actor, round=round)
    round.refresh_from_db()
    return round


def test_the_change_is_against_the_previous_closed_round(
    org: Organisation, admin_actor: Actor
) -> None:
    """An open (or draft) round in between is skipped: comparing with it would move with
    its every answer."""
    _team(org, "Core", 7)
    first = _round_with_answers(admin_actor, TODAY - dt.timedelta(days=3), 2, close=True)
    _round_with_answers(admin_actor, TODAY - dt.timedelta(days=2), 5, close=False)
    services.create_round(
        actor=admin_actor, name="Draft", opens=TODAY - dt.timedelta(days=1), closes=TODAY
    )
    last = _round_with_answers(admin_actor, TODAY, 4, close=True)
    found = selectors.round_results(admin_actor, last)
    assert found.previous == first
    assert found.changes["mastery"].delta == pytest.approx(100)


def test_only_an_open_round_can_be_closed(
    org: Organisation, admin: Person, admin_actor: Actor, client: Client
) -> None:
    _team(org, "Core", 5)
    round = services.create_round(
        actor=admin_actor, name="Pulse", opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    with pytest.raises(ValidationFailed) as draft:
        services.close_round(actor=admin_actor, round=round)
    assert draft.value.errors[0].field == "status"
    round.refresh_from_db()
    assert round.status == Round.Status.DRAFT
    services.open_round(actor=admin_actor, round=round, send=False)
    services.close_round(actor=admin_actor, round=round)
    closed_events = AuditEvent.objects.filter(action="pulse.closed").count()
    with pytest.raises(ValidationFailed) as again:
        services.close_round(actor=admin_actor, round=round)
    assert again.value.errors[0].field == "status"
    assert "only an open round" in again.value.errors[0].message
    # through the page: a clear message, no 500, nothing recorded twice
    assert admin.user is not None
    client.force_login(admin.user)
    response = client.post(f"/pulse/rounds/{round.pk}/status/", {"action": "close"}, follow=True)
    assert response.status_code == 200
    assert b"only an open round" in response.content
    assert AuditEvent.objects.filter(action="pulse.closed").count() == closed_events


def test_a_double_submit_of_one_link_gives_one_answer(
    org: Organisation, admin_actor: Actor, client: Client
) -> None:
    """Two submits of one link at once: the second request's statements run just before
    the first one marks the link used (as two requests interleave on SQLite, where
    ``select_for_update`` locks nothing). The check and the mark are one conditional
    update, so exactly one answer is taken; the other gets a 4xx naming the token."""
    _team(org, "Core", 5)
    round = services.create_round(
        actor=admin_actor, name="Pulse", opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    services.open_round(actor=admin_actor, round=round, send=False)
    link = Invitation.objects.filter(round=round).first()
    assert link is not None
    other: list[BaseException | None] = []

    def interleave(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not other and sql.lstrip().upper().startswith("UPDATE") and "invitation" in sql:
            try:  # the other submit, with its own copy of the unused link
                other.append(None)
                services.answer(
                    round=round,
                    invitation=Invitation.objects.get(pk=link.pk),
                    answers={"mast1": 1},
                )
            except ValidationFailed as exc:
                other[0] = exc
        return execute(sql, params, many, context)

    refused: list[ValidationFailed] = []
    with connection.execute_wrapper(interleave):
        try:
            services.answer(round=round, invitation=link, answers={"mast1": 4})
        except ValidationFailed as exc:
            refused.append(exc)
    assert other
    assert services.answer_count(round) == 1
    errors = [e for e in [*other, *refused] if e is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationFailed)
    assert errors[0].errors[0].field == "token"
    assert Invitation.objects.get(pk=link.pk).used
    # a later stale copy is refused as well (the API and the page answer it with 422)
    with pytest.raises(ValidationFailed):
        services.answer(round=round, invitation=link, answers={"mast1": 1})
    services.close_round(actor=admin_actor, round=round)
    assert Response.objects.filter(round=round).count() == 1
