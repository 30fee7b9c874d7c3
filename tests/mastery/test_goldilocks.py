"""Goldilocks calibration: each rule on a worked example, its near-miss twin, and too
little data (which says so and gives no label)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ampwork.mastery.goldilocks import KRFacts, calibrate

Q3 = dt.date(2026, 7, 1)
Q4 = dt.date(2026, 10, 1)


def kr(pk: int, **fields: Any) -> KRFacts:
    base: dict[str, Any] = {
        "id": pk,
        "title": f"KR {pk}",
        "kind": "aspirational",
        "cycle_id": 3,
        "cycle_name": "Q3",
        "cycle_start": Q3,
        "closed": True,
        "score": 0.7,
        "progress": 0.7,
        "confidences": (),
    }
    base.update(fields)
    return KRFacts(**base)


def q4(pk: int, **fields: Any) -> KRFacts:
    return kr(pk, cycle_id=4, cycle_name="Q4", cycle_start=Q4, closed=False, score=None, **fields)


def kinds(krs: list[KRFacts]) -> list[str]:
    return [f.kind for f in calibrate(krs).flags]


def test_aspirational_at_09_two_cycles_running_is_too_easy() -> None:
    found = calibrate([kr(1, score=1.0), kr(2, score=0.9), q4(3, progress=0.95)])
    assert [f.kind for f in found.flags] == ["too_easy"]
    flag = found.flags[0]
    assert "averaged 0.95 in Q3 (scored)" in flag.evidence[0]
    assert "averaged 0.95 in Q4 (to date)" in flag.evidence[1]
    assert flag.key_results == [1, 2, 3]
    assert "stretch" in flag.conversation


def test_near_miss_one_cycle_just_below_09_is_not() -> None:
    assert kinds([kr(1, score=1.0), kr(2, score=0.78), q4(3, progress=0.95)]) == []
    # committed work at 1.0 is expected, not sandbagging
    assert kinds([kr(1, kind="committed", score=1.0), q4(2, kind="committed", progress=1.0)]) == []


def test_first_week_confidence_of_nine_on_a_stretch_goal_is_too_easy() -> None:
    found = calibrate([q4(1, confidences=((Q4 + dt.timedelta(days=6), 9),))])
    assert kinds([q4(1, confidences=((Q4 + dt.timedelta(days=6), 9),))]) == ["too_easy"]
    assert "confidence 9/10" in found.flags[0].evidence[0]


def test_near_miss_eight_in_week_one_or_nine_in_week_three() -> None:
    assert kinds([q4(1, confidences=((Q4 + dt.timedelta(days=6), 8),))]) == []
    assert kinds([q4(1, confidences=((Q4 + dt.timedelta(days=20), 10),))]) == []


def test_last_cycle_averaging_03_is_too_hard() -> None:
    found = calibrate([kr(1, score=0.2), kr(2, score=0.4)])
    assert [f.kind for f in found.flags] == ["too_hard"]
    assert "averaged 0.30 at close" in found.flags[0].evidence[0]


def test_near_miss_averaging_just_above_03() -> None:
    assert kinds([kr(1, score=0.3), kr(2, score=0.4)]) == []


def test_three_weeks_of_confidence_two_or_less_is_too_hard() -> None:
    low = tuple((Q4 + dt.timedelta(days=d), c) for d, c in ((6, 4), (13, 2), (20, 1), (27, 2)))
    found = calibrate([q4(1, confidences=low)])
    assert [f.kind for f in found.flags] == ["too_hard"]
    assert "2 on" in found.flags[0].evidence[0]


def test_near_miss_one_of_the_last_three_above_two() -> None:
    almost = tuple((Q4 + dt.timedelta(days=d), c) for d, c in ((13, 2), (20, 3), (27, 2)))
    assert kinds([q4(1, confidences=almost)]) == []


def test_a_committed_key_result_closing_below_one_asks_for_a_review() -> None:
    found = calibrate([kr(1, kind="committed", score=0.8), kr(2, kind="committed", score=1.0)])
    assert [f.kind for f in found.flags] == ["review"]
    assert found.flags[0].key_results == [1]
    assert "closed at 0.80" in found.flags[0].evidence[0]


def test_near_miss_committed_at_one_or_aspirational_below_one() -> None:
    assert kinds([kr(1, kind="committed", score=1.0)]) == []
    assert kinds([kr(1, kind="aspirational", score=0.6)]) == []


def test_flags_of_one_kind_are_merged_with_all_their_evidence() -> None:
    week1 = ((Q4 + dt.timedelta(days=3), 10),)
    found = calibrate([q4(1, confidences=week1), q4(2, confidences=week1)])
    assert len(found.flags) == 1
    assert len(found.flags[0].evidence) == 2


def test_too_little_data_says_so_and_gives_no_label() -> None:
    found = calibrate([q4(1, confidences=((Q4 + dt.timedelta(days=20), 5),))])
    assert not found.enough
    assert found.flags == []
    assert found.message.startswith("Too little data")
    nothing = calibrate([])
    assert not nothing.enough
    assert nothing.flags == []
    assert "No key results" in nothing.message


def test_enough_data_and_no_rule_firing_says_it_looks_right() -> None:
    found = calibrate([kr(1, score=0.7), kr(2, kind="committed", score=1.0)])
    assert found.enough
    assert found.flags == []
    assert "about right" in found.message
