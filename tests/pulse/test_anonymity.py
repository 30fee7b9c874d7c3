"""Anonymity over random team trees: nothing below the minimum is shown or recoverable."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.pulse import anonymity
from ampwork.pulse.anonymity import ROOT, comments_shown, decide


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


def assert_no_small_difference(
    sets: dict[int, frozenset], shown: list[int], n: dict[int, int], minimum: int
) -> None:
    for g in shown:
        assert n[g] >= minimum
        assert len(sets[g]) == n[g]
    # every difference a reader can form from shown groups is empty or ≥ the minimum
    for g in shown:
        inside = [s for s in shown if s != g and sets[s] < sets[g]]
        for k in range(1, len(inside) + 1):
            for pick in itertools.combinations(inside, k):
                if any(not sets[a].isdisjoint(sets[b]) for a, b in itertools.combinations(pick, 2)):
                    continue
                rest = sets[g] - frozenset().union(*(sets[s] for s in pick))
                assert len(rest) == 0 or len(rest) >= minimum, (g, pick, rest)
    # and no hidden group equals such a difference exactly
    for s in sets:
        if s in shown or not sets[s]:
            continue
        for g in shown:
            if not sets[s] < sets[g]:
                continue
            others = [
                o for o in shown if o != g and sets[o] < sets[g] and sets[o].isdisjoint(sets[s])
            ]
            cover = frozenset().union(*(sets[o] for o in others)) if others else frozenset()
            assert cover != sets[g] - sets[s], (s, g)  # s = g − (shown groups)


@settings(max_examples=400, deadline=None)
@given(trees())
def test_nothing_small_is_shown_or_recoverable(
    tree: tuple[dict[int, int | None], dict[int, int], int],
) -> None:
    parents, direct, minimum = tree
    decisions = decide(parents, direct, minimum)
    shown = [g for g, d in decisions.items() if d.shown]
    n = {g: d.n for g, d in decisions.items()}
    assert_no_small_difference(members(parents, direct), shown, n, minimum)


@settings(max_examples=300, deadline=None)
@given(trees(), st.integers(min_value=0, max_value=10))
def test_no_comment_set_is_small_or_recoverable(
    tree: tuple[dict[int, int | None], dict[int, int], int], more: int
) -> None:
    """Issue 14, item 4: no comment set can be worked out by subtracting shown comment
    sets, at the comment minimum (ten, or the minimum if higher)."""
    parents, direct, minimum = tree
    direct = {g: c * 2 + (more if g == ROOT else 0) for g, c in direct.items()}  # sizes ~10
    shown = sorted(comments_shown(parents, direct, minimum))
    scores = decide(parents, direct, minimum)
    assert all(scores[g].shown for g in shown)
    n = {g: d.n for g, d in scores.items()}
    assert_no_small_difference(
        members(parents, direct), shown, n, anonymity.comment_minimum(minimum)
    )


def test_small_team_and_its_parent() -> None:
    # a team of 4 in a department of 9: the team is hidden for size; the department (9)
    # is shown; nothing else to subtract
    decisions = decide({1: None, 2: 1}, {0: 0, 1: 5, 2: 4}, 5)
    assert not decisions[2].shown
    assert "fewer than 5" in decisions[2].reason
    assert decisions[1].shown
    assert decisions[ROOT].shown


def test_differencing_hides_the_sibling_that_would_reveal_a_small_group() -> None:
    # organisation 30 = team A 12 + team B 15 + 3 people in no team: A and B would be shown,
    # and 30 − 12 − 15 = 3 would reveal three people
    decisions = decide({1: None, 2: None}, {0: 3, 1: 12, 2: 15}, 5)
    assert decisions[ROOT].shown
    assert [decisions[1].shown, decisions[2].shown].count(False) == 1
    hidden = decisions[1] if not decisions[1].shown else decisions[2]
    assert "subtraction" in hidden.reason


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True), (6, True)])
def test_group_minimum_boundary(n: int, shown: bool) -> None:
    decisions = decide({1: None}, {0: 20, 1: n}, 5)
    assert decisions[1].shown is shown
    assert decisions[1].reason == ("" if shown else "fewer than 5 responses")
    assert decisions[ROOT].shown


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_a_hidden_groups_reason_never_gives_its_count(n: int) -> None:
    decision = decide({1: None}, {0: 20, 1: n}, 5)[1]
    assert not decision.shown
    assert decision.reason == "fewer than 5 responses"
    assert f"({n})" not in decision.reason
    assert "none" not in decision.reason


@pytest.mark.parametrize(("minimum", "effective"), [(0, 3), (1, 3), (2, 3), (3, 3), (4, 4)])
def test_the_minimum_is_never_below_three(minimum: int, effective: int) -> None:
    for n in (effective - 1, effective, effective + 1):
        decisions = decide({1: None}, {0: 20, 1: n}, minimum)
        assert decisions[1].shown is (n >= effective), (minimum, n)
    assert decide({}, {0: 2}, minimum)[ROOT].shown is (effective <= 2)


@pytest.mark.parametrize(("n", "shown"), [(9, False), (10, True), (11, True)])
def test_comment_minimum_boundary(n: int, shown: bool) -> None:
    assert (ROOT in comments_shown({}, {0: n}, 5)) is shown
    # the same boundary for a team beside a large enough rest
    assert (1 in comments_shown({1: None}, {0: 20, 1: n}, 5)) is shown


@pytest.mark.parametrize(
    ("minimum", "n", "shown"), [(11, 10, False), (11, 11, True), (2, 9, False)]
)
def test_comment_minimum_is_the_group_minimum_when_higher(
    minimum: int, n: int, shown: bool
) -> None:
    assert (ROOT in comments_shown({}, {0: n}, minimum)) is shown
    assert anonymity.comment_minimum(minimum) == max(10, minimum, 3)


def test_comments_only_where_scores_are_shown() -> None:
    # 12 in team 1, of which 7 in team 2: scores hide team 2's sibling rest (5 < 5? no: 5
    # is allowed), comments would allow team 1 (12) but not team 2 (7)
    shown = comments_shown({1: None, 2: 1}, {0: 30, 1: 5, 2: 7}, 5)
    assert shown == {ROOT, 1}
    # a group shown for comments at ten but hidden for scores by differencing keeps its
    # comments hidden too: scores of 3 + A 12 + B 15 hide A; A's comments stay hidden
    scores = decide({1: None, 2: None}, {0: 3, 1: 12, 2: 15}, 5)
    hidden = next(g for g in (1, 2) if not scores[g].shown)
    assert hidden not in comments_shown({1: None, 2: None}, {0: 3, 1: 12, 2: 15}, 5)


@pytest.mark.parametrize(("rest", "both_shown"), [(0, True), (4, False), (5, True), (6, True)])
def test_differencing_exactly_at_the_minimum(rest: int, both_shown: bool) -> None:
    # organisation = team A (12) + team B (15) + rest in no team
    decisions = decide({1: None, 2: None}, {0: rest, 1: 12, 2: 15}, 5)
    assert decisions[ROOT].shown
    assert (decisions[1].shown and decisions[2].shown) is both_shown
    if not both_shown:
        assert not decisions[1].shown
        assert decisions[2].shown
        assert decisions[1].reason.startswith("hidden so that it cannot be worked out")
        assert str(rest) not in decisions[1].reason


@pytest.mark.parametrize(("rest", "shown"), [(0, True), (9, False), (10, True), (11, True)])
def test_comment_differencing_exactly_at_the_comment_minimum(rest: int, shown: bool) -> None:
    # everyone = team A (10) + rest: A's comments only if the rest is none or ten or more
    assert ROOT in comments_shown({1: None}, {0: rest, 1: 10}, 5)
    assert (1 in comments_shown({1: None}, {0: rest, 1: 10}, 5)) is shown


def test_ties_hide_the_lower_id_and_the_search_repeats() -> None:
    # two teams of 12 and 3 without a team: one of the two hides, the lower id
    decisions = decide({1: None, 2: None}, {0: 3, 1: 12, 2: 12}, 5)
    assert [decisions[1].shown, decisions[2].shown] == [False, True]
    decisions = decide({1: None, 2: None}, {0: 3, 1: 12, 2: 12, 3: 0}, 5)
    assert [decisions[1].shown, decisions[2].shown] == [False, True]
    # team 1 is nothing but its team 3 (6): hiding team 1 puts team 3 on the
    # organisation's frontier, and the search goes on until nothing changes
    parents = {1: None, 2: None, 3: 1}
    decisions = decide(parents, {0: 2, 1: 0, 2: 20, 3: 6}, 5)
    assert decisions[ROOT].shown
    assert decisions[2].shown
    # organisation 28 − team 2 (20) − team 1 (6) = 2: team 1 hides; then its inner team 3
    # (6) is on the organisation's frontier, 28 − 20 − 6 = 2 again: team 3 hides too
    assert not decisions[1].shown
    assert not decisions[3].shown


def test_differencing_looks_inside_hidden_groups() -> None:
    # organisation 29 = 2 in no team + team 1 (1 + its sub-team 2 of 6) + team 3 (20):
    # 29 − 7 − 20 = 2 hides team 1; then team 2 is what the organisation is seen minus,
    # 29 − 6 − 20 = 3, so team 2 hides as well; 29 − 20 = 9 is left
    parents = {1: None, 2: 1, 3: None}
    decisions = decide(parents, {0: 2, 1: 1, 2: 6, 3: 20}, 5)
    assert [decisions[g].shown for g in (0, 1, 2, 3)] == [True, False, False, True]


def test_totals_and_teams_directly_under_the_organisation() -> None:
    assert anonymity.totals({1: None, 2: 1, 3: None}, {2: 4, 3: 1}) == {0: 5, 1: 4, 2: 4, 3: 1}


@settings(max_examples=150, deadline=None)
@given(trees(), st.integers(min_value=0, max_value=2**31), st.booleans())
def test_fast_results_equal_the_reference(
    tree: tuple[dict[int, int | None], dict[int, int], int], seed: int, skip: bool
) -> None:
    import random

    import pytest

    from ampwork.pulse.instrument import items_for
    from ampwork.pulse.results import ResponseData, compute, compute_reference

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
        assert a["n"] == b["n"]
        assert a["comments"] == b["comments"]
        assert a["participation"] == pytest.approx(b["participation"])
        assert a["enps"] == pytest.approx(b["enps"])
        for code, expected in b["subscales"].items():
            got = a["subscales"][code]
            assert got["distribution"] == expected["distribution"]
            assert got["answers"] == expected["answers"]
            assert got["mean"] == pytest.approx(expected["mean"])
            assert got["favourable"] == pytest.approx(expected["favourable"])


# ------------------------------------------------------------ attacks through the app


def _team(org: Any, name: str, size: int) -> Any:
    from ..factories import MembershipFactory, PersonFactory, TeamFactory

    team = TeamFactory(organisation=org, name=name)
    for _ in range(size):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    return team


def _run_round(actor: Any, answers: Callable[[int], dict[str, int]] | None = None) -> Any:
    """Open a round, have everyone invited answer (with a comment naming their
    reporting group and a number), close it (results wait for that) and return it."""
    from ampwork.pulse import services
    from ampwork.pulse.models import Invitation

    today = timezone.localdate()
    round = services.create_round(
        actor=actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    services.open_round(actor=actor, round=round, send=False)
    for i, invitation in enumerate(Invitation.objects.filter(round=round).order_by("pk")):
        services.answer(
            round=round,
            invitation=invitation,
            answers=answers(i) if answers else {"mast1": 4, "mast2": 2, "mast3": 3},
            enps=9,
            comment=f"comment {i} from group {invitation.group_id or 0}",
        )
    round.refresh_from_db()
    services.close_round(actor=actor, round=round)
    return round


def _subtract(everyone: list[str], part: list[str]) -> list[str]:
    left = list(everyone)
    for c in part:
        left.remove(c)
    return left


def test_comments_cannot_be_recovered_by_subtraction_through_the_api(
    client: Client,
    org: Any,
    admin: Any,
    admin_actor: Any,
    bearer: Callable[[Any], dict[str, str]],
) -> None:
    """Issue 14, item 4: everyone (15) = a team of ten + a team of four + the admin.
    Before, everyone's comments minus the ten's comments gave the other five people's
    comments, although a group of five may not show comments. Now the ten's comments
    hide: the only comment set shown is everyone's, and nothing can be subtracted."""
    big = _team(org, "Big", 10)
    small = _team(org, "Small", 4)
    round = _run_round(admin_actor)
    body = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **bearer(admin)).json()
    groups = {g["group"]: g for g in body["groups"]}
    everyone = groups[ROOT]["comments"]
    assert len(everyone) == 15
    assert not groups[big.pk]["suppressed"]  # its scores are shown (n = 10) ...
    assert groups[big.pk].get("comments") is None  # ... but not its comments
    assert groups[small.pk]["suppressed"]
    # the attack: every pair of shown comment sets, one inside the other
    with_comments = [g for g in groups.values() if g.get("comments") is not None]
    for a in with_comments:
        for b in with_comments:
            if a is b:
                continue
            try:
                left = _subtract(a["comments"], b["comments"])
            except ValueError:
                continue  # b is not inside a
            assert len(left) == 0 or len(left) >= 10
    assert [g["group"] for g in with_comments] == [ROOT]


