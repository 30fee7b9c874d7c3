"""The whole-cycle pages' arrays (okrs/columns.py, okrs/selectors/table.py) give the same
numbers, to the bit, as the per-objective computation (okrs/progress.py): each objective's
pacing, each team's objectives (each once), count, roll-up and pacing — on random data,
with values exactly on the pacing lines and one float step either side of them."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.demo.services import generate
from ampwork.okrs import columns, progress, selectors
from ampwork.okrs.generate import generate_okrs
from ampwork.okrs.models import Cycle, KeyResult, Objective
from ampwork.okrs.selectors.alignment import _rollups, active_members, organisation_team
from ampwork.okrs.selectors.table import CycleTable, RowLoader, team_incidence
from tests.budgets import same_start

START = dt.date(2026, 1, 1)


def _lines(days: int, day: int) -> list[float]:
    """The two pacing lines of day ``day`` of ``days`` as floats, exactly and one float
    step either side, and a value within NEAR of each (decided exactly)."""
    out: list[float] = []
    elapsed = min(max(Fraction(day, days), Fraction(0)), Fraction(1))
    for margin in (Fraction(1, 10), Fraction(1, 4)):
        line = float(elapsed - margin)
        out += [line, math.nextafter(line, 2), math.nextafter(line, -2), line + 1e-10]
    return [v for v in out if 0 <= v <= 1]


def _values(days: int, day: int) -> st.SearchStrategy[float | None]:
    return st.one_of(
        st.none(),
        st.sampled_from(_lines(days, day) or [0.0]),
        st.floats(0, 1),
        st.sampled_from([0.0, 0.4, 0.25, 0.5, 1.0]),
    )


@settings(max_examples=300, deadline=None)
@given(
    days=st.integers(1, 120),
    day=st.integers(-3, 125),
    data=st.data(),
)
def test_pacing_codes_decide_as_pace_status(days: int, day: int, data: st.DataObject) -> None:
    end, today = START + dt.timedelta(days=days), START + dt.timedelta(days=day)
    values = data.draw(st.lists(_values(days, day), max_size=30))
    pace = progress.Pace(START, end, today)
    judged = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    on, off = pace.lines
    codes, undecided = columns.pacing_codes(judged, on, off, pace.before)
    for value, code, open_ in zip(values, codes.tolist(), undecided.tolist(), strict=True):
        want = pace.status(None if value is None else progress.Explained(value, ""))
        if open_:  # the floats may not decide: the caller decides exactly
            assert value is not None
            assert abs(value - on) <= progress.NEAR or abs(value - off) <= progress.NEAR
        else:
            assert columns.STATUSES[code] == want, (value, on, off)


@dataclass
class _Owned:
    pk: int
    owner_kind: str
    owner_team_id: int | None
    owner_person_id: int | None


class _Exacts:
    """Stands in for the database's exact values: each judged float read as its decimal."""

    def __init__(self, judged: dict[int, float]) -> None:
        self._judged = judged

    def of(self, pk: int, which: int) -> Fraction:
        assert which == 1
        return progress.as_exact(self._judged[pk])


