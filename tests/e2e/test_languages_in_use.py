"""The product in a person's own language (issue 21), in the browser: a member switches to
German, does the weekly check-in and answers a pulse in German (and the answer records
it); a French teacher's class reads in the school's words, in French."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person, Team
from ampwork.core.permissions import Actor
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.okrs.models import CheckIn, KeyResult
from ampwork.pulse import instrument, services, translations
from ampwork.pulse import selectors as pulse_selectors
from ampwork.pulse.models import Response

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def _choose_language(page: Any, base: str, name: str) -> None:
    """On the language page (in English until now), pick ``name``, save."""
    page.goto(f"{base}/settings/language/")
    page.get_by_role("radio", name=name).check()
    page.get_by_role("button", name="Save", exact=True).click()


def test_a_member_checks_in_and_answers_a_pulse_in_german(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    cache.clear()
    ensure_demo()
    org = Organisation.objects.get(slug="brightwater")
    sam = Person.objects.get(email="member@brightwater.example")
    before = CheckIn.objects.filter(author=sam).count()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    _choose_language(page, live_server.url, "Deutsch")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".message--success")).to_have_text("Deine Sprache ist gespeichert.")
    sam.refresh_from_db()
    assert sam.language == "de"

    # the weekly check-in, in German
    page.get_by_role("link", name="Check-ins").first.click()
    row = page.locator("form.checkin-row").first
    kr = KeyResult.objects.get(pk=int(row.get_attribute("id").removeprefix("kr-")))
    row.locator("input[name=value]").fill(f"{kr.target:g}")
    row.locator("input[name=value]").press("Enter")
    expect(row.get_by_role("status")).to_contain_text("Gespeichert")
    shot(page, "weekly-check-in-de")
    assert CheckIn.objects.filter(author=sam).count() == before + 1

    # a pulse, in German: the AMP items in their German translation
    actor = Actor.system(org)
    today = timezone.localdate()
    pulse = services.create_round(
        actor=actor, name="Dezember-Puls", opens=today, closes=today + dt.timedelta(days=5)
    )
    services.open_round(actor=actor, round=pulse, send=False)
    page.goto(f"{live_server.url}/pulse/")
    page.get_by_role("link", name="Antworten (2 Minuten)").first.click()
    first = instrument.items_for(False)[0]
    german = translations.item_text(instrument.VERSION, "de", first, school=False)
    assert german != first.text
    expect(page.locator("fieldset.likert legend").first).to_contain_text(german)
    groups = page.locator("fieldset.likert")
    for i in range(groups.count()):
        groups.nth(i).locator("input").nth(3 if i < groups.count() - 1 else 8).check()
    shot(page, "pulse-answer-de")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", name="Danke")).to_be_visible()
    services.flush(pulse, force=True)
    (response,) = Response.objects.filter(round=pulse)
    # recorded sealed (never in plain text: docs/privacy.md), read back with the secret key
    assert pulse_selectors.answer_language(response) == "de"
    assert pulse_selectors.answer_translation(response) == translations.translation_version(
        instrument.VERSION, "de"
    )


def test_a_french_teachers_class_reads_in_the_schools_words(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    cache.clear()
    ensure_demo()
    sign_in(page, "teacher@hillside.example", DEMO_PASSWORD)
    _choose_language(page, live_server.url, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    science = Team.objects.get(name="Year 9 Science")
    page.goto(f"{live_server.url}/teams/{science.pk}/")
    expect(page.get_by_role("heading", name="Sous-classes")).to_be_visible()
    expect(page.get_by_role("heading", name="Sous-équipes")).to_have_count(0)
    expect(
        page.get_by_role("link", name="Connexion par code de classe pour Year 9 Science")
    ).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("équipe")
    shot(page, "class-fr")
