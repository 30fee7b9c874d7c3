"""An admin turns SCIM provisioning on in the browser, an identity provider (a SCIM client
over HTTP, here urllib) creates and deactivates a person with the token shown once, and
the deactivated person's open browser session gets nothing on its next page."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Person, Role

from ..factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def scim(url: str, token: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/scim+json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def test_an_admin_turns_provisioning_on_and_a_deactivation_ends_access(
    page: Any,
    phone: Any,
    browser: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    settings: Any,
) -> None:
    settings.BASE_URL = live_server.url
    acme = OrganisationFactory(name="Acme", slug="acme")
    ada = UserFactory(email="ada@acme.example")
    PersonFactory(organisation=acme, user=ada, email=ada.email, name="Ada", role=Role.ADMIN)
    bo = UserFactory(email="bo@acme.example")
    PersonFactory(organisation=acme, user=bo, email=bo.email, name="Bo Leaving")

    sign_in(page, ada.email, PASSWORD)
    page.goto(f"{live_server.url}/settings/")
    section = page.locator("#provisioning")
    expect(section.get_by_role("heading", name="Provisioning (SCIM)")).to_be_visible()
    expect(section).to_contain_text(f"{live_server.url}/scim/v2")
    expect(section).to_contain_text("none — provisioning is off")
    section.get_by_role("button", name="Create a SCIM token").click()
    expect(page.get_by_role("heading", name="Copy the new SCIM token now")).to_be_visible()
    token = page.locator("#provisioning code.token").inner_text().strip()
    assert token.startswith("scim_")
    shot(page, "scim-token-created")

    # the identity provider, with the token
    base = f"{live_server.url}/scim/v2"
    status, created = scim(
        f"{base}/Users",
        token,
        "POST",
        {
            "userName": "new.starter@acme.example",
            "name": {"givenName": "New", "familyName": "Starter"},
        },
    )
    assert status == 201, created
    status, found = scim(f"{base}/Users?filter=userName%20eq%20%22bo@acme.example%22", token)
    assert status == 200
    assert found["totalResults"] == 1
    bo_id = found["Resources"][0]["id"]

    # Bo is signed in elsewhere, and gets their pages
    elsewhere = browser.new_context(viewport={"width": 1280, "height": 900})
    bo_page = elsewhere.new_page()
    sign_in(bo_page, bo.email, PASSWORD)
    bo_page.goto(f"{live_server.url}/people/")
    expect(bo_page.get_by_role("heading", level=1)).to_contain_text("People")

    status, body = scim(
        f"{base}/Users/{bo_id}",
        token,
        "PATCH",
        {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    assert status == 200
    assert body["active"] is False
    assert Person.objects.get(pk=int(bo_id)).active is False
    # deactivation ended every session of theirs: the next page is the sign-in
    response = bo_page.goto(f"{live_server.url}/people/")
    assert response is not None
    assert response.url.startswith(f"{live_server.url}/sign-in/")
    expect(bo_page.get_by_text("New Starter")).to_have_count(0)
    elsewhere.close()

    # the settings page tells the last request; the token is not shown again
    page.goto(f"{live_server.url}/settings/")
    expect(section).not_to_contain_text("never")
    expect(page.locator("#provisioning code.token")).to_have_count(0)
    expect(section).to_contain_text(token[:11])
    shot(page, "scim-settings")
    sign_in(phone, ada.email, PASSWORD)
    phone.goto(f"{live_server.url}/settings/#provisioning")
    shot(phone, "scim-settings-phone")

    section.get_by_role("button", name="Revoke the token").click()
    expect(page.locator(".message")).to_contain_text("provisioning stops now")
    assert scim(f"{base}/Users", token)[0] == 401


def test_a_head_teachers_seat_cannot_be_taken_over_and_a_school_is_told_oneroster(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    settings: Any,
    mailoutbox: list[Any],
) -> None:
    """The attack over HTTP with the school's token: move the head teacher's seat (and a
    second, unclaimed one) to the attacker's address, deactivate the head teacher, add a
    pupil. All refused; the head teacher still signs in, and the settings page says why."""
    settings.BASE_URL = live_server.url
    hill = OrganisationFactory(name="Hill School", slug="hill", kind="school")
    head = UserFactory(email="head@hill.example")
    PersonFactory(organisation=hill, user=head, email=head.email, name="Hana Head", role=Role.ADMIN)
    seat = PersonFactory(organisation=hill, email="deputy@hill.example", role=Role.ADMIN)
    sign_in(page, head.email, PASSWORD)
    page.goto(f"{live_server.url}/settings/")
    page.locator("#provisioning").get_by_role("button", name="Create a SCIM token").click()
    token = page.locator("#provisioning code.token").inner_text().strip()
    base = f"{live_server.url}/scim/v2"
    head_id = Person.objects.get(organisation=hill, email=head.email).pk
    for pk in (head_id, seat.pk):
        status, body = scim(
            f"{base}/Users/{pk}",
            token,
            "PATCH",
            {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "replace", "path": "userName", "value": "x@evil.example"}],
            },
        )
        assert (status, body["scimType"]) == (403, "mutability"), body
    status, body = scim(f"{base}/Users/{head_id}", token, "DELETE")
    assert (status, body["scimType"]) == (403, "mutability")
    status, body = scim(f"{base}/Users", token, "POST", {"userName": "pupil@hill.example"})
    assert status == 403
    assert "OneRoster" in body["detail"]
    assert not Person.objects.filter(email__in=["x@evil.example", "pupil@hill.example"]).exists()
    assert not [m for m in mailoutbox if "x@evil.example" in m.to]

    page.goto(f"{live_server.url}/settings/#provisioning")
    note = page.locator("#provisioning-school")
    expect(note).to_contain_text("OneRoster")
    expect(page.locator("#provisioning")).to_contain_text("cannot change the address")
    note.scroll_into_view_if_needed()
    shot(page, "scim-school-note")
    sign_in(phone, head.email, PASSWORD)
    phone.goto(f"{live_server.url}/settings/#provisioning")
    phone.locator("#provisioning-school").scroll_into_view_if_needed()
    shot(phone, "scim-school-note-phone")