def _tree(parents: list[int]) -> list[core_selectors.TeamOutline]:
    nodes = [
        core_selectors.TeamOutline(
            team=core_selectors.TeamRow(i + 1, f"t{i}", p + 1 if p >= 0 else None)
        )
        for i, p in enumerate(parents)
    ]
    roots = []
    for node, parent in zip(nodes, parents, strict=True):  # a parent before its children
        node.depth = nodes[parent].depth + 1 if parent >= 0 else 0
        (nodes[parent].children if parent >= 0 else roots).append(node)
    return roots


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_team_roll_ups_over_arrays_equal_team_rollup(data: st.DataObject) -> None:
    days = data.draw(st.integers(1, 100), label="days")
    day = data.draw(st.integers(-2, days + 2), label="day")
    end, today = START + dt.timedelta(days=days), START + dt.timedelta(days=day)
    size = data.draw(st.integers(1, 12), label="teams")
    parents = [-1] + [data.draw(st.integers(-1, i - 1)) for i in range(1, size)]
    people = data.draw(st.integers(0, 10), label="people")
    members: dict[int, list[int]] = {}
    for person in range(100, 100 + people):  # some in two teams, some in none
        for team in data.draw(st.lists(st.integers(1, size), max_size=2, unique=True)):
            members.setdefault(team, []).append(person)
    owners = st.one_of(
        st.tuples(st.just("person"), st.just(None), st.integers(100, 100 + max(people, 1))),
        st.tuples(st.just("team"), st.integers(1, size + 1), st.just(None)),  # size+1: outside
        st.tuples(st.just("organisation"), st.just(None), st.just(None)),
    )
    objectives = [
        _Owned(pk, *owner)
        for pk, owner in enumerate(data.draw(st.lists(owners, max_size=40), label="o"), start=1)
    ]
    shown = {o.pk: data.draw(st.floats(0, 1), label="progress") for o in objectives}
    judged = {o.pk: data.draw(_values(days, day), label="judged") for o in objectives}
    tree = _tree(parents)
    root = organisation_team(tree)
    pace = progress.Pace(START, end, today)
    n = len(objectives)
    table = CycleTable(
        ids=np.arange(1, n + 1, dtype=np.int64),
        person=np.array([o.owner_person_id or np.nan for o in objectives], dtype=np.float64),
        team=np.array([o.owner_team_id or np.nan for o in objectives], dtype=np.float64),
        shown=np.array([shown[o.pk] for o in objectives], dtype=np.float64),
        judged=np.array(
            [np.nan if judged[o.pk] is None else judged[o.pk] for o in objectives],
            dtype=np.float64,
        ),
        lowest=np.zeros(n),
        active=np.ones(n, dtype=bool),
        silent=np.zeros(n, dtype=bool),
        codes=np.zeros(n, dtype=np.int8),
        pending={},
        exacts=_Exacts({k: v for k, v in judged.items() if v is not None}),  # type: ignore[arg-type]
        pace=pace,
        expected=pace.explained(),
        rows=RowLoader(None, START, end),  # type: ignore[arg-type]
        today=today,
    )
    # each team's objectives, each once
    want = selectors.objectives_by_team(tree, members, objectives, root)
    teams = team_incidence(tree, members, table, root)
    got: dict[int, list[int]] = {pk: [] for pk in teams.order}
    for team, index in zip(teams.team.tolist(), teams.objective.tolist(), strict=True):
        got[teams.order[team]].append(index + 1)
    assert {t: sorted(v) for t, v in want.items()} == got
    # each team's count, roll-up (to the bit) and pacing
    results = {
        o.pk: progress.ObjectiveResult(
            progress=progress.Explained(shown[o.pk], ""),
            lowest=None,
            pacing="",
            expected=pace.explained(),
            score=None,
            band=None,
            judged=None if judged[o.pk] is None else progress.Explained(judged[o.pk], ""),
        )
        for o in objectives
    }
    rollups = _rollups(tree, members, table, root)
    for team, ids in got.items():
        value, status = progress.team_rollup([results[i] for i in ids], START, end, today)
        assert rollups[team] == (len(ids), value.value if value else None, status), team


# ---------------------------------------------------------------- the pages, end to end


def _before(actor: Actor, cycle: Cycle, day: dt.date) -> dict[str, Any]:
    """The alignment tree's and the dashboard's numbers as they were worked out before the
    arrays: an object per objective (``evaluate``), ``objectives_by_team``, ``team_rollup``."""
    state = selectors.evaluate(
        selectors.visible_objectives(actor).filter(cycle=cycle), day, detail=False
    )
    org = actor.organisation
    tree = core_selectors.team_outline(org)
    root = organisation_team(tree)
    inside = selectors.objectives_by_team(tree, active_members(org), state.objectives, root)
    pace = progress.Pace(cycle.start, cycle.end, day)
    teams = {}
    for team, ids in inside.items():
        shown, status = progress.team_rollup(
            [state.results[i] for i in sorted(ids)], cycle.start, cycle.end, day, pace
        )
        counts = {s: 0 for s in columns.STATUSES}
        for i in ids:
            counts[state.results[i].pacing] += 1
        teams[team] = (len(ids), shown.value if shown else None, status, counts)
    return {"teams": teams, "results": state.results}


@pytest.fixture
def generated(db: Any) -> tuple[Actor, Cycle]:
    result = generate(people=60, slug="columns")
    cycle = generate_okrs(
        result.organisation,
        objectives_per_person=3,
        key_results_per_objective=2,
        check_ins_per_key_result=3,
    )
    admin = Person.objects.get(organisation=result.organisation, email=result.admin_email)
    org = Organisation.objects.get(pk=result.organisation.pk)
    return Actor(organisation=org, role="admin", user=admin.user, person=admin), cycle


def test_the_tree_and_the_dashboard_read_as_before(generated: tuple[Actor, Cycle]) -> None:
    """Day by day (before the cycle, its first day, in new key results' grace, later, after
    its end): the arrays give every team the count, roll-up (to the bit), pacing and
    per-status counts the per-objective computation gives, and every objective its result.
    The organisation is built once; each day reads it as built (tests/budgets.py)."""
    actor, cycle = generated
    for offset in [-3, 0, 5, 20, 40, 1000]:
        with same_start():
            try:
                _read_as_before(actor, cycle, cycle.start + dt.timedelta(days=offset))
            except AssertionError as failed:
                failed.add_note(f"{offset} days from the start of the cycle")
                raise


