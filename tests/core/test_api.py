"""The REST API's contract: auth, validation messages, strict inputs, pagination."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core import services
from ampwork.core.models import ApiToken, AuditEvent, Organisation, Person, Role

from ..factories import PersonFactory, TeamFactory

Headers = dict[str, str]


@pytest.fixture
def h(admin: Person, bearer: Callable[[Person], Headers]) -> Headers:
    return bearer(admin)


def post(client: Client, url: str, body: Any, headers: Headers) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, raw, content_type="application/json", **headers)


def test_healthz(client: Client, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unauthenticated_is_401(client: Client, db: Any) -> None:
    for url in ["/api/v1/me", "/api/v1/people", "/api/v1/teams", "/api/v1/memberships"]:
        assert client.get(url).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer amp_nope").status_code == 401


def test_me_and_token_last_use(client: Client, admin: Person, h: Headers) -> None:
    body = client.get("/api/v1/me", **h).json()
    assert body["organisation"]["slug"] == "acme"
    assert body["role"] == "admin"
    assert body["person_id"] == admin.pk
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_and_deactivated_person_lose_access(
    client: Client, admin: Person, admin_actor: Any
) -> None:
    token, plaintext = services.create_token(actor=admin_actor, name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert client.get("/api/v1/me", **headers).status_code == 200
    services.revoke_token(actor=admin_actor, token=token)
    assert client.get("/api/v1/me", **headers).status_code == 401
    assert ApiToken.objects.get().digest != plaintext  # only a digest is stored
    assert AuditEvent.objects.filter(action="token.created").count() == 1
    assert AuditEvent.objects.filter(action="token.revoked").count() == 1


def test_create_and_update_person(client: Client, org: Organisation, h: Headers) -> None:
    team = TeamFactory(organisation=org)
    response = post(
        client,
        "/api/v1/people",
        {
            "name": "Kim",
            "email": "KIM@acme.example",
            "team_ids": [team.pk],
            "hire_date": "2022-05-01",
        },
        h,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "kim@acme.example"
    assert body["team_ids"] == [team.pk]
    response = client.patch(
        f"/api/v1/people/{body['id']}",
        json.dumps({"manager_id": None, "level": "L3"}),
        content_type="application/json",
        **h,
    )
    assert response.status_code == 200
    assert response.json()["level"] == "L3"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A", "email": "bad"}, "email"),
        ({"name": "", "email": "a@acme.example"}, "name"),
        ({"name": "A", "email": "a@acme.example", "role": "god"}, "role"),
        ({"name": "A", "email": "a@acme.example", "manager_id": 999999}, "manager_id"),
        ({"name": "A", "email": "a@acme.example", "hire_date": "yesterday"}, "hire_date"),
        ({"name": "A", "email": "a@acme.example", "salary": 1}, "salary"),
        ({"name": "A\x00B", "email": "a@acme.example"}, None),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: Client, h: Headers, body: dict[str, Any], field: str | None
) -> None:
    before = Person.objects.count()
    response = post(client, "/api/v1/people", body, h)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list)
    assert detail[0]["msg"]
    if field:
        assert any(field in item["loc"] for item in detail), detail
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    ("raw", "status"),
    [('"just a string"', 422), ("[1, 2]", 422), ("42", 422), ("null", 422), ("{not json", 400)],
)
def test_bodies_that_are_not_objects_are_422(
    client: Client, h: Headers, raw: str, status: int
) -> None:
    response = post(client, "/api/v1/teams", raw, h)
    assert response.status_code == status  # 400: not JSON at all
    assert response.status_code != 500


def test_duplicate_email_and_cycles(client: Client, org: Organisation, h: Headers) -> None:
    PersonFactory(organisation=org, email="dup@acme.example")
    response = post(client, "/api/v1/people", {"name": "D", "email": "dup@acme.example"}, h)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]
    a = TeamFactory(organisation=org)
    b = TeamFactory(organisation=org, parent=a)
    response = client.patch(
        f"/api/v1/teams/{a.pk}",
        json.dumps({"parent_id": b.pk}),
        content_type="application/json",
        **h,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "parent_id"]


def test_pagination_is_bounded(client: Client, org: Organisation, h: Headers) -> None:
    for i in range(7):
        PersonFactory(organisation=org, email=f"p{i}@acme.example")
    body = client.get("/api/v1/people?limit=3&offset=2", **h).json()
    assert body["count"] == 8
    assert len(body["items"]) == 3
    assert client.get("/api/v1/people?limit=100000", **h).status_code == 422


def test_search_and_filters(client: Client, org: Organisation, h: Headers) -> None:
    team = TeamFactory(organisation=org)
    p = PersonFactory(organisation=org, name="Unusual Name", email="u@acme.example")
    PersonFactory(organisation=org, name="Gone", email="g@acme.example", active=False)
    services.add_membership(actor=services_actor(org), team_id=team.pk, person_id=p.pk)
    names = [x["name"] for x in client.get("/api/v1/people?q=unusual", **h).json()["items"]]
    assert names == ["Unusual Name"]
    ids = [x["id"] for x in client.get(f"/api/v1/people?team_id={team.pk}", **h).json()["items"]]
    assert ids == [p.pk]
    shown = client.get("/api/v1/people?show=deactivated", **h).json()["items"]
    assert [x["name"] for x in shown] == ["Gone"]


def services_actor(org: Organisation) -> Any:
    from ampwork.core.permissions import Actor

    return Actor.system(org)


def test_memberships_crud(client: Client, org: Organisation, h: Headers) -> None:
    team = TeamFactory(organisation=org)
    person = PersonFactory(organisation=org)
    response = post(client, "/api/v1/memberships", {"team_id": team.pk, "person_id": person.pk}, h)
    assert response.status_code == 201
    mid = response.json()["id"]
    again = post(client, "/api/v1/memberships", {"team_id": team.pk, "person_id": person.pk}, h)
    assert again.status_code == 422
    response = client.delete(f"/api/v1/memberships/{mid}", **h)
    assert response.status_code == 204
    assert client.get(f"/api/v1/memberships/{mid}", **h).status_code == 404


def test_session_auth_needs_csrf_for_writes(org: Organisation, admin: Person) -> None:
    client = Client(enforce_csrf_checks=True)
    assert admin.user is not None
    client.force_login(admin.user)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/teams", json.dumps({"name": "X"}), content_type="application/json"
    )
    assert response.status_code == 403


def test_last_admin_is_protected(client: Client, admin: Person, h: Headers) -> None:
    response = client.patch(
        f"/api/v1/people/{admin.pk}",
        json.dumps({"role": "member"}),
        content_type="application/json",
        **h,
    )
    assert response.status_code == 422
    assert Person.objects.get(pk=admin.pk).role == Role.ADMIN


def test_openapi_is_served_and_declares_errors(client: Client, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    op = schema["paths"]["/api/v1/people"]["post"]
    assert {"201", "401", "403", "422"} <= set(op["responses"])
    assert schema["components"]["schemas"]["PersonIn"]["additionalProperties"] is False


def test_huge_offsets_are_422_not_500(client: Client, h: Headers) -> None:
    response = client.get("/api/v1/teams?offset=141192050972629794816", **h)
    assert response.status_code == 422
    assert client.get("/api/v1/teams?offset=1000000000000", **h).json()["items"] == []