def test_comments_on_the_page_and_in_the_selector_agree(
    org: Any, admin: Any, admin_actor: Any, web: Callable[[Any], Client]
) -> None:
    from ampwork.pulse import selectors

    big = _team(org, "Big", 10)
    _team(org, "Small", 4)
    round = _run_round(admin_actor)
    data = selectors.round_results(admin_actor, round)
    assert len(data.groups[ROOT]["comments"]) == 15
    assert data.groups[big.pk]["comments"] is None
    filtered = selectors.round_results(admin_actor, round, team=big.pk)
    assert filtered.groups[big.pk]["comments"] is None  # asking for the team alone
    page = web(admin).get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Comments (15)" in page


def test_two_teams_of_ten_and_a_rest_of_five(org: Any, admin_actor: Any) -> None:
    # everyone (25) = teams A and B of ten + a team of four + the admin: scores of A and
    # B show (25 − 10 − 10 = 5), but everyone's comments minus A's and B's would be five
    # people's, so A's comments hide (the smaller, then lower id)
    from ampwork.pulse import selectors

    a, b = _team(org, "A", 10), _team(org, "B", 10)
    _team(org, "Four", 4)
    data = selectors.round_results(admin_actor, _run_round(admin_actor))
    assert not data.groups[a.pk]["suppressed"]
    assert not data.groups[b.pk]["suppressed"]
    assert data.groups[a.pk]["comments"] is None
    assert data.groups[b.pk]["comments"] is not None
    assert len(data.groups[b.pk]["comments"]) == 10
    assert len(data.groups[ROOT]["comments"]) == 25


