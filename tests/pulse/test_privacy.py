"""Pulse privacy, tested as an insider would attack it (issue 14, attacks 1, 2, 3 and 5):
moving or padding teams after a round opened, stuffing a class's shared link, reading
answers out of the database's order or the export, and finding links in the server log.
Each test performs the attack and checks that it gets nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ampwork.core import backup
from ampwork.core import services as core_services
from ampwork.core.models import AuditEvent, Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.pulse import selectors, services
from ampwork.pulse.models import Invitation, PooledAnswer, ReportingGroup, Response, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()


def _team(org: Organisation, name: str, size: int, parent: Team | None = None) -> list[Person]:
    team = TeamFactory(organisation=org, name=name, parent=parent)
    people = [PersonFactory(organisation=org) for _ in range(size)]
    for person in people:
        MembershipFactory(team=team, person=person)
    return people


def _open(actor: Actor, **kwargs: Any) -> Round:
    round = services.create_round(
        actor=actor, name="Pulse", opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    services.open_round(actor=actor, round=round, **kwargs)
    round.refresh_from_db()
    return round


def _tokens() -> dict[str, str]:
    """Each invited person's one-time link, by email address."""
    return {m.to[0]: m.body.split("/pulse/answer/")[1].split("/")[0] for m in mail.outbox}


def _answer(token: str, value: int, comment: str = "") -> None:
    round, invitation = services.find_invitation(token)
    services.answer(
        round=round,
        invitation=invitation,
        answers={"mast1": value, "mast2": value, "task1": value},
        enps=value * 2,
        comment=comment,
    )


# ---------------------------------------------------------------- 1. moving a team


@pytest.fixture
def moved(org: Organisation, admin_actor: Actor) -> dict[str, Any]:
    """Parent (nine people) holds Solo (one person); Other has six. All but the admin
    answer; Solo's person answers unlike anyone else."""
    parent_people = _team(org, "Parent", 9)
    parent = Team.objects.get(organisation=org, name="Parent")
    solo = _team(org, "Solo", 1, parent=parent)[0]
    _team(org, "Other", 6)
    round = _open(admin_actor)
    tokens = _tokens()
    for person in parent_people:
        _answer(tokens[person.email], 4, "fine")
    _answer(tokens[solo.email], 1, "the one secret comment")
    for person in Person.objects.filter(memberships__team__name="Other"):
        _answer(tokens[person.email], 4, "fine")
    return {
        "round": round,
        "parent": parent,
        "solo": Team.objects.get(name="Solo"),
        "other": Team.objects.get(name="Other"),
    }


def test_moving_a_one_person_team_after_opening_reveals_nothing(
    client: Client,
    admin: Person,
    admin_actor: Actor,
    bearer: Callable[[Person], dict[str, str]],
    moved: dict[str, Any],
) -> None:
    round = moved["round"]
    services.close_round(actor=admin_actor, round=round)  # results wait for closing
    headers = bearer(admin)
    url = f"/api/v1/pulse/rounds/{round.pk}/results"
    before = client.get(url, **headers).json()
    by_name = {g["name"]: g for g in before["groups"]}
    assert by_name["Parent"]["n"] == 10
    assert not by_name["Parent"]["suppressed"]
    assert admin.user is not None
    client.force_login(admin.user)
    csv_before = client.get(f"/pulse/rounds/{round.pk}/export.csv").content
    page_before = selectors.round_results(admin_actor, round)
    # the attack: move Solo out from under Parent through the API, read again, subtract
    moved_out = client.patch(
        f"/api/v1/teams/{moved['solo'].pk}",
        json.dumps({"parent_id": moved["other"].pk}),
        content_type="application/json",
        **headers,
    )
    assert moved_out.status_code == 200, moved_out.content
    assert client.get(url, **headers).json() == before
    # ... and through the service, to the top of the tree, renamed
    core_services.update_team(
        actor=admin_actor, team=Team.objects.get(pk=moved["solo"].pk), parent_id=None
    )
    core_services.update_team(
        actor=admin_actor, team=Team.objects.get(pk=moved["parent"].pk), name="Renamed"
    )
    assert client.get(url, **headers).json() == before
    assert client.get(f"/pulse/rounds/{round.pk}/export.csv").content == csv_before
    after = selectors.round_results(admin_actor, round)
    assert after.groups == page_before.groups
    assert after.names == page_before.names
    # deleting the little team (its answers would otherwise fall to the top) changes
    # nothing either
    TeamMembership.objects.filter(team=moved["solo"]).delete()
    core_services.delete_team(actor=admin_actor, team=Team.objects.get(pk=moved["solo"].pk))
    assert client.get(url, **headers).json() == before


