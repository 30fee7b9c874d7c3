"""The webhooks API (/api/v1/webhooks): an admin's; strict input; secrets shown once."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core.models import Organisation, Person, Role
from ampwork.integrations import services
from ampwork.integrations.models import Delivery, Endpoint

URL = "https://hooks.example.org/ampwork"


def _post(client: Client, path: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def admin_headers(admin: Person, bearer: Callable[[Person], dict[str, str]]) -> dict[str, str]:
    return bearer(admin)


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(
    client: Client, admin_headers: dict[str, str]
) -> None:
    made = _post(
        client, "/api/v1/webhooks", {"url": URL, "events": ["check_in.created"]}, admin_headers
    )
    assert made.status_code == 201
    body = made.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["check_in.created"]
    assert body["enabled"] is True
    shown = client.get(f"/api/v1/webhooks/{body['id']}", **admin_headers).json()
    assert "secret" not in shown
    listed = client.get("/api/v1/webhooks", **admin_headers).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]
    assert "secret" not in listed["items"][0]
    rotated = _post(client, f"/api/v1/webhooks/{body['id']}/rotate-secret", None, admin_headers)
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != body["secret"]
    assert services.signing_secret(Endpoint.objects.get()) == rotated.json()["secret"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"url": URL, "events": ["check_in.created"], "extra": 1}, "extra"),
        ({"url": URL + "\x00", "events": ["check_in.created"]}, "NUL"),
        ({"url": URL, "events": ["check_in.created\x00"]}, "NUL"),
        ({"url": "http://127.0.0.1/", "events": ["check_in.created"]}, "url"),
        ({"url": "gopher://example.org/", "events": ["check_in.created"]}, "url"),
        ({"url": URL, "events": ["no.such"]}, "events"),
        ({"url": URL, "events": []}, "events"),
        ({"url": URL, "events": "check_in.created"}, "events"),
        ("just a string", "object"),
    ],
)
def test_bad_input_is_refused_with_its_field(
    client: Client, admin_headers: dict[str, str], body: Any, where: str, settings: Any
) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = False
    answer = _post(client, "/api/v1/webhooks", body, admin_headers)
    assert answer.status_code == 422
    assert where in json.dumps(answer.json())
    assert Endpoint.objects.count() == 0


def test_a_test_event_a_retry_and_a_deletion(
    client: Client, admin_headers: dict[str, str], settings: Any
) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = False
    made = _post(
        client, "/api/v1/webhooks", {"url": URL, "events": ["cycle.closed"]}, admin_headers
    ).json()
    sent = _post(client, f"/api/v1/webhooks/{made['id']}/test", None, admin_headers)
    assert sent.status_code == 202
    assert sent.json()["event_type"] == "webhook.test"
    deliveries = client.get(f"/api/v1/webhooks/{made['id']}/deliveries", **admin_headers).json()
    assert [d["id"] for d in deliveries["items"]] == [sent.json()["id"]]
    again = _post(
        client,
        f"/api/v1/webhooks/{made['id']}/deliveries/{sent.json()['id']}/retry",
        None,
        admin_headers,
    )
    assert again.status_code == 202
    assert again.json()["status"] == "pending"
    patched = client.patch(
        f"/api/v1/webhooks/{made['id']}",
        json.dumps({"enabled": False, "description": "off for now"}),
        content_type="application/json",
        **admin_headers,
    )
    assert patched.json()["enabled"] is False
    assert patched.json()["disabled_reason"] == "disabled by an admin"
    gone = client.delete(f"/api/v1/webhooks/{made['id']}", **admin_headers)
    assert gone.status_code == 204
    assert Endpoint.objects.count() == Delivery.objects.count() == 0


def test_a_manager_may_not_and_sees_nothing(
    client: Client,
    org: Organisation,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    headers = bearer(make_person(org, Role.MANAGER))
    assert client.get("/api/v1/webhooks", **headers).status_code == 403
    assert client.get("/api/v1/webhook-events", **headers).status_code == 403
    refused = _post(client, "/api/v1/webhooks", {"url": URL, "events": ["x"]}, headers)
    assert refused.status_code == 403


def test_the_event_types_are_listed(client: Client, admin_headers: dict[str, str]) -> None:
    types = [e["type"] for e in client.get("/api/v1/webhook-events", **admin_headers).json()]
    assert "check_in.created" in types
    # of the pulse, only that a round opened or closed: never answers or results
    assert [t for t in types if t.startswith("pulse.")] == [
        "pulse.round_opened",
        "pulse.round_closed",
    ]