def test_comments_of_three_teams_of_ten_all_show(org: Any, admin: Any, admin_actor: Any) -> None:
    # everyone (30) = three teams of ten (the admin in the third): any difference is 0, 10
    # or 20 people, so every comment set shows
    from ampwork.pulse import selectors

    from ..factories import MembershipFactory

    teams = [_team(org, "A", 10), _team(org, "B", 10), _team(org, "C", 9)]
    MembershipFactory(team=teams[2], person=admin)
    data = selectors.round_results(admin_actor, _run_round(admin_actor))
    assert [len(data.groups[t.pk]["comments"]) for t in teams] == [10, 10, 10]
    assert len(data.groups[ROOT]["comments"]) == 30


def test_a_hidden_groups_reason_gives_no_count_in_api_page_and_export(
    client: Client,
    org: Any,
    admin: Any,
    admin_actor: Any,
    bearer: Callable[[Any], dict[str, str]],
) -> None:
    """Issue 14, item 4: a one-person team's reason said "fewer than 5 responses (1)"."""
    _team(org, "Big", 8)
    lone = _team(org, "Lone", 1)
    round = _run_round(admin_actor)
    body = client.get(f"/api/v1/pulse/rounds/{round.pk}/results", **bearer(admin)).json()
    reason = next(g for g in body["groups"] if g["group"] == lone.pk)["reason"]
    assert reason == "fewer than 5 responses"
    client.force_login(admin.user)
    page = client.get(f"/pulse/rounds/{round.pk}/").content.decode()
    export = client.get(f"/pulse/rounds/{round.pk}/export.csv").content.decode()
    for text in (page, export):
        assert "fewer than 5 responses" in text
        assert "responses (1)" not in text