def test_results_use_the_tree_frozen_at_opening(
    org: Organisation, admin_actor: Actor, moved: dict[str, Any]
) -> None:
    round = moved["round"]
    frozen = {g.team_id: g.parent_id for g in ReportingGroup.objects.filter(round=round)}
    assert frozen[moved["solo"].pk] == moved["parent"].pk
    Team.objects.filter(pk=moved["solo"].pk).update(parent=moved["other"])
    tree = selectors.frozen_tree(round)
    assert tree.parents[moved["solo"].pk] == moved["parent"].pk
    assert tree.order.index(moved["solo"].pk) == tree.order.index(moved["parent"].pk) + 1


def test_a_managers_results_and_heatmap_read_the_frozen_tree(
    org: Organisation,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    moved: dict[str, Any],
) -> None:
    """The home page's heatmap (advisor.dashboards) reads round_results, so this covers it."""
    lead = make_person(org, Role.MANAGER)
    MembershipFactory(team=moved["parent"], person=lead, role="lead")
    services.close_round(actor=admin_actor, round=moved["round"])
    before = selectors.round_results(actor_of(lead), moved["round"])
    Team.objects.filter(pk=moved["solo"].pk).update(parent=None)
    after = selectors.round_results(actor_of(lead), moved["round"])
    assert after.groups == before.groups
    assert after.groups[moved["parent"].pk]["n"] == 10


# ---------------------------------------------------------------- 2. padding


def test_padding_a_one_person_team_after_opening_changes_nothing(
    org: Organisation,
    admin_actor: Actor,
    client: Client,
    make_person: Callable[..., Person],
) -> None:
    lone = _team(org, "Lone", 1)[0]
    _team(org, "Big", 6)
    round = _open(admin_actor)
    tokens = _tokens()
    for token in tokens.values():
        _answer(token, 3)
    lone_team = Team.objects.get(name="Lone")
    before = selectors.round_results(admin_actor, round)  # open: only the count
    # the attack: four people whose links staff would control join the lone team
    padding = [make_person(org) for _ in range(4)]
    for person in padding:
        core_services.add_membership(actor=admin_actor, team_id=lone_team.pk, person_id=person.pk)
    assert not Invitation.objects.filter(round=round, person__in=padding).exists()
    assert client.get("/pulse/answer/" + tokens[lone.email] + "/").status_code == 200
    for person in padding:  # they cannot answer: they were not invited
        assert person.user is not None
        client.force_login(person.user)
        assert client.post(f"/pulse/rounds/{round.pk}/answer/", {"mast1": "5"}).status_code == 403
    remind_sent = services.remind(actor=admin_actor, round=round)
    assert remind_sent == 0
    assert not any(m.to[0] in {p.email for p in padding} for m in mail.outbox)
    after = selectors.round_results(admin_actor, round)
    assert after.groups == before.groups
    assert after.invited == before.invited
    assert after.responses == before.responses == 8
    # closed: the lone team stays hidden, and padding it further changes nothing
    services.close_round(actor=admin_actor, round=round)
    closed = selectors.round_results(admin_actor, round)
    assert closed.groups[lone_team.pk]["suppressed"]
    assert closed.invited == 8
    assert closed.responses == 8
    core_services.add_membership(
        actor=admin_actor, team_id=lone_team.pk, person_id=make_person(org).pk
    )
    padded = selectors.round_results(admin_actor, round)
    assert padded.groups == closed.groups
    assert padded.responses == 8


