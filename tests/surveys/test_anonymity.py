"""Anonymity over random team trees: nothing below the minimum is shown or recoverable."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.surveys.anonymity import ROOT, comments_allowed, decide


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[int, int | None], dict[int, int], int]:
    size = draw(st.integers(min_value=1, max_value=7))
    parents: dict[int, int | None] = {}
    for team in range(1, size + 1):
        parents[team] = draw(st.sampled_from([None, *range(1, team)]))
    direct = {g: draw(st.integers(min_value=0, max_value=12)) for g in range(0, size + 1)}
    minimum = draw(st.integers(min_value=3, max_value=7))
    return parents, direct, minimum


def members(parents: dict[int, int | None], direct: dict[int, int]) -> dict[int, frozenset]:
    """Each group as the set of its respondents (tuples (group, i))."""
    children: dict[int, list[int]] = defaultdict(list)
    for g, p in parents.items():
        children[ROOT if p is None else p].append(g)

    def collect(g: int) -> frozenset:
        own = {(g, i) for i in range(direct.get(g, 0))}
        for c in children[g]:
            own |= collect(c)
        return frozenset(own)

    return {g: collect(g) for g in [ROOT, *parents]}


@settings(max_examples=400, deadline=None)
@given(trees())
def test_nothing_small_is_shown_or_recoverable(
    tree: tuple[dict[int, int | None], dict[int, int], int],
) -> None:
    parents, direct, minimum = tree
    decisions = decide(parents, direct, minimum)
    sets = members(parents, direct)
    shown = [g for g, d in decisions.items() if d.shown]
    for g in shown:
        assert decisions[g].n >= minimum
        assert len(sets[g]) == decisions[g].n
    # every difference a reader can form from shown groups is empty or ≥ the minimum
    for g in shown:
        inside = [s for s in shown if s != g and sets[s] < sets[g]]
        for k in range(1, len(inside) + 1):
            for pick in itertools.combinations(inside, k):
                if any(not sets[a].isdisjoint(sets[b]) for a, b in itertools.combinations(pick, 2)):
                    continue
                rest = sets[g] - frozenset().union(*(sets[s] for s in pick))
                assert len(rest) == 0 or len(rest) >= minimum, (g, pick, rest)
    # and no suppressed group equals such a difference exactly
    for s, d in decisions.items():
        if d.shown or not sets[s]:
            continue
        for g in shown:
            if not sets[s] < sets[g]:
                continue
            others = [
                o for o in shown if o != g and sets[o] < sets[g] and sets[o].isdisjoint(sets[s])
            ]
            cover = frozenset().union(*(sets[o] for o in others)) if others else frozenset()
            assert cover != sets[g] - sets[s], (s, g)  # s = g − (shown groups)


def test_small_team_and_its_parent() -> None:
    # a team of 4 in a department of 9: the team is hidden for size; the department (9)
    # is shown; nothing else to subtract
    decisions = decide({1: None, 2: 1}, {0: 0, 1: 5, 2: 4}, 5)
    assert not decisions[2].shown and "fewer than 5" in decisions[2].reason
    assert decisions[1].shown and decisions[ROOT].shown


def test_differencing_hides_the_sibling_that_would_reveal_a_small_group() -> None:
    # organisation 30 = team A 12 + team B 15 + 3 people in no team: A and B would be shown,
    # and 30 − 12 − 15 = 3 would reveal three people
    decisions = decide({1: None, 2: None}, {0: 3, 1: 12, 2: 15}, 5)
    assert decisions[ROOT].shown
    assert [decisions[1].shown, decisions[2].shown].count(False) == 1
    hidden = decisions[1] if not decisions[1].shown else decisions[2]
    assert "subtraction" in hidden.reason


def test_comments_need_ten() -> None:
    decisions = decide({}, {0: 9}, 5)
    assert not comments_allowed(decisions[ROOT], 5)
    assert comments_allowed(decide({}, {0: 10}, 5)[ROOT], 5)


@settings(max_examples=150, deadline=None)
@given(trees(), st.integers(min_value=0, max_value=2**31), st.booleans())
def test_fast_results_equal_the_reference(
    tree: tuple[dict[int, int | None], dict[int, int], int], seed: int, skip: bool
) -> None:
    import random

    import pytest

    from ampwork.surveys.instrument import items_for
    from ampwork.surveys.results import ResponseData, compute, compute_reference

    parents, direct, minimum = tree
    rng = random.Random(seed)
    items = items_for(False)
    responses = []
    for group, count in direct.items():
        for _ in range(count):
            answers = {
                i.code: rng.randint(1, 5) for i in items if not (skip and rng.random() < 0.3)
            }
            responses.append(
                ResponseData(
                    group,
                    answers,
                    rng.choice([None, *range(11)]),
                    rng.choice(["", "", "a comment"]),
                )
            )
    invited = {g: c + 2 for g, c in direct.items()}
    fast = compute(responses, items, parents, minimum, invited)
    slow = compute_reference(responses, items, parents, minimum, invited)
    assert fast.keys() == slow.keys()
    for group in slow:
        a, b = fast[group], slow[group]
        assert a.keys() == b.keys()
        if b["suppressed"]:
            assert a == b
            continue
        assert a["n"] == b["n"] and a["comments"] == b["comments"]
        assert a["participation"] == pytest.approx(b["participation"])
        assert a["enps"] == pytest.approx(b["enps"])
        for code, expected in b["subscales"].items():
            got = a["subscales"][code]
            assert got["distribution"] == expected["distribution"]
            assert got["answers"] == expected["answers"]
            assert got["mean"] == pytest.approx(expected["mean"])
            assert got["favourable"] == pytest.approx(expected["favourable"])