def test_no_reliability_for_a_round_under_the_minimum(
    org: Any, admin: Any, admin_actor: Any, web: Callable[[Any], Client]
) -> None:
    """Issue 14, item 4: a round of four (minimum five) showed admins α and item-total
    correlations computed from those four people's answers."""
    from ampwork.pulse import selectors

    _team(org, "Core", 3)  # 3 + the admin = 4 responses
    round = _run_round(admin_actor, lambda i: {"mast1": 1 + i, "mast2": 2 + i, "mast3": 1 + i})
    data = selectors.round_results(admin_actor, round)
    assert data.groups[ROOT]["suppressed"]
    assert not data.reliability
    page = web(admin).get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Reliability on your data" not in page
    assert "Item-total" not in page


def test_reliability_at_the_minimum_only_for_subscales_answered_in_full(
    org: Any, admin: Any, admin_actor: Any, web: Callable[[Any], Client]
) -> None:
    from ampwork.pulse import selectors

    _team(org, "Core", 4)  # 4 + the admin = 5 responses, the minimum

    def answers(i: int) -> dict[str, int]:
        out = {"mast1": 1 + i % 5, "mast2": 1 + (i + 1) % 5, "mast3": 1 + i % 5}
        if i < 4:  # only four people answer both purpose items: under the minimum
            out.update(purp1=1 + i, purp2=2 + i % 4)
        return out

    round = _run_round(admin_actor, answers)
    data = selectors.round_results(admin_actor, round)
    assert data.reliability is not None
    assert set(data.reliability) == {"mastery"}
    assert data.reliability["mastery"].n == 5
    assert data.reliability["mastery"].ci is not None
    page = web(admin).get(f"/pulse/rounds/{round.pk}/").content.decode()
    assert "Reliability on your data" in page
    assert "95% CI" in page