def test_results_warn_when_a_group_changed_shortly_before_opening(
    org: Organisation, admin_actor: Actor, admin: Person
) -> None:
    at = timezone.now()
    window = services.CHANGE_WINDOW
    _team(org, "Quiet", 5)
    _team(org, "Padded", 5)
    _team(org, "Moved", 5)
    _team(org, "Edge", 5)
    Person.objects.update(created_at=at - window - dt.timedelta(days=30))
    TeamMembership.objects.update(created_at=at - window - dt.timedelta(days=30))
    padded = Team.objects.get(name="Padded")
    edge = Team.objects.get(name="Edge")
    # exactly on the window's edge: not inside it; one second later: inside it
    TeamMembership.objects.filter(team=edge).update(created_at=at - window)
    TeamMembership.objects.filter(team=padded).update(
        created_at=at - window + dt.timedelta(seconds=1)
    )
    moved_team = Team.objects.get(name="Moved")
    event = AuditEvent.objects.create(
        organisation=org,
        action="team.moved",
        target_type="Team",
        target_id=str(moved_team.pk),
        detail={"parent_id": [None, None]},
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=at - dt.timedelta(days=3))
    # a change after opening is not "before opening"
    late = AuditEvent.objects.create(
        organisation=org, action="team.moved", target_type="Team", target_id=str(edge.pk)
    )
    AuditEvent.objects.filter(pk=late.pk).update(created_at=at + dt.timedelta(seconds=1))
    round = services.create_round(
        actor=admin_actor, name="P", opens=TODAY, closes=TODAY + dt.timedelta(days=3)
    )
    services.open_round(actor=admin_actor, round=round, send=False, at=at)
    for invitation in Invitation.objects.filter(round=round):
        services.answer(round=round, invitation=invitation, answers={"mast1": 4})
    services.close_round(actor=admin_actor, round=round)
    found = selectors.round_results(admin_actor, round)
    assert set(found.audience_changed) == {padded.pk, moved_team.pk}
    assert found.audience_changed[padded.pk] == 5
    # the page says so
    assert admin.user is not None
    client = Client()
    client.force_login(admin.user)
    page = client.get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Audience changed shortly before opening" in page
    assert "Padded (5 changes)" in page
    assert "Quiet (" not in page
    assert "Edge (" not in page


# ---------------------------------------------------------------- 3. a class's shared link


@pytest.fixture
def shared(school: Organisation, make_person: Callable[..., Person]) -> dict[str, Any]:
    teacher = Actor(
        organisation=school,
        role=Role.ADMIN,
        user=None,
        person=make_person(school, Role.ADMIN),
    )
    klass = TeamFactory(organisation=school, name="8C")
    round = services.create_round(
        actor=teacher,
        name="Class",
        opens=TODAY,
        closes=TODAY + dt.timedelta(days=2),
        team_ids=[klass.pk],
        mode=Round.Mode.UNATTRIBUTED,
        audience_size=3,
        class_code="Otter",
    )
    opened = services.open_round(actor=teacher, round=round)
    return {
        "round": opened.round,
        "url": f"/pulse/answer/{opened.shared_token}/",
        "token": opened.shared_token,
        "teacher": teacher,
    }


def test_a_shared_link_round_is_corrected_for_its_audience(shared: dict[str, Any]) -> None:
    """The change test's finite-population correction needs N: a shared link has no
    invitations, so N is the audience size the round was opened for."""
    assert not Invitation.objects.filter(round=shared["round"]).exists()
    assert selectors._population(shared["round"]) == 3
    shared["round"].audience_size = None
    assert selectors._population(shared["round"]) is None


def test_five_posts_from_one_browser_count_once(shared: dict[str, Any], client: Client) -> None:
    codes = []
    for _ in range(5):
        response = client.post(shared["url"], {"mast1": "4", "class_code": "otter "})
        codes.append(response.status_code)
    assert codes == [200, 409, 409, 409, 409]
    assert services.answer_count(shared["round"]) == 1
    cookie = client.cookies[services.shared_cookie(shared["round"])]
    assert cookie["httponly"]
    assert ":" in cookie.value
    # a forged, unsigned cookie does not stop a real answer, and a real one is not forged
    other = Client()
    other.cookies[services.shared_cookie(shared["round"])] = "answered"
    assert other.post(shared["url"], {"mast1": "4", "class_code": "Otter"}).status_code == 200
    assert services.answer_count(shared["round"]) == 2
    page = client.get(shared["url"])
    assert b"Already answered from this browser" in page.content


