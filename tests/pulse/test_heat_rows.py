"""The heatmap at scale (issue 24): every group up to ALL_ROWS; beyond, the levels from
the top that fit in ALL_ROWS rows, the groups inside the one opened (and inside each group
above it), and how many each row keeps closed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ampwork.pulse import selectors
from ampwork.pulse.anonymity import ROOT


def _tree(groups: int) -> Any:
    """Everyone, one top unit (1), ten departments under it, the rest as teams spread over
    the departments: depth first, as the page orders them."""
    parents: dict[int, int | None] = {1: None}
    departments = list(range(2, 12))
    for d in departments:
        parents[d] = 1
    teams = list(range(12, groups + 1))
    for i, t in enumerate(teams):
        parents[t] = departments[i % len(departments)]
    order = [ROOT, 1]
    for d in departments:
        order += [d, *[t for t in teams if parents[t] == d]]
    order = order[: groups + 1]
    return SimpleNamespace(order=order, parents=parents, groups={g: {} for g in order})


@pytest.mark.parametrize(
    ("groups", "all_shown"),
    [(selectors.ALL_ROWS - 2, True), (selectors.ALL_ROWS - 1, True), (selectors.ALL_ROWS, False)],
)
def test_every_group_up_to_the_limit(groups: int, all_shown: bool) -> None:
    data = _tree(groups)  # groups + 1 rows with Everyone
    rows = selectors.heat_rows(data)
    assert ([r.group for r in rows] == data.order) is all_shown
    if all_shown:
        assert all(r.closed == 0 for r in rows)


def test_beyond_it_two_levels_and_what_is_opened() -> None:
    data = _tree(200)
    rows = selectors.heat_rows(data)
    shown = {r.group: r for r in rows}
    assert set(shown) == {ROOT, 1, *range(2, 12)}  # Everyone, the top unit, its departments
    assert shown[1].closed == 0  # its departments are all shown
    inside_2 = [g for g in data.order if data.parents.get(g) == 2]
    assert shown[2].closed == len(inside_2) > 0
    opened = {r.group: r for r in selectors.heat_rows(data, opened=2)}
    assert set(opened) == set(shown) | set(inside_2)
    assert opened[2].closed == 0
    assert [r.depth for r in selectors.heat_rows(data, opened=2) if r.group in inside_2] == [
        2
    ] * len(inside_2)
    # a team deep inside: its department opens with it; an unknown group opens nothing
    assert set(selectors.heat_rows(data, opened=inside_2[0])) >= set(
        selectors.heat_rows(data, opened=2)
    )
    assert selectors.heat_rows(data, opened=99_999) == rows


@pytest.mark.parametrize(("departments", "second_level"), [(58, True), (59, False)])
def test_a_level_is_shown_only_when_it_fits(departments: int, second_level: bool) -> None:
    """Everyone and the top unit are 2 rows; 58 departments make 60 (shown), 59 make 61."""
    parents: dict[int, int | None] = {1: None}
    order = [ROOT, 1]
    for d in range(2, 2 + departments):
        parents[d] = 1
        order.append(d)
        team = 1000 + d
        parents[team] = d
        order.append(team)
    data = SimpleNamespace(order=order, parents=parents, groups={g: {} for g in order})
    rows = {r.group: r for r in selectors.heat_rows(data)}
    assert (2 in rows) is second_level
    assert rows[1].closed == (0 if second_level else departments)
    assert 1002 not in rows  # the third level never fits here