def test_a_decision_cannot_be_changed_afterwards() -> None:
    import dataclasses

    decision = decide({}, {0: 3}, 5)[ROOT]
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.shown = True  # type: ignore[misc]


def test_outermost_groups_are_checked_first() -> None:
    # organisation 10 ⊃ team 1 (7) ⊃ team 2 (5). Outermost first: 10 − 7 = 3 hides team 1,
    # then 10 − 5 = 5 is allowed, so team 2 stays shown. Checking team 1 first would hide
    # team 2 (7 − 5 = 2) and then team 1 as well, showing less for no more safety.
    decisions = decide({1: None, 2: 1}, {0: 3, 1: 2, 2: 5}, 5)
    assert [decisions[g].shown for g in (0, 1, 2)] == [True, False, True]


# ---------------------------------------------------------------- where answers are stored


@pytest.mark.parametrize(
    ("reach", "stored_at"),
    [(4, "root"), (5, "parent"), (6, "parent")],  # the parent's audience against minimum 5
)
def test_a_small_groups_answers_are_stored_at_the_nearest_group_that_can_be_shown(
    reach: int, stored_at: str
) -> None:
    # organisation 0 > department 1 > team 2 > pair 3; the pair and the team are too small
    parents = {1: 0, 2: 1, 3: 2}
    audience = {1: reach - 2, 2: 1, 3: 1}  # the department reaches `reach` with both inside
    where = anonymity.coarsened(parents, audience, minimum=5)
    expected = 1 if stored_at == "parent" else anonymity.ROOT
    assert where[3] == expected  # not the pair, not the team: the nearest that can be shown
    assert where[2] == expected
    assert where[1] == expected
    assert where[anonymity.ROOT] == anonymity.ROOT


def test_a_group_exactly_at_the_minimum_keeps_its_answers() -> None:
    parents = {1: 0, 2: 0}
    where = anonymity.coarsened(parents, {1: 5, 2: 4}, minimum=5)
    assert where == {anonymity.ROOT: anonymity.ROOT, 1: 1, 2: anonymity.ROOT}
    # a minimum under the floor of 3 counts as 3
    assert anonymity.coarsened({1: 0}, {1: 3}, minimum=1) == {anonymity.ROOT: 0, 1: 1}
    assert anonymity.coarsened({1: 0}, {1: 2}, minimum=1) == {anonymity.ROOT: 0, 1: 0}


def test_within_is_the_groups_named_and_all_inside_them() -> None:
    # 1 > 2 > 3, 1 > 4, and 5 beside 1; the organisation's children have parent None
    parents = {1: None, 2: 1, 3: 2, 4: 1, 5: None}
    assert anonymity.within(parents, [2]) == {2, 3}
    assert anonymity.within(parents, [1]) == {1, 2, 3, 4}
    assert anonymity.within(parents, [3, 5]) == {3, 5}
    assert anonymity.within(parents, []) == set()