def test_a_shared_link_stops_at_the_audience_size_and_wants_the_code(
    shared: dict[str, Any], client: Client
) -> None:
    wrong = client.post(shared["url"], {"mast1": "4", "class_code": "Badger"})
    assert wrong.status_code == 422
    assert b"class code does not match" in wrong.content
    assert services.answer_count(shared["round"]) == 0
    for _ in range(3):  # exactly the audience size: all taken
        client.cookies.clear()
        assert client.post(shared["url"], {"mast1": "4", "class_code": "Otter"}).status_code == 200
    client.cookies.clear()
    beyond = client.post(shared["url"], {"mast1": "4", "class_code": "Otter"})
    assert beyond.status_code == 422
    assert b"has all the answers it was set up for (3)" in beyond.content
    assert services.answer_count(shared["round"]) == 3


def test_a_shared_link_limits_answers_per_address(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "SHARED_RATE", 2)
    teacher = actor_of(make_person(school, Role.ADMIN))
    klass = TeamFactory(organisation=school, name="9A")
    round = services.create_round(
        actor=teacher,
        name="Class",
        opens=TODAY,
        closes=TODAY,
        team_ids=[klass.pk],
        mode=Round.Mode.UNATTRIBUTED,
        audience_size=30,
    )
    url = f"/pulse/answer/{services.open_round(actor=teacher, round=round).shared_token}/"
    codes = []
    for _ in range(3):  # cookies thrown away each time: the address still counts
        client.cookies.clear()
        codes.append(client.post(url, {"mast1": "4"}, REMOTE_ADDR="198.51.100.7").status_code)
    assert codes == [200, 200, 429]
    client.cookies.clear()
    elsewhere = client.post(url, {"mast1": "4"}, REMOTE_ADDR="198.51.100.8")
    assert elsewhere.status_code == 200
    assert services.answer_count(round) == 3


def test_the_api_applies_the_same_rules_and_results_count_the_link(
    shared: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    round = shared["round"]
    url = f"/api/v1/pulse/rounds/{round.pk}/responses"
    body = {"token": shared["token"], "answers": {"mast1": 4}, "class_code": "Otter"}
    first = client.post(url, json.dumps(body), content_type="application/json")
    assert first.status_code == 201
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    client.cookies.clear()
    no_code = client.post(
        url, json.dumps({**body, "class_code": ""}), content_type="application/json"
    )
    assert no_code.status_code == 422
    assert services.answer_count(round) == 1
    teacher = shared["teacher"].person
    results = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **bearer(teacher)).json()
    assert results["shared_link_answers"] == 1
    assert results["audience_size"] == 3
    assert results["responses"] == 1
    assert teacher.user is not None
    client.force_login(teacher.user)
    page = client.get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Shared link: 1 answer came through it, of at most 3" in page


# ---------------------------------------------------------------- 5. the pool


def test_answers_wait_sealed_in_the_pool_and_are_written_in_batches(
    org: Organisation, admin_actor: Actor
) -> None:
    people = _team(org, "Many", services.FLUSH_AT + 2)
    round = _open(admin_actor)
    tokens = _tokens()
    for i, person in enumerate(people[: services.FLUSH_AT - 1]):
        _answer(tokens[person.email], 4, f"comment {i}")
    # one below the batch size: everything waits, sealed — and results count it
    assert Response.objects.filter(round=round).count() == 0
    pooled = list(PooledAnswer.objects.filter(round=round))
    assert len(pooled) == services.FLUSH_AT - 1
    assert all("comment" not in p.sealed and "mast1" not in p.sealed for p in pooled)
    assert selectors.round_results(admin_actor, round).responses == services.FLUSH_AT - 1
    pool_ids = {p.pk for p in pooled}
    # exactly the batch size: written together, each with a new id
    _answer(tokens[people[services.FLUSH_AT - 1].email], 4)
    written = list(Response.objects.filter(round=round))
    assert len(written) == services.FLUSH_AT
    assert not PooledAnswer.objects.exists()
    assert not pool_ids & {r.pk for r in written}
    # one above: waits again; results count both
    _answer(tokens[people[services.FLUSH_AT].email], 4)
    assert PooledAnswer.objects.count() == 1
    assert selectors.round_results(admin_actor, round).responses == services.FLUSH_AT + 1
    # closing writes the rest, and the pool takes nothing after
    services.close_round(actor=admin_actor, round=round)
    assert Response.objects.filter(round=round).count() == services.FLUSH_AT + 1
    assert not PooledAnswer.objects.exists()
    assert {r.pk for r in written} <= set(Response.objects.values_list("pk", flat=True))


