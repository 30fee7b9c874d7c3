"""The fairness overview at scale (issue 24): each flagged person's pay comes with them,
costliest first, 50 a page; the chart sends one dot a person up to DOTS people and
boxes computed on the server above; the costliest teams are listed, the rest summed."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable
from html import unescape
from typing import Any

import numpy as np
import pytest

from ampwork.core.models import Person, User
from ampwork.demo.services import generate
from ampwork.fairness import audit, charts, selectors, views
from ampwork.fairness.audit import Record
from ampwork.fairness.generate import generate_pay


def _records(n: int) -> list[Record]:
    return [
        Record(
            f"p{i}",
            40_000 + (i * 7919) % 30_000,
            group="female" if i % 2 else "male",
            level=f"L{1 + i % 3}",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("n", "dots"), [(charts.DOTS - 1, True), (charts.DOTS, True), (charts.DOTS + 1, False)]
)
def test_dots_up_to_the_limit_then_boxes(n: int, dots: bool) -> None:
    html = charts.pay_by_level(_records(n), ["male", "female"])
    traces = _figure(html)["data"]
    points = sum(len(t.get("y") or []) for t in traces if t.get("boxpoints") == "all")
    boxes = [t for t in traces if "q1" in t]
    assert points == (n if dots else 0)
    assert bool(boxes) is not dots
    if not dots:  # every person is in one box: the counts add up in the table below
        assert len(html) < 20_000


def _figure(html: str) -> dict[str, Any]:
    found = re.search(r'data-figure="([^"]*)"', html)
    assert found is not None
    figure: dict[str, Any] = json.loads(unescape(found.group(1)))
    return figure


def test_boxes_are_the_five_numbers_of_each_group_and_level() -> None:
    records = _records(charts.DOTS + 1)
    traces = _figure(charts.pay_by_level(records, ["male", "female"]))["data"]
    women = next(t for t in traces if t.get("name") == "female" and "q1" in t)
    for i, level in enumerate(women["x"]):
        pay = sorted(r.annual for r in records if r.level == level and r.group == "female")
        q1, median, q3 = np.percentile(pay, [25, 50, 75])  # numpy's linear method
        drawn = [women[k][i] for k in ("lowerfence", "q1", "median", "q3", "upperfence")]
        assert drawn == pytest.approx([min(pay), q1, median, q3, max(pay)])
        assert statistics.median(pay) == pytest.approx(drawn[2])
    assert charts._five([5.0]) == (5.0, 5.0, 5.0, 5.0, 5.0)


@pytest.mark.django_db
def test_flagged_people_come_with_their_pay_costliest_first(
    web: Callable[[Person], Any],
) -> None:
    made = generate(people=150, slug="pay-scale")
    org = made.organisation
    generate_pay(org, underpaid=0.5)
    admin = Person.objects.get(organisation=org, email=made.admin_email)
    admin.user = User.objects.get(email__iexact=made.admin_email)
    view = selectors.overview(org).value
    assert view is not None
    data = selectors.records(org)
    result = audit.audit(data.records, data.reference, data.comparison)  # independently
    pay = {p["employee_id"]: p["annual_pay"] for p in result["people"]}
    assert len(view.flagged) == len(result["flags"]) > views.FLAGGED_PAGE
    assert all(f.pay == pay[f.person_id] for f in view.flagged)
    costs = [f.cost for f in view.flagged]
    assert costs == sorted(costs, reverse=True)
    client = web(admin)
    first = client.get("/fairness/").content.decode()
    second = client.get("/fairness/?page=2").content.decode()
    rows = re.compile(r'<td><a href="/people/(\d+)/">')
    shown = rows.findall(first) + rows.findall(second)
    assert len(rows.findall(first)) == views.FLAGGED_PAGE
    assert shown == [f.person_id for f in view.flagged][: len(shown)]
    top = view.flagged[0]
    assert f"{top.pay:,.0f}" in first
    assert "Page 1 of" in first


@pytest.mark.parametrize(
    ("teams", "more"),
    [(selectors.TEAMS_SHOWN - 1, 0), (selectors.TEAMS_SHOWN, 0), (selectors.TEAMS_SHOWN + 1, 1)],
)
def test_the_costliest_teams_then_one_line_for_the_rest(teams: int, more: int) -> None:
    by_team = {f"Team {i:02}": float(100 + i) for i in range(teams)}
    shown, (others, cost) = selectors.costliest(by_team)
    assert len(shown) == min(teams, selectors.TEAMS_SHOWN)
    assert [c for _, c in shown] == sorted(by_team.values(), reverse=True)[: len(shown)]
    assert others == more
    assert cost == (100.0 if more else 0)  # the cheapest, Team 00
    assert sum(c for _, c in shown) + cost == sum(by_team.values())


def test_the_pay_axis_writes_whole_amounts_with_the_readers_group_mark() -> None:
    """Not plotly's '120k' (an English SI suffix) beside tables that say '38.300 €'."""
    from django.utils import translation

    with translation.override("de"):
        layout = _figure(charts.pay_by_level(_records(20), ["male", "female"]))["layout"]
    assert layout["yaxis"]["tickformat"] == ",d"
    assert layout["separators"] == ",."  # plotly's order: decimal mark, then group mark