def _read_as_before(actor: Actor, cycle: Cycle, day: dt.date) -> None:
    want = _before(actor, cycle, day)
    tree = selectors.alignment(actor, cycle, today=day)
    got = {}
    stack = list(tree.branches)
    while stack:
        branch = stack.pop()
        got[branch.team_id] = (branch.count, branch.rollup, branch.status)
        stack += branch.children
    assert got == {t: v[:3] for t, v in want["teams"].items() if t in got}
    board = selectors.dashboard(actor, cycle, today=day)
    rows = {row.team_id: (row.total, row.counts) for row in board.teams}
    assert rows == {t: (v[0], v[3]) for t, v in want["teams"].items() if v[0]}
    assert sum(board.totals.values()) == len(want["results"])
    # the histogram from the objectives' stored counts, the stale ones from those silent
    # long enough: as counted key result by key result
    krs = list(
        KeyResult.objects.filter(objective__cycle=cycle).values_list(
            "id", "graded", "score", "last_check_in", "clock", "objective__status"
        )
    )
    assert board.scores == Counter(g if s is None else s for _, g, s, *_ in krs)
    stale = sorted(
        (last is not None, last or day, pk)
        for pk, _, _, last, clock, status in krs
        if status == Objective.Status.ACTIVE
        and progress.stale_in_cycle(last, clock, cycle.end, day)
    )
    assert board.stale_count == len(stale)
    assert [kr.pk for kr in board.stale] == [pk for *_, pk in stale[:50]]
    paced = selectors.team_pacing(actor, cycle.pk, day, list(want["teams"]))
    assert paced == {t: {s: n for s, n in v[3].items() if n} for t, v in want["teams"].items()}
    for pk, old in want["results"].items():
        new = tree.state.results[pk]
        assert (new.progress.value, new.pacing, new.score, new.band, new.settles) == (
            old.progress.value,
            old.pacing,
            old.score,
            old.band,
            old.settles,
        )


def test_the_tree_reads_titles_only_for_what_it_shows(
    generated: tuple[Actor, Cycle], django_assert_num_queries: Callable[..., Any]
) -> None:
    """Rows of the objectives the open branches list are read in one query; a closed
    branch's are not read at all."""
    actor, cycle = generated
    tree = selectors.alignment(actor, cycle)
    selectors.open_branches(tree.branches, 1)  # the top level only
    with django_assert_num_queries(0):
        for branch in tree.branches:
            if branch.opened:
                assert all(o.title for o in branch.objectives)
                for person, objectives in branch.people.items():
                    assert tree.people_names[person]
                    assert all(o.owner_person_id == person for o in objectives)
    closed = [b for b in tree.branches[0].children if not b.opened and len(b.objectives)]
    assert closed
    with django_assert_num_queries(1):
        titles = [o.title for o in closed[0].objectives]
    assert titles == list(
        Objective.objects.filter(pk__in=closed[0].objectives.ids)  # type: ignore[attr-defined]
        .order_by("id")
        .values_list("title", flat=True)
    )


@pytest.mark.django_db
def test_a_filter_nothing_matches_reads_an_empty_table(
    django_assert_num_queries: Callable[..., Any],
) -> None:
    """``pk__in=[]`` (a lead's team with nobody in it) cannot match: no query, no error."""
    from ampwork.okrs.selectors.table import read_table

    with django_assert_num_queries(0):
        table = read_table(Objective.objects.filter(pk__in=[]), START, START, START)
    assert len(table.ids) == 0
    assert len(table.results()) == 0


@pytest.mark.parametrize("value", [None, 0.0, 0.005, 0.734, 1.0])
@pytest.mark.parametrize("status", [None, "", "on track", "not started"])
def test_the_bar_tag_renders_the_bar_template_to_the_byte(value: float | None, status: Any) -> None:
    from django.template import engines

    django = engines["django"]
    context = {"value": value, "status": status}
    included = django.from_string('{% include "okrs/_bar.html" %}').render(context)
    tagged = django.from_string("{% load okrs_tags %}{% bar value status %}").render(context)
    assert tagged == included


@pytest.mark.parametrize("prefix", ["/", "/ampwork/"])
def test_the_url_filters_write_what_the_url_tag_writes(prefix: str) -> None:
    """The alignment tree's links by string formatting (``href``, ``branch_body_url``) are
    the ``{% url %}`` tags they replace, to the byte, under any script prefix."""
    from django.template import engines
    from django.urls import set_script_prefix

    django = engines["django"]
    before = django.from_string(
        '{% for i in ids %}<a href="{% url \'okrs:objective\' i %}"><a href="{% url '
        "'core:person' i %}\"><details hx-get=\"{% url 'okrs:alignment' %}?cycle={{ c }}"
        '&amp;team={{ i }}&amp;body=1">{% endfor %}'
    )
    after = django.from_string(
        "{% load okrs_tags %}{% for i in ids %}<a href=\"{{ i|href:'okrs:objective' }}\">"
        '<a href="{{ i|href:\'core:person\' }}"><details hx-get="'
        '{{ i|branch_body_url:c }}">{% endfor %}'
    )
    context = {"ids": [1, 7, 999, 1000, 123456789], "c": 42}
    set_script_prefix(prefix)
    try:
        written = before.render(context)
        assert after.render(context) == written
        assert f'href="{prefix}okrs/objectives/1000/"' in written
    finally:
        set_script_prefix("/")


def test_a_team_not_in_the_tree_shows_nothing(generated: tuple[Actor, Cycle]) -> None:
    actor, cycle = generated
    tree = selectors.alignment(actor, cycle, 10**9)
    assert tree.branches == []
    assert len(tree.state.results) == 0
    assert tree.organisation_objectives == []