def test_a_failed_pool_write_leaves_the_link_unused(
    org: Organisation, admin_actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    _team(org, "Core", 5)
    round = _open(admin_actor)
    token = next(iter(_tokens().values()))

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_seal", broken)
    with pytest.raises(RuntimeError):
        _answer(token, 4)
    assert not Invitation.objects.filter(round=round, used=True).exists()
    monkeypatch.undo()
    _answer(token, 4)
    assert services.answer_count(round) == 1


def test_the_export_cannot_join_invitations_to_answers(
    org: Organisation, admin_actor: Actor
) -> None:
    _team(org, "Core", 6)
    round = _open(admin_actor)
    for token in list(_tokens().values())[:3]:
        _answer(token, 5, "pooled")
    assert PooledAnswer.objects.count() == 3
    document = backup.export([org.pk], [org.slug])
    objects = document["objects"]
    invitations = [o["fields"] for o in objects if o["model"] == "surveys.invitation"]
    responses = [o["fields"] for o in objects if o["model"] == "surveys.response"]
    assert not [o for o in objects if o["model"] == "surveys.pooledanswer"]
    # the pooled answers are in the export, as responses, and nothing waits any more
    assert len(responses) == 3
    assert not PooledAnswer.objects.exists()
    assert sum(1 for i in invitations if i["used"]) == 3
    # no field an invitation shares with a response but the round and the group: no day
    shared_fields = set(invitations[0]) & set(responses[0])
    assert shared_fields == {"round", "group"}
    assert not any(
        isinstance(v, str) and v[:4].isdigit() and "-" in v for i in invitations for v in i.values()
    )
    assert {f.name for f in ReportingGroup._meta.get_fields()} >= {"team", "parent", "name"}
    assert round.pk in {
        o["fields"]["round"] for o in objects if o["model"] == "surveys.reportinggroup"
    }


# ---------------------------------------------------------------- links in logs


def test_one_time_links_never_reach_the_console(
    org: Organisation,
    admin_actor: Actor,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    _team(org, "Core", 5)
    round = _open(admin_actor)
    services.remind(actor=admin_actor, round=round)
    printed = capsys.readouterr()
    assert "/pulse/answer/" not in printed.out + printed.err
    notices = [line for line in printed.err.splitlines() if line.startswith("ampwork:")]
    assert len(notices) == 2
    assert all("6 emails written to" in n for n in notices)
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    assert written.count("/pulse/answer/") == 12  # six people, invited and reminded


def test_the_default_backend_writes_files_in_the_data_directory(
    org: Organisation,
    admin_actor: Actor,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ampwork import settings as real

    assert (
        real.EMAIL_BACKEND == "ampwork.mail.NoticeFileBackend"
        or "AMPWORK_EMAIL_BACKEND" in __import__("os").environ
    )
    assert Path(real.EMAIL_FILE_PATH) == Path(real.DATA_DIR) / "mail"
    settings.EMAIL_BACKEND = "ampwork.mail.NoticeFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    _team(org, "Core", 5)
    _open(admin_actor)
    printed = capsys.readouterr()
    assert "/pulse/answer/" not in printed.out + printed.err
    assert printed.err.count("ampwork: 6 emails written to") == 1
    assert sum(p.read_text().count("/pulse/answer/") for p in (tmp_path / "mail").iterdir()) == 6
