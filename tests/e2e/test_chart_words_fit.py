"""Every chart's words fit a phone, in German (issue 21): on a 390 px screen the titles,
axis titles, legends and tick labels of each chart lie inside the chart, and the title,
legend and axis titles do not run into each other (German's long words were cut at the
edges: the flow map's "…ggü. eigenem Durchs", the fairness legend; the OKR legend's "im
Plan" ran into the axis title "Ziele"; the pulse trend's "0 %" touched its first date).

One browser page per demo role visits every page of theirs that shows a chart, scrolls
each chart into view so that it draws, and measures its words; a screenshot of each chart
is kept (AMPWORK_SCREENSHOTS)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Person, Role
from ampwork.core.permissions import Actor
from ampwork.demo.services import DEMO_PASSWORD
from ampwork.mastery import selectors as mastery
from ampwork.okrs.models import CheckIn, Cycle, KeyResult
from ampwork.okrs.selectors.visibility import visible_objectives

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 390
SHOTS = Path(os.environ.get("AMPWORK_SCREENSHOTS", "screenshots"))

# Each word of a drawn chart, by part, with its box on the screen; the box of the chart's
# svg. plotly.js writes tick labels in g.xtick / g.ytick, a legend entry's text as
# .legendtext, titles as .gtitle / .xtitle / .ytitle (x2title… for more axes).
MEASURE = """chart => {
  const svg = chart.querySelector('svg.main-svg').getBoundingClientRect();
  const parts = {
    title: '.gtitle', xtitle: '[class^="g-x"] > [class$="title"]',
    ytitle: '[class^="g-y"] > [class$="title"]', legend: '.legendtext',
    xtick: '.xtick > text', ytick: '.ytick > text',
  };
  const words = [];
  for (const [part, selector] of Object.entries(parts)) {
    for (const node of chart.querySelectorAll(selector)) {
      const r = node.getBoundingClientRect();
      if (!node.textContent.trim() || !r.width || !r.height) continue;
      words.push({part, text: node.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom});
    }
  }
  return {box: {l: svg.left, t: svg.top, r: svg.right, b: svg.bottom}, words};
}"""
# a chart's title, its legend and its axis titles must not overlap one another; nor the
# x and y axes' tick labels (the trend's "0 %" and its first date)
APART = [
    ("title", "legend"),
    ("title", "xtitle"),
    ("title", "ytitle"),
    ("legend", "xtitle"),
    ("legend", "ytitle"),
    ("xtitle", "ytitle"),
    ("legend", "xtick"),
    ("xtitle", "ytick"),
    ("ytitle", "xtick"),
    ("xtick", "ytick"),
]
SLACK = 0.5  # px: sub-pixel rounding of the boxes


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        min(a["r"], b["r"]) - max(a["l"], b["l"]) > SLACK
        and min(a["b"], b["b"]) - max(a["t"], b["t"]) > SLACK
    )


def _problems(where: str, box: dict[str, float], words: list[dict[str, Any]]) -> list[str]:
    found = []
    for w in words:
        if (
            w["l"] < box["l"] - SLACK
            or w["r"] > box["r"] + SLACK
            or w["t"] < box["t"] - SLACK
            or w["b"] > box["b"] + SLACK
        ):
            found.append(f"{where}: {w['part']} {w['text']!r} outside the chart")
    for one, other in APART:
        for a in (w for w in words if w["part"] == one):
            for b in (w for w in words if w["part"] == other):
                if _overlap(a, b):
                    found.append(f"{where}: {one} {a['text']!r} overlaps {other} {b['text']!r}")
    return found


def _person(demo: Any, email: str) -> Person:
    org = demo.school if "hillside" in email else demo.company
    return Person.objects.get(organisation=org, user__email=email)


def _flowing(people: Any) -> list[int]:
    """People whose progress page draws all three charts: attainment, skills, flow map."""
    found = []
    for person in people:
        if mastery.flows([person.pk])[person.pk].enough and mastery.skill_histories(
            person.organisation, person
        ):
            found.append(person.pk)
    return found


def _pages(person: Person) -> list[str]:
    """Each page of the person's that shows a chart (core, advisor, mastery, fairness and
    OKR charts.py are the only ones that draw: the pulse, purpose and autonomy pages show
    their numbers as text and bars of CSS)."""
    org = person.organisation
    pages = ["/", "/mastery/"]
    if person.role in (Role.ADMIN, Role.PEOPLE_OPS) and not org.is_school:
        pages.append("/fairness/")
    if person.role in (Role.ADMIN, Role.MANAGER):
        pages += [f"/okrs/cycles/{c.pk}/" for c in Cycle.objects.filter(organisation=org)]
    measured = (
        CheckIn.objects.filter(
            key_result__objective__cycle__organisation=org,
            key_result__kind=KeyResult.Kind.NUMERIC,
            value__isnull=False,
        )
        .values_list("key_result__objective", flat=True)
        .distinct()
    )
    actor = Actor(organisation=org, role=person.role, user=person.user, person=person)
    objectives = visible_objectives(actor).filter(pk__in=measured).order_by("pk")
    pages += [f"/okrs/objectives/{pk}/" for pk in objectives[:2].values_list("pk", flat=True)]
    if person.role in (Role.ADMIN, Role.MANAGER):
        others = Person.objects.filter(organisation=org).exclude(pk=person.pk)
        if person.role == Role.MANAGER:
            others = others.filter(manager=person)
        pages += [f"/mastery/people/{pk}/" for pk in _flowing(others.order_by("pk")[:30])[:1]]
    return pages


@pytest.fixture
def german(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(
    "email",
    [
        "admin@brightwater.example",
        "people@brightwater.example",
        "manager@brightwater.example",
        "member@brightwater.example",
        "teacher@hillside.example",
        "student@hillside.example",
    ],
)
def test_every_charts_words_fit_a_german_phone(
    demo: Any, german: Any, live_server: Any, sign_in: Callable[..., None], email: str
) -> None:
    _check(demo, german, live_server.url, sign_in, email, "de", WIDTH)


def test_the_same_charts_read_well_on_an_english_laptop(
    demo: Any, page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    """The layout made for a phone keeps a laptop's charts whole too."""
    _check(demo, page, live_server.url, sign_in, "admin@brightwater.example", "en-gb", 1280)


def _check(
    demo: Any,
    page: Any,
    base: str,
    sign_in: Callable[..., None],
    email: str,
    language: str,
    width: int,
) -> None:
    person = _person(demo, email)
    Person.objects.filter(user=person.user).update(language=language)
    pages = _pages(person)
    sign_in(page, email, DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    drawn = 0
    for path in pages:
        page.goto(f"{base}{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        charts = page.locator(".js-chart")
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            expect(chart).to_have_attribute("data-drawn", "1")
            page.wait_for_timeout(150)  # plotly.js's second pass, margins grown
            where = f"{path} chart {i + 1}"
            who = email.split("@")[0]
            name = f"chart-{language}-{width}-{who}{path.replace('/', '-')}{i + 1}"
            chart.screenshot(path=str(SHOTS / f"{name}.png"))
            measured = chart.evaluate(MEASURE)
            assert measured["words"], where
            problems += _problems(where, measured["box"], measured["words"])
            drawn += 1
    assert drawn, f"{email}: no chart on {pages}"
    assert not problems, "\n".join(problems)
