"""The words ampwork itself shows people are in the page's language, never English nor a
stored key (the German page walk, walk-de-report): ampwork.js takes its words from the page
(core/script_words.py); the pay data's own values (gender groups, the regression's
controls), the fairness gate's status and the advisor's checklist items are named in the
reader's language; and German nouns keep their capital letter (no ``|lower`` on a
translated word: whole sentences per role and per kind of organisation)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

import ampwork
from ampwork.advisor import checklist
from ampwork.advisor.services import tick
from ampwork.core.permissions import Actor
from ampwork.core.script_words import script_words
from ampwork.fairness import gate
from ampwork.fairness.words import control_label, group_label

from ..crawl import signed_in

SCRIPT = Path(ampwork.__file__).parent / "static" / "ampwork" / "ampwork.js"
WORDS = re.compile(r'<script id="ampwork-words" type="application/json">(.*?)</script>', re.S)

# literals in ampwork.js with a capital letter, a space or a non-ASCII character that are
# not words for people: keys' names, CSS selectors, APIs, the Remove button's glyph (its
# name for screen readers comes from the page)
MACHINE = {
    "use strict",
    " ",  # between two sentences said together
    "htmx:afterSettle",
    "200px 0px",
    "h2, h3",
    "section, .card",
    "tr > :first-child",
    "input:not([type=hidden]), button",
    "ArrowDown",
    "ArrowUp",
    "Backspace",
    "End",
    "Enter",
    "Escape",
    "Home",
    "Tab",
    "IntersectionObserver",
    "ResizeObserver",
    "Intl",
    "NFD",
    "×",
}


def _literals(source: str) -> set[str]:
    code = re.sub(r"^\s*//.*$|\s//[^\n\"']*$", "", source, flags=re.M)  # comments
    found = re.findall(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', code)
    return {a or b for a, b in found}


def _german(role: str) -> Any:
    client = signed_in(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


# ---------------------------------------------------------------- ampwork.js


def test_ampwork_js_holds_no_words_for_people() -> None:
    shown = [
        text
        for text in _literals(SCRIPT.read_text(encoding="utf-8"))
        if (re.search(r"[A-Z\s]", text) or not text.isascii()) and text not in MACHINE
    ]
    assert shown == []


def test_the_literal_scan_finds_a_sentence() -> None:
    """A real check: an English sentence, or a capitalised word, is caught."""
    source = 'hint.textContent = "More columns";\n  // "a comment"\nx = \'Table\'; y = "kr-";'
    found = {t for t in _literals(source) if re.search(r"[A-Z\s]", t) and t not in MACHINE}
    assert found == {"More columns", "Table"}


def test_every_word_the_script_asks_for_is_on_the_page() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    asked = {
        key
        for call in re.findall(r"\bword\(([^;]*?)\)", source)
        for key in re.findall(r'"(\w+)"', call)
    }
    assert len(asked) >= 15
    with translation.override("en"):
        given = script_words()
    assert asked <= set(given)
    for key in given:  # and nothing given goes unused
        assert f'"{key}"' in source, key


def test_counts_have_a_form_for_one_and_for_many() -> None:
    with translation.override("de"):
        words = script_words()
    assert words["n_matches"] == {"one": "%(n)s Treffer.", "other": "%(n)s Treffer."}
    checkin = words["checkin_done"]
    assert isinstance(checkin, dict)
    assert "Schlüsselergebnissen" in checkin["other"]


@pytest.mark.django_db
def test_a_german_page_carries_the_scripts_words_in_german(demo: Any) -> None:
    page = _page(_german("member"), "/")
    found = WORDS.search(page)
    assert found is not None
    words = json.loads(found.group(1))
    assert words["more_columns"] == "Weitere Spalten: seitwärts scrollen →"
    assert words["type_a_name"] == "Namen eingeben …"
    assert "scroll sideways" not in page


# ---------------------------------------------------------------- the data's own values


def test_known_values_are_named_and_unknown_ones_kept() -> None:
    with translation.override("de"):
        assert group_label("female") == "Frauen"
        assert group_label("male") == "Männer"
        assert group_label("Diverse-X") == "Diverse-X"  # an organisation's own category
        assert group_label(None) == ""
        assert [control_label(c) for c in ("role", "level", "tenure", "shift")] == [
            "Rolle",
            "Stufe",
            "Betriebszugehörigkeit",
            "shift",
        ]
        assert gate.status_label("red") == "rot"
        assert gate.status_label("purple") == "purple"
    with translation.override("en"):  # English pages read as before
        assert group_label("female") == "female"
        assert control_label("tenure") == "tenure"
        assert gate.status_label("amber") == "amber"


@pytest.mark.django_db
def test_the_german_fairness_pages_name_groups_and_controls(demo: Any) -> None:
    client = _german("ops")
    overview = _page(client, "/fairness/")
    assert "Männer" in overview
    assert "Frauen" in overview
    assert re.search(r"\d+ Männer, \d+ Frauen", overview)
    assert not re.search(r"\b(male|female)\b", overview)
    assert "Kontrollvariablen" in overview or "Stufe" in overview
    assert not re.search(r"\b(role|level|location|tenure|performance)\b, ", overview)
    for url in ("/fairness/reports/eu/", "/fairness/reports/uk/"):
        report = _page(client, url)
        assert "Frauen" in report, url
        assert not re.search(r"\b(male|female)\b", report), url


@pytest.mark.django_db
def test_the_advisor_names_the_gate_and_the_ticked_items_in_german(demo: Any) -> None:
    from ampwork.core.models import Person

    admin = Person.objects.get(email="admin@brightwater.example", organisation__slug="brightwater")
    actor = Actor(user=admin.user, person=admin, organisation=admin.organisation, role=admin.role)
    tick(actor=actor, item="own-time", done=True)
    tick(actor=actor, item="pay-visible", done=True)
    page = _page(_german("admin"), "/advisor/")
    assert (
        "die Fairness-Ampel ist rot" in page
        or "die Fairness-Ampel ist gelb" in page
        or ("die Fairness-Ampel ist grün" in page)
    )
    assert not re.search(r"Fairness-Ampel ist (red|amber|green)", page)
    with translation.override("de"):
        own_time = checklist.item_label("own-time", school=False)
        pay_visible = checklist.item_label("pay-visible", school=False)
    assert own_time == "eigene Zeit"
    assert f"„{own_time}“" in page or f"“{own_time}”" in page
    assert pay_visible in page
    assert "own-time" not in re.sub(r'(name|value|id|for|href|class)="[^"]*"', "", page)
    assert "pay-visible" not in re.sub(r'(name|value|id|for|href|class)="[^"]*"', "", page)


# ---------------------------------------------------------------- nouns keep their case


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "said"),
    [
        ("member", "Deine Rolle hier: Mitglied."),
        ("teacher", "Deine Rolle hier: Lehrkraft."),
        ("head", "Deine Rolle hier: Schulleitung."),
    ],
)
def test_the_home_page_writes_the_role_as_german_writes_it(role: str, said: str, demo: Any) -> None:
    assert said in _page(_german(role), "/")


@pytest.mark.django_db
def test_the_alignment_tree_writes_teams_with_their_capital(demo: Any) -> None:
    page = _page(_german("admin"), "/okrs/")
    assert "Öffne ein Team (▸)" in page
    assert " teams darin" not in page
    assert " teams)" not in page
    school = _page(_german("teacher"), "/okrs/")
    assert "Öffne eine Klasse (▸)" in school
    assert " klassen" not in school
