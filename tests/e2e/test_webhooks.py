"""An admin adds a webhook endpoint in the browser, sends a test event to a real receiver
on 127.0.0.1 (which verifies its signature with the standardwebhooks library), and sees
the delivery, queued and then sent by the worker, with its answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ampwork.core import worker
from ampwork.core.models import Role

from ..factories import OrganisationFactory, PersonFactory, UserFactory
from ..integrations.receiver import receiver
from .test_accessibility import violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_an_admin_adds_an_endpoint_and_sees_the_test_delivery(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    settings: Any,
    task_queue: None,
) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on this machine
    acme = OrganisationFactory(name="Acme", slug="acme")
    user = UserFactory(email="ada@acme.example")
    PersonFactory(organisation=acme, user=user, email=user.email, name="Ada", role=Role.ADMIN)
    with receiver() as hook:
        sign_in(page, user.email, PASSWORD)
        page.goto(f"{live_server.url}/settings/")
        page.get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
        page.get_by_label("URL").fill(hook.url)
        page.get_by_label("Description").fill("Our chat bridge")
        page.get_by_label("check_in.created", exact=False).check()
        page.get_by_label("cycle.closed", exact=False).check()
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.get_by_role("heading", name="copy its signing secret now")).to_be_visible()
        hook.secret = page.locator("#secret").inner_text().strip()
        assert hook.secret.startswith("whsec_")
        shot(page, "webhooks-added")

        page.get_by_role("button", name="Send a test event").click()
        expect(page.locator(".message")).to_contain_text("Test event queued")
        row = page.locator("#deliveries tbody tr").first
        expect(row).to_contain_text("Waiting")  # queued: nothing was sent in the request
        assert hook.received == []
        assert worker.run_due() == 1  # the worker's loop, here
        # the table refreshes itself (htmx) while a delivery waits: no reload
        expect(row).to_contain_text("webhook.test")
        expect(row).to_contain_text("Delivered")
        expect(row).to_contain_text("HTTP 200")
        expect(page.locator("#secret")).to_have_count(0)  # shown once only
        row.get_by_text("Response and payload").click()
        expect(row.locator("pre").first).to_contain_text('"answered": 200')
        shot(page, "webhooks-delivery")
        assert violations(page, Axe()) == []  # WCAG 2 A/AA, as every demo page

        sign_in(phone, user.email, PASSWORD)
        phone.goto(page.url)
        expect(phone.locator("#deliveries")).to_contain_text("Delivered")
        shot(phone, "webhooks-delivery-phone")
    assert hook.refused == []
    (got,) = hook.received
    assert got["payload"]["type"] == "webhook.test"
    assert got["payload"]["data"]["organisation"] == "acme"

    page.goto(f"{live_server.url}/settings/webhooks/")
    expect(page.get_by_role("link", name=hook.url[:57], exact=False)).to_be_visible()
    expect(page.get_by_text("enabled", exact=True)).to_be_visible()
    shot(page, "webhooks-list")
    assert violations(page, Axe()) == []
