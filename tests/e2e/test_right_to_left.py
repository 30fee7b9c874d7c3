"""Right to left (issue 21): in a right-to-left language the pages mirror and nothing spills over.

A right-to-left pseudo-language — Arabic's code ("ar", which Django knows reads right to
left) with the pseudo catalogue of tests/pseudo_locale.py — is added to LANGUAGES; the
member chooses it and their browser asks for it. Should a page not yet set
``<html dir="rtl">`` for it, the test sets it, as the layout would: what is checked is
the stylesheet (tests/core/test_logical_css.py keeps it free of left and right).
Screenshots: rtl-*.png in the suite's screenshot directory (AMPWORK_SCREENSHOTS).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ampwork.core import languages
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.demo.services import ensure_demo
from ampwork.pulse import services as pulse_services

from ..crawl import DEMO_ROLES, signed_in
from ..pseudo_locale import write_pseudo_locale

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

RTL = "ar"

# Where the main navigation's items, the account area and the page sit, and whether the
# page is wider than the window (a horizontal scrollbar).
LAYOUT = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.top]; };
  const items = [...document.querySelectorAll(".nav li")].map(box);
  const nav = document.querySelector(".nav ul");
  const who = document.querySelector(".who");
  const root = document.documentElement;
  return {
    dir: getComputedStyle(root).direction,
    items: items,
    nav: nav ? box(nav) : null,
    who: who ? box(who) : null,
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
  };
}"""


@pytest.fixture
def right_to_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The right-to-left pseudo-language, known to Django and to ampwork's choice of language."""
    write_pseudo_locale(tmp_path, RTL)
    monkeypatch.setattr(languages, "SUPPORTED", (*languages.SUPPORTED, RTL))
    with override_settings(
        LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS],
        LANGUAGES=[*settings.LANGUAGES, (RTL, "Pseudo (right to left)")],
    ):
        yield RTL


def _open_round(org: Organisation) -> int:
    actor = Actor.system(org)
    today = timezone.localdate()
    pulse = pulse_services.create_round(
        actor=actor, name="November pulse", opens=today, closes=today + dt.timedelta(days=5)
    )
    pulse_services.open_round(actor=actor, round=pulse, send=False)
    return pulse.pk


def test_pages_mirror_in_a_right_to_left_language(
    right_to_left: str, browser: Any, live_server: Any, shot: Callable[..., None]
) -> None:
    ensure_demo()
    email, slug = DEMO_ROLES["member"]
    Person.objects.filter(email=email, organisation__slug=slug).update(language=right_to_left)
    round_pk = _open_round(Organisation.objects.get(slug=slug))
    client = signed_in("member")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers={"Accept-Language": RTL}
    )
    context.set_default_timeout(15_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    pages = {
        "home": reverse("core:home"),
        "okr-alignment": reverse("okrs:alignment"),
        "pulse-answer": reverse("pulse:answer", args=[round_pk]),
    }
    problems: list[str] = []
    try:
        for name, url in pages.items():
            page.goto(live_server.url + url)
            assert not page.url.startswith(f"{live_server.url}/sign-in/"), url
            page.evaluate("() => { document.documentElement.dir = 'rtl'; }")  # see above
            page.wait_for_timeout(100)  # ampwork.js re-measures wide tables on resize
            layout = page.evaluate(LAYOUT)
            assert layout["dir"] == "rtl"
            items, nav, who = layout["items"], layout["nav"], layout["who"]
            if abs(items[0][1] - nav[1]) > 1:
                problems.append(f"{url}: the first item ends at {items[0][1]}, not at {nav[1]}")
            row = [item for item in items if abs(item[2] - items[0][2]) < 1]  # the first line
            if not all(a[0] >= b[1] - 1 for a, b in itertools.pairwise(row)):
                problems.append(f"{url}: the navigation's items do not run right to left")
            if who[0] >= items[0][0]:
                problems.append(f"{url}: the account area is not left of the navigation")
            if layout["scrollWidth"] > layout["clientWidth"] + 1:
                problems.append(
                    f"{url}: {layout['scrollWidth']}px wide in a {layout['clientWidth']}px window"
                )
            shot(page, f"rtl-{name}")
            if name == "okr-alignment":
                sides = page.evaluate(
                    """() => { const b = document.querySelector(".alignment .branch");
                    if (!b) return null; const s = getComputedStyle(b);
                    return [s.borderRightWidth, s.borderLeftWidth]; }"""
                )
                if sides is not None and sides != ["3px", "0px"]:
                    problems.append(f"{url}: a branch's line is not on its right: {sides}")
            if name == "pulse-answer":
                options = page.evaluate(
                    """() => [...document.querySelectorAll("fieldset.likert")[0]
                      .querySelectorAll("label")].map((l) => l.getBoundingClientRect().left)"""
                )
                if options != sorted(options, reverse=True):
                    problems.append(f"{url}: the answers do not run right to left: {options}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
