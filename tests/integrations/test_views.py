"""The webhooks pages: an admin adds, edits and rotates; the secret is shown once; a form
error is shown beside its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from ampwork.core.models import Organisation, Person, Role
from ampwork.integrations import services
from ampwork.integrations.models import Delivery, Endpoint


def test_adding_shows_the_secret_once_and_rotating_shows_the_new_one(
    admin: Person, web: Callable[[Person], Client]
) -> None:
    client = web(admin)
    page = client.post(
        "/settings/webhooks/",
        {"url": "https://hooks.example.org/a", "events": ["check_in.created"]},
        follow=True,
    )
    endpoint = Endpoint.objects.get()
    assert page.status_code == 200
    secret = services.signing_secret(endpoint)
    assert secret in page.content.decode()
    again = client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    assert secret not in again  # shown once: a reload neither shows it nor adds an endpoint
    assert "whsec_" not in again
    assert Endpoint.objects.count() == 1
    rotated = client.post(
        f"/settings/webhooks/{endpoint.pk}/rotate-secret/", follow=True
    ).content.decode()
    endpoint.refresh_from_db()
    assert services.signing_secret(endpoint) in rotated
    assert "Copy the new signing secret now" in rotated
    assert "whsec_" not in client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()


def test_a_bad_url_is_named_beside_its_field(
    admin: Person, web: Callable[[Person], Client], settings: Any
) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = False
    page = web(admin).post(
        "/settings/webhooks/", {"url": "http://169.254.169.254/", "events": ["cycle.closed"]}
    )
    assert "points at a private or local address" in page.content.decode()
    empty = web(admin).post("/settings/webhooks/", {"url": "https://example.org/"})
    assert "choose at least one event" in empty.content.decode()
    assert Endpoint.objects.count() == 0


def test_disabling_and_the_deliveries_table(
    admin: Person, org: Organisation, web: Callable[[Person], Client]
) -> None:
    endpoint = Endpoint.objects.create(
        organisation=org,
        url="https://example.org/",
        events=["cycle.closed"],
        sealed_secret=services._sealed(org.pk, "whsec_eA=="),
    )
    client = web(admin)
    saved = client.post(
        f"/settings/webhooks/{endpoint.pk}/",
        {"url": "https://example.org/b", "events": ["cycle.closed", "pulse.round_opened"]},
    )
    assert saved.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.enabled is False  # the box was not ticked
    assert endpoint.events == ["cycle.closed", "pulse.round_opened"]
    client.post(f"/settings/webhooks/{endpoint.pk}/test/")
    table = client.get(f"/settings/webhooks/{endpoint.pk}/deliveries/").content.decode()
    assert "webhook.test" in table
    assert "<html" not in table  # the table alone, for htmx
    assert 'hx-trigger="every 3s"' in table  # it waits for the worker: asked again
    Delivery.objects.update(status=Delivery.Status.SUCCEEDED)
    done = client.get(f"/settings/webhooks/{endpoint.pk}/deliveries/").content.decode()
    assert "hx-trigger" not in done  # nothing waits: no more asking


def test_only_an_admin_finds_and_opens_the_page(
    org: Organisation,
    admin: Person,
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
) -> None:
    assert 'href="/settings/webhooks/"' in web(admin).get("/settings/").content.decode()
    for role in (Role.MANAGER, Role.PEOPLE_OPS, Role.MEMBER):
        assert web(make_person(org, role)).get("/settings/webhooks/").status_code == 403


def test_a_delivery_is_retried_from_its_page(
    admin: Person, org: Organisation, web: Callable[[Person], Client]
) -> None:
    endpoint = Endpoint.objects.create(
        organisation=org,
        url="https://example.org/",
        events=["cycle.closed"],
        sealed_secret=services._sealed(org.pk, "whsec_eA=="),
    )
    failed = Delivery.objects.create(
        organisation=org,
        endpoint=endpoint,
        message_id="msg_1",
        event_type="cycle.closed",
        payload={},
        status=Delivery.Status.GAVE_UP,
        attempts=16,
    )
    answer = web(admin).post(f"/settings/webhooks/deliveries/{failed.pk}/retry/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/settings/webhooks/{endpoint.pk}/"
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.PENDING
