"""The autonomy rules under both ordering policies, including signals that cannot be read."""

from __future__ import annotations

from ampwork.autonomy import rules
from ampwork.autonomy.rules import Signals

GOOD = Signals(has_purpose=True, weeks_with_check_ins=4, mean_score=0.7)


def test_technique_first_then_time_task_team() -> None:
    order = []
    levels = dict.fromkeys(rules.TS, 0)
    for _ in range(5):
        step = rules.next_step(levels, "together", GOOD)
        order.append((step.t, step.level))
        levels[step.t] = step.level  # type: ignore[index]
    assert order == [("technique", 1), ("time", 1), ("task", 1), ("team", 1), ("technique", 2)]


def test_together_suggests_even_without_signals() -> None:
    step = rules.next_step({}, "together", Signals())
    assert step.suggested
    assert step.t == "technique"
    assert step.missing == [
        "a purpose statement",
        "check-ins",
        "key-result scores from a closed cycle",
    ]


def test_purpose_first_needs_purpose_and_mastery() -> None:
    assert rules.next_step({}, "purpose-first", GOOD).suggested
    no_purpose = rules.next_step({}, "purpose-first", Signals(False, 4, 0.7))
    assert not no_purpose.suggested
    assert "no purpose statement" in no_purpose.reasons[-1]
    irregular = rules.next_step({}, "purpose-first", Signals(True, 1, 0.7))
    assert not irregular.suggested
    assert "needs 3" in irregular.reasons[-1]
    sandbag = rules.next_step({}, "purpose-first", Signals(True, 4, 1.0))
    assert not sandbag.suggested
    assert "healthy" in sandbag.reasons[-1]


def test_purpose_first_names_what_it_cannot_read() -> None:
    step = rules.next_step({}, "purpose-first", Signals(True, None, None))
    assert not step.suggested
    assert step.missing == ["check-ins", "key-result scores from a closed cycle"]
    assert "cannot be read" in step.reasons[-1]


def test_nothing_beyond_self_directed() -> None:
    step = rules.next_step(dict.fromkeys(rules.TS, 3), "together", GOOD)
    assert step.t is None
    assert not step.suggested


def test_index_and_control_signal() -> None:
    assert rules.autonomy_index([(1, 1), (1, 2), (2, 2), (3, 9)]) == 0.5
    assert rules.autonomy_index([]) is None
    low = [dict.fromkeys(rules.TS, 0)] * 4
    assert rules.defaulting_to_control(low, 0.1, 10)
    assert not rules.defaulting_to_control(low, 0.5, 10)  # people write their own OKRs
    assert not rules.defaulting_to_control([dict.fromkeys(rules.TS, 2)] * 4, 0.1, 10)
    assert not rules.defaulting_to_control(low, 0.1, 3)  # too few objectives to say


def test_classroom_words() -> None:
    assert rules.describe(0, school=True) == "Pick from the options given"
    assert rules.describe(3, school=False) == "Self-directed"
