"""Every Goldilocks rule (and the flow map's four-week rule) at its boundary: exactly on
it, just below and just above, so that flipping a comparison or shifting a threshold
fails a test. Averages are compared exactly (docs/methods.md#goldilocks)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from ampwork.mastery import flow
from ampwork.mastery.goldilocks import KRFacts, calibrate
from ampwork.okrs import progress

from .test_goldilocks import Q3, Q4, kr, q4

Q2 = dt.date(2026, 4, 1)


def q2(pk: int, **fields: Any) -> KRFacts:
    return kr(pk, cycle_id=2, cycle_name="Q2", cycle_start=Q2, **fields)


def kinds(krs: list[KRFacts]) -> list[str]:
    return [f.kind for f in calibrate(krs).flags]


def open_kr(pk: int, start: float, target: float, current: float, **fields: Any) -> KRFacts:
    """An open-cycle key result whose progress is computed as the selectors do."""
    explained = progress.numeric_progress(start, target, current)
    return q4(pk, progress=explained.value, progress_exact=explained.exact, **fields)


# ---------------------------------------------------------------- too easy: ≥ 0.9 twice


@pytest.mark.parametrize(
    ("first", "second", "easy"),
    [
        ((0.9,), 0.9, True),  # exactly on 0.9 in both cycles
        ((1.0, 0.8), 0.9, True),  # an average of exactly 0.9
        ((0.9,), 0.8999999999, False),  # just below in the open cycle
        ((0.9, 0.8999999998), 0.95, False),  # an average just below 0.9 in the closed one
        ((0.9,), 0.9000000001, True),
        ((0.8,), 1.0, False),
        ((1.0,), 0.8, False),
    ],
)
def test_too_easy_at_09(first: tuple[float, ...], second: float, easy: bool) -> None:
    krs = [kr(i, score=s) for i, s in enumerate(first, 1)] + [q4(9, progress=second)]
    assert kinds(krs) == (["too_easy"] if easy else [])
    assert "too_easy:two_cycles" in calibrate(krs).judged


def test_an_average_just_below_09_no_longer_rounds_up() -> None:
    # an average within 1e-9 of 0.9 used to be rounded to nine decimals, reading 0.9
    assert kinds([kr(1, score=0.9), q4(2, progress=0.8999999999)]) == []
    assert kinds([kr(1, score=0.9), q4(2, progress=0.89999999995)]) == []


def test_progress_exactly_09_computed_from_the_key_result_is_too_easy() -> None:
    # 1 → 2, now 1.9: floats say 0.8999999999999999; exactly it is 0.9
    krs = [kr(1, score=0.9), open_kr(2, 1, 2, 1.9)]
    assert krs[1].progress is not None
    assert krs[1].progress < 0.9
    assert krs[1].exact() == Fraction(9, 10)
    assert kinds(krs) == ["too_easy"]
    assert kinds([kr(1, score=0.9), open_kr(2, 1, 2, 1.89)]) == []


def test_one_cycle_is_not_enough_and_the_cycles_must_be_consecutive() -> None:
    found = calibrate([kr(1, score=1.0)])
    assert "too_easy:two_cycles" not in found.judged
    assert kinds([kr(1, score=1.0)]) == []
    # Q2 at 1.0, Q3 at 0.5, Q4 at 1.0: never two in a row
    assert kinds([q2(1, score=1.0), kr(2, score=0.5), q4(3, progress=1.0)]) == []
    assert kinds([q2(1, score=1.0), kr(2, score=0.9), q4(3, progress=0.5)]) == ["too_easy"]


def test_committed_and_unscored_key_results_do_not_count_towards_too_easy() -> None:
    krs = [kr(1, score=1.0, kind="committed"), q4(2, progress=1.0)]
    assert kinds(krs) == []
    krs = [kr(1, score=1.0), kr(2, score=None, progress=0.1), q4(3, progress=1.0)]
    assert kinds(krs) == ["too_easy"]


# ---------------------------------------------------------------- too easy: week-1 ≥ 9


@pytest.mark.parametrize(
    ("offset", "confidence", "easy"),
    [
        (0, 9, True),
        (7, 9, True),  # day 7 after the start still counts as the first week
        (8, 9, False),  # day 8 does not
        (3, 8, False),  # just below 9
        (3, 10, True),
    ],
)
def test_first_week_confidence(offset: int, confidence: int, easy: bool) -> None:
    krs = [q4(1, confidences=((Q4 + dt.timedelta(days=offset), confidence),))]
    assert kinds(krs) == (["too_easy"] if easy else [])
    assert ("too_easy:first_week" in calibrate(krs).judged) == (offset <= 7)


def test_only_the_first_check_in_of_an_aspirational_key_result_counts() -> None:
    later = ((Q4 + dt.timedelta(days=2), 5), (Q4 + dt.timedelta(days=5), 10))
    assert kinds([q4(1, confidences=later)]) == []
    committed = ((Q4 + dt.timedelta(days=2), 10),)
    assert kinds([q4(1, kind="committed", confidences=committed)]) == []


# ---------------------------------------------------------------- too hard: ≤ 0.3 at close


@pytest.mark.parametrize(
    ("scores", "hard"),
    [
        ((0.3,), True),  # exactly 0.3
        ((0.2, 0.4), True),  # exactly 0.3 on average (floats: 0.30000000000000004)
        ((0.1, 0.2, 0.6), True),  # exactly 0.3 (floats: 0.30000000000000004)
        ((0.3, 0.3, 0.4), False),  # 0.333…
        ((0.3, 0.3000000001), False),  # just above
        ((0.2999999999,), True),  # just below
        ((0.4,), False),
        ((0.0, 0.6), True),  # a score of 0 counts as 0
        ((0.0, 0.7), False),
    ],
)
def test_too_hard_at_03(scores: tuple[float, ...], hard: bool) -> None:
    krs = [
        kr(i, score=s, kind="committed" if i == 1 else "aspirational")
        for i, s in enumerate(scores, 1)
    ]
    found = [f for f in calibrate(krs).flags if f.kind == "too_hard"]
    assert bool(found) is hard
    if hard:
        assert f"across {len(scores)} of them" in found[0].evidence[0]


def test_only_the_last_closed_cycle_is_judged_too_hard() -> None:
    assert kinds([q2(1, score=0.1), kr(2, score=0.7)]) == []
    assert kinds([q2(1, score=0.7), kr(2, score=0.1)]) == ["too_hard"]


# ---------------------------------------------------------------- too hard: confidence ≤ 2


def confidences(*pairs: tuple[int, int]) -> tuple[tuple[dt.date, int], ...]:
    return tuple((Q4 + dt.timedelta(days=d), c) for d, c in pairs)


@pytest.mark.parametrize(
    ("pairs", "hard"),
    [
        (((0, 2), (7, 2), (14, 2)), True),  # three at exactly 2, spanning exactly 14 days
        (((0, 2), (7, 2), (13, 2)), False),  # spanning 13 days
        (((0, 2), (7, 2), (15, 2)), True),
        (((0, 2), (7, 3), (14, 2)), False),  # one of them 3
        (((0, 3), (7, 2), (14, 2)), False),
        (((0, 2), (7, 2), (14, 3)), False),
        (((0, 1), (7, 0), (14, 1)), True),
        (((0, 5), (7, 2), (14, 2), (21, 2)), True),  # the last three count
        (((0, 2), (7, 2), (14, 2), (21, 5)), False),
        (((7, 2), (14, 2)), False),  # two check-ins are not three
    ],
)
def test_low_confidence_three_check_ins_two_weeks(
    pairs: tuple[tuple[int, int], ...], hard: bool
) -> None:
    krs = [q4(1, confidences=confidences(*pairs))]
    assert kinds(krs) == (["too_hard"] if hard else [])
    assert ("too_hard:confidence" in calibrate(krs).judged) == (len(pairs) >= 3)


def test_low_confidence_in_a_closed_cycle_is_not_judged() -> None:
    krs = [kr(1, score=0.7, confidences=confidences((0, 1), (7, 1), (14, 1)))]
    assert "too_hard:confidence" not in calibrate(krs).judged
    assert kinds(krs) == []


# ---------------------------------------------------------------- review: committed < 1.0


@pytest.mark.parametrize(
    ("score", "review"),
    [(1.0, False), (0.9, True), (0.9999999999, True), (0.0, True)],
)
def test_committed_below_one_asks_for_a_review(score: float, review: bool) -> None:
    found = calibrate([kr(1, kind="committed", score=score), kr(2, kind="committed", score=1.0)])
    assert [f.kind for f in found.flags if f.kind == "review"] == (["review"] if review else [])
    assert "review" in found.judged


def test_review_reads_only_the_last_closed_cycle() -> None:
    assert kinds([q2(1, kind="committed", score=0.5), kr(2, kind="committed", score=1.0)]) == []
    assert kinds([kr(1, kind="committed", score=None), kr(2, score=0.7)]) == []
    assert "review" not in calibrate([kr(2, score=0.7)]).judged
    assert kinds([q4(1, kind="committed", progress=0.5)]) == []


# ---------------------------------------------------------------- flow: four weeks


def weeks(n: int) -> list[tuple[dt.date, int | None, int | None]]:
    ratings = [(5, 5), (3, 3), (6, 2), (2, 6), (4, 4), (7, 7)]
    return [(Q4 + dt.timedelta(weeks=i), *ratings[i % len(ratings)]) for i in range(n)]


@pytest.mark.parametrize(("n", "enough"), [(3, False), (4, True), (5, True)])
def test_flow_needs_four_rated_weeks(n: int, enough: bool) -> None:
    found = flow.flow_map(weeks(n))
    assert found.enough is enough
    assert found.weeks_rated == n
    assert bool(found.points) is enough
    if not enough:
        assert f"{n} of 4 weeks rated" in found.message


def test_flow_counts_rated_weeks_only() -> None:
    rows = [
        *weeks(3),
        (Q4 + dt.timedelta(weeks=9), None, 4),
        (Q4 + dt.timedelta(weeks=10), 4, None),
    ]
    assert not flow.flow_map(rows).enough
    rows.append((Q4 + dt.timedelta(weeks=11), 4, 4))
    assert flow.flow_map(rows).enough


@pytest.mark.parametrize(
    ("z_challenge", "z_skill", "quadrant"),
    [
        (0.0, 1.0, "neutral"),
        (1.0, 0.0, "neutral"),
        (0.1, 0.1, "flow"),
        (0.1, -0.1, "anxiety"),
        (-0.1, 0.1, "boredom"),
        (-0.1, -0.1, "apathy"),
    ],
)
def test_flow_quadrants_and_their_axes(z_challenge: float, z_skill: float, quadrant: str) -> None:
    assert flow.quadrant(z_challenge, z_skill) == quadrant


# ---------------------------------------------------------------- evidence, order, messages


def test_the_evidence_of_each_rule_in_full() -> None:
    week1 = ((Q4 + dt.timedelta(days=2), 9),)
    found = calibrate([kr(1, score=1.0), q4(2, progress=0.95, confidences=week1)])
    assert [f.kind for f in found.flags] == ["too_easy"]
    assert found.flags[0].evidence == [
        "Aspirational key results averaged 1.00 in Q3 (scored)",
        "Aspirational key results averaged 0.95 in Q4 (to date)",
        "Aspirational work is expected to average about 0.7; ≥ 0.9 twice in a row suggests "
        "goals set where they are safe.",
        "“KR 2” (Q4, aspirational) started with confidence 9/10 on 03 Oct: already sure of a "
        "stretch goal in its first week.",
    ]
    low = confidences((0, 1), (7, 1), (14, 1))
    found = calibrate([kr(1, score=0.2, kind="committed"), q4(2, confidences=low)])
    assert [f.kind for f in found.flags] == ["too_hard", "review"]
    assert found.flags[0].evidence == [
        "Key results in Q3 averaged 0.20 at close (≤ 0.3: the red band) across 1 of them.",
        "“KR 2” (Q4): confidence 1 on 01 Oct, 1 on 08 Oct, 1 on 15 Oct — at most 2/10 three "
        "check-ins running.",
    ]
    assert found.flags[1].evidence == [
        "“KR 1” (Q3, committed) closed at 0.20; committed key results are expected to reach 1.0."
    ]
    assert found.judged == [
        "too_easy:first_week",
        "too_hard:last_close",
        "too_hard:confidence",
        "review",
    ]


def test_every_message() -> None:
    assert calibrate([]).message == "No key results yet: nothing to calibrate."
    assert calibrate([q4(1)]).message == (
        "Too little data to judge yet: no closed cycle, no aspirational key result checked "
        "in during its first week, and no key result with three check-ins."
    )
    assert calibrate([kr(1)]).message == "Challenge looks about right: none of the rules fires."
    assert calibrate([kr(1, score=0.1)]).message == ""


def test_every_key_result_of_a_cycle_is_read_not_only_the_first() -> None:
    week1 = ((Q4 + dt.timedelta(days=2), 9),)
    late = ((Q4 + dt.timedelta(days=20), 9),)
    assert kinds([q4(1, kind="committed", confidences=week1), q4(2, confidences=week1)]) == [
        "too_easy"
    ]
    assert kinds([q4(1, confidences=late), q4(2, confidences=week1)]) == ["too_easy"]
    low = confidences((0, 1), (7, 1), (14, 1))
    assert kinds([q4(1, confidences=confidences((0, 1))), q4(2, confidences=low)]) == ["too_hard"]
    # a closed cycle before the open one does not stop the open one being read
    assert kinds([kr(1, score=0.7), q4(2, confidences=low)]) == ["too_hard"]


def test_cycles_are_ordered_by_start_then_id() -> None:
    # the cycle with the larger id started first: the last closed cycle is by date
    early = {"cycle_id": 9, "cycle_name": "Q2", "cycle_start": Q2}
    assert kinds([kr(1, score=0.1, **early), kr(2, score=0.7)]) == []
    assert kinds([kr(1, score=0.7, **early), kr(2, score=0.1)]) == ["too_hard"]
    # two cycles starting the same day: the later id is the later cycle, whatever its name
    a = {"cycle_id": 1, "cycle_name": "Z", "cycle_start": Q3}
    b = {"cycle_id": 2, "cycle_name": "A", "cycle_start": Q3}
    assert kinds([kr(1, score=0.7, **a), kr(2, score=0.1, **b)]) == ["too_hard"]
    assert kinds([kr(1, score=0.1, **a), kr(2, score=0.7, **b)]) == []
