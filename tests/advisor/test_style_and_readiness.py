"""Reward-style classification, readiness under both ordering policies, and the pure
checklist (data decides the automatic items; the latest hand tick the rest)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ampwork.advisor import checklist, readiness, style
from ampwork.advisor.readiness import Signals


def test_routine_work_is_algorithmic_and_creative_work_heuristic() -> None:
    calls = style.classify(
        style.Answers(known_procedure=True, countable=True, quality_judged=False, novel=False)
    )
    assert calls.work_style == "algorithmic"
    assert calls.reasons == []
    assert "if-then reward can work" in calls.recommendation
    design = style.classify(
        style.Answers(known_procedure=False, countable=False, quality_judged=True, novel=True)
    )
    assert design.work_style == "heuristic"
    assert design.points == 4
    assert "no if-then bonus" in design.recommendation


def test_a_tie_counts_as_heuristic() -> None:
    tie = style.classify(
        style.Answers(known_procedure=True, countable=True, quality_judged=True, novel=True)
    )
    assert tie.points == 2
    assert tie.work_style == "heuristic"
    one = style.classify(
        style.Answers(known_procedure=True, countable=True, quality_judged=True, novel=False)
    )
    assert one.work_style == "algorithmic"


@given(st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_more_creative_answers_never_make_work_less_heuristic(
    a: bool, b: bool, c: bool, d: bool
) -> None:
    base = style.classify(style.Answers(a, b, c, d))
    more = style.classify(style.Answers(False, b, c, d))  # no known procedure
    if base.work_style == "heuristic":
        assert more.work_style == "heuristic"


ESTABLISHED = {
    "published_purpose": True,
    "statement_share": 0.6,
    "review_share": 0.7,
    "stale_share": 0.1,
    "mean_level": 1.8,
    "self_set": 0.5,
}


def test_fairness_comes_first_in_a_company_with_a_red_gate() -> None:
    for policy in ("together", "purpose-first"):
        found = readiness.assess(Signals(policy=policy, gate_red=True))
        assert found.focus == "fairness"
        assert found.next_link == "/fairness/"
    assert readiness.assess(Signals(gate_red=True, is_school=True)).focus == "purpose"


def test_together_works_on_the_weakest() -> None:
    found = readiness.assess(Signals(**{**ESTABLISHED, "mean_level": 0.0, "self_set": 0.0}))
    assert [s.label for s in found.stages] == ["established", "established", "not started"]
    assert found.focus == "autonomy"
    assert readiness.assess(Signals(**ESTABLISHED)).focus == "none"


def test_purpose_first_waits_for_purpose_and_mastery_before_autonomy() -> None:
    signals = {**ESTABLISHED, "review_share": 0.1, "mean_level": 0.0, "self_set": 0.0}
    together = readiness.assess(Signals(policy="together", **signals))
    first = readiness.assess(Signals(policy="purpose-first", **signals))
    assert together.focus == "autonomy"  # not started beats under way
    assert first.focus == "mastery"
    assert "autonomy steps wait" in first.next_step


def test_stage_levels() -> None:
    assert readiness.purpose(Signals()).label == "not started"
    assert readiness.purpose(Signals(statement_share=0.1)).label == "under way"
    assert readiness.mastery(Signals(checked_in_lately=True)).label == "under way"
    assert readiness.mastery(Signals(review_share=0.6, stale_share=0.3)).label == "under way"
    assert readiness.autonomy(Signals(mean_level=1.5, self_set=0.4)).label == "established"


def test_checklist_data_items_follow_the_data_and_hand_items_the_latest_tick() -> None:
    auto = {"pay-audit": checklist.Auto(True, "gate green")}
    tick = checklist.HandTick(True, "Priya", dt.datetime(2026, 11, 1), "since spring")
    steps = checklist.evaluate(school=False, auto=auto, ticks={"pay-visible": tick})
    fairness = steps[0].items
    assert fairness[0].done
    assert fairness[0].by_data
    assert fairness[0].reason == "gate green"
    assert fairness[2].done
    assert fairness[2].tick is tick
    undone = checklist.evaluate(
        school=False, auto={"pay-audit": checklist.Auto(False, "red")}, ticks={}
    )
    assert not undone[0].items[0].done
    school = checklist.evaluate(school=True, auto={}, ticks={})
    assert [s.step.key for s in school] == ["autonomy", "mastery", "purpose"]
    team = checklist.evaluate(school=False, auto={}, ticks={}, team=True)
    assert all(i.item.team for s in team for i in s.items)
    assert checklist.progress(steps)[1] == 16
