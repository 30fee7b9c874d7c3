"""ampwork.js speaks the page's language: its words come from the page (core/script_words.py),
so a German page's wide-table hint and people picker are in German (walk-de-report)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def _in_german(page: Any, live_server: Any) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": live_server.url}]
    )


def test_a_german_pages_wide_table_hint_is_german(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)  # the sign-in page in English
    _in_german(page, live_server)
    page.set_viewport_size({"width": 500, "height": 900})  # narrow: the table scrolls
    page.goto(f"{live_server.url}/advisor/incentives/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    hint = page.locator(".table-scroll__hint").first
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Weitere Spalten: seitwärts scrollen →")


def test_a_german_people_picker_speaks_german(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)  # the sign-in page in English
    _in_german(page, live_server)
    page.goto(f"{live_server.url}/mastery/recognition/")
    combobox = page.get_by_role("combobox").first
    combobox.fill("zzz")
    expect(page.get_by_text("Kein Treffer für „zzz“.")).to_be_visible()
    combobox.press("Enter")
    assert combobox.evaluate("el => el.validationMessage") == (
        "Wähle mindestens eine Person aus der Liste."
    )
