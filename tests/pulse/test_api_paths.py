"""The pulse API under its name (/pulse/rounds…) and under its deprecated one (/surveys…).

Each old path answers as the new one does — same status, same body (the old results body
calls the round's id ``survey_id``), same cookie — and is marked deprecated in OpenAPI.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.pulse import services
from ampwork.pulse.models import Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()


def _team(org: Organisation, name: str, size: int) -> int:
    team = TeamFactory(organisation=org, name=name)
    for _ in range(size):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    return team.pk


def _tokens() -> list[str]:
    return [m.body.split("/pulse/answer/")[1].split("/")[0] for m in mail.outbox]


def _open(actor: Actor, name: str = "Pulse") -> Round:
    round = services.create_round(
        actor=actor, name=name, opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    services.open_round(actor=actor, round=round)
    return round


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_list_answers_the_same_under_both_names(
    client: Client,
    admin: Person,
    admin_actor: Actor,
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    _team(admin.organisation, "Core", 3)
    first = _open(admin_actor, "First")
    _open(admin_actor, "Second")
    h = bearer(admin)
    for query in ("", "?limit=1", "?limit=1&offset=1"):
        new = client.get(f"/api/v1/pulse/rounds{query}", **h)
        old = client.get(f"/api/v1/surveys{query}", **h)
        assert new.status_code == old.status_code == 200
        assert new.json() == old.json()
    body = client.get("/api/v1/pulse/rounds", **h).json()
    assert body["count"] == 2
    assert {r["name"] for r in body["items"]} == {"First", "Second"}
    assert first.pk in {r["id"] for r in body["items"]}


def _without_id(body: dict[str, Any], key: str) -> dict[str, Any]:
    rest = dict(body)
    rest.pop(key)
    return rest


def test_results_answer_the_same_under_both_names(
    client: Client,
    admin: Person,
    admin_actor: Actor,
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    org = admin.organisation
    big = _team(org, "Big", 8)
    _team(org, "Other", 9)
    small = _team(org, "Small", 3)
    _team(org, "Tiny", 2)  # with Small and the admin, the rest is never under five
    round = _open(admin_actor)
    h = bearer(admin)
    # open: no results yet, only the day they come
    new = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **h).json()
    old = client.get(f"/api/v1/surveys/{round.pk}/results", **h).json()
    assert new["round_id"] == old["survey_id"] == round.pk
    assert "survey_id" not in new
    assert "round_id" not in old
    assert _without_id(new, "round_id") == _without_id(old, "survey_id")
    assert new["results_available"] is False
    assert new["results_from"] == round.closes.isoformat()
    for token in _tokens():
        found, invitation = services.find_invitation(token)
        services.answer(round=found, invitation=invitation, answers={"mast1": 4}, enps=9)
    services.close_round(actor=admin_actor, round=round)
    for query in ("", f"?team={big}", f"?team={small}"):
        new_answer = client.get(f"/api/v1/pulse/rounds/{round.pk}/results{query}", **h)
        old_answer = client.get(f"/api/v1/surveys/{round.pk}/results{query}", **h)
        assert new_answer.status_code == old_answer.status_code == 200
        new, old = new_answer.json(), old_answer.json()
        assert next(iter(new)) == "round_id"
        assert next(iter(old)) == "survey_id"
        assert _without_id(new, "round_id") == _without_id(old, "survey_id")
    closed = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **h).json()
    assert closed["results_available"] is True
    assert closed["responses"] == 23
    by_name = {g["name"]: g for g in closed["groups"]}
    assert by_name["Small"]["suppressed"] is True
    assert by_name["Big"]["suppressed"] is False
    assert by_name["Big"]["n"] == 8
    # an unknown round, and a bad id, are the same answer under both names
    for missing in (round.pk + 1000, 0):
        new_answer = client.get(f"/api/v1/pulse/rounds/{missing}/results", **h)
        old_answer = client.get(f"/api/v1/surveys/{missing}/results", **h)
        assert new_answer.status_code == old_answer.status_code
        assert new_answer.status_code in (404, 422)
        if new_answer.status_code == 404:
            assert new_answer.json() == old_answer.json() == {"detail": "no such pulse"}


@pytest.mark.parametrize("new_first", [True, False])
def test_answering_is_the_same_under_both_names(
    client: Client, admin: Person, admin_actor: Actor, new_first: bool
) -> None:
    _team(admin.organisation, "Core", 4)
    round = _open(admin_actor)
    one, two = _tokens()[:2]
    paths = [f"/api/v1/pulse/rounds/{round.pk}/responses", f"/api/v1/surveys/{round.pk}/responses"]
    if not new_first:
        paths.reverse()
    answers = []
    for url, token in zip(paths, (one, two), strict=True):
        body = {"token": token, "answers": {"mast1": 4}, "enps": 8}
        first, again = _post(client, url, body), _post(client, url, body)
        wrong = _post(client, url, {**body, "token": "nope"})
        answers.append([(r.status_code, r.json()) for r in (first, again, wrong)])
    assert answers[0] == answers[1]
    assert [status for status, _ in answers[0]] == [201, 422, 404]
    assert answers[0][0][1] == {"received": True}
    assert services.answer_count(round) == 2
    # a token of another round: the same 404 under both names
    other = _open(admin_actor, "Other")
    token = _tokens()[-1]
    assert services.find_invitation(token)[0] == other
    for url in paths:
        response = _post(client, url, {"token": token, "answers": {"mast1": 4}})
        assert (response.status_code, response.json()) == (
            404,
            {"detail": "this token is not for this survey"},
        )


def test_a_shared_link_takes_one_answer_per_client_under_either_name(
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
        audience_size=5,
    )
    token = services.open_round(actor=head, round=round).shared_token
    assert token is not None
    new = f"/api/v1/pulse/rounds/{round.pk}/responses"
    old = f"/api/v1/surveys/{round.pk}/responses"
    body = {"token": token, "answers": {"mast1": 4}}
    for first, second in ((new, old), (old, new)):
        client.cookies.clear()  # a new browser
        answered = _post(client, first, body)
        assert (answered.status_code, answered.json()) == (201, {"received": True})
        cookie = client.cookies[services.shared_cookie(round)]
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        again = _post(client, second, body)  # the cookie counts under the other name too
        assert (again.status_code, again.json()) == (
            409,
            {"detail": "this client has already answered this shared link"},
        )
    assert services.answer_count(round) == 2


def test_old_paths_are_deprecated_in_openapi(client: Client, db: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    new = {
        ("get", "/api/v1/pulse/rounds"),
        ("get", "/api/v1/pulse/rounds/{round_id}/results"),
        ("post", "/api/v1/pulse/rounds/{round_id}/responses"),
    }
    old = {
        ("get", "/api/v1/surveys"): "ampwork_surveys_api_list_surveys",
        ("get", "/api/v1/surveys/{survey_id}/results"): "ampwork_surveys_api_results",
        ("post", "/api/v1/surveys/{survey_id}/responses"): "ampwork_surveys_api_answer",
    }
    for method, path in new:
        assert "deprecated" not in paths[path][method], path
        assert paths[path][method]["tags"] == ["pulse"]
    for (method, path), operation_id in old.items():
        assert paths[path][method]["deprecated"] is True, path
        assert paths[path][method]["operationId"] == operation_id
    # both names document the same answers
    for suffix in ("results", "responses"):
        method = "get" if suffix == "results" else "post"
        new_op = paths[f"/api/v1/pulse/rounds/{{round_id}}/{suffix}"][method]
        old_op = paths[f"/api/v1/surveys/{{survey_id}}/{suffix}"][method]
        assert sorted(new_op["responses"]) == sorted(old_op["responses"])
