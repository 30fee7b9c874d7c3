"""The mistake detector: every rule fires on a worked example and stays silent on its
near-miss twin."""

from __future__ import annotations

from dataclasses import replace

from ampwork.advisor import traps
from ampwork.advisor.traps import Facts, IncentiveFact, TeamFact

BONUS = IncentiveFact(
    id=1,
    what="Launch bonus",
    style="if_then",
    objective_id=10,
    objective_title="New customers find value in week one",
    work_style="heuristic",
    teams=(3,),
)


def rules(facts: Facts) -> list[str]:
    return [f.rule for f in traps.detect(facts).findings]


def test_if_then_on_heuristic_work_fires_with_its_evidence() -> None:
    found = traps.if_then_creative(Facts(incentives=(BONUS,)))
    assert len(found) == 1
    f = found[0]
    assert f.key == "if-then-creative.incentive-1"
    assert f.classic
    assert f.teams == (3,)
    assert "promised in advance, if-then" in f.evidence[0]
    assert "heuristic" in f.evidence[1]
    assert "Deci, Koestner & Ryan" in f.source
    assert f.next_step


def test_if_then_near_misses_algorithmic_work_or_after_the_fact() -> None:
    assert (
        traps.if_then_creative(Facts(incentives=(replace(BONUS, work_style="algorithmic"),))) == []
    )
    assert traps.if_then_creative(Facts(incentives=(replace(BONUS, style="now_that"),))) == []


def test_if_then_on_a_role_assessed_heuristic_fires_and_unassessed_does_not() -> None:
    role = IncentiveFact(
        id=2, what="Design prize", style="if_then", job_role="Designer", role_style="heuristic"
    )
    assert [f.rule for f in traps.if_then_creative(Facts(incentives=(role,)))] == [
        "if-then-creative"
    ]
    assert (
        traps.if_then_creative(Facts(incentives=(replace(role, role_style="algorithmic"),))) == []
    )
    assert traps.if_then_creative(Facts(incentives=(replace(role, role_style=None),))) == []


def test_defaulting_to_control_fires_for_the_controlling_team_only() -> None:
    facts = Facts(
        teams=(
            TeamFact(6, "Mobile", ("average autonomy level 0.0 of 3", "only 10% self-set")),
            TeamFact(5, "Platform", ()),
        )
    )
    found = traps.defaulting_to_control(facts)
    assert [(f.key, f.teams) for f in found] == [("defaulting-to-control.team-6", (6,))]
    assert found[0].evidence == [
        "Mobile: average autonomy level 0.0 of 3",
        "Mobile: only 10% self-set",
    ]
    assert found[0].link == "/autonomy/teams/6/"


def test_ignoring_fairness_fires_when_autonomy_runs_on_a_red_gate() -> None:
    facts = Facts(
        gate_status="red", gate_reasons=("adjusted gap −7%",), autonomy_under_way="3 steps granted"
    )
    found = traps.ignoring_fairness(facts)
    assert len(found) == 1
    assert "adjusted gap −7%" in found[0].evidence[0]
    assert "meanwhile: 3 steps granted" in found[0].evidence
    never = Facts(gate_status=None, purpose_under_way="purpose published")
    assert "no pay audit has been run" in traps.ignoring_fairness(never)[0].evidence[0]


def test_ignoring_fairness_near_misses() -> None:
    busy = {"autonomy_under_way": "3 steps granted"}
    assert traps.ignoring_fairness(Facts(gate_status="amber", **busy)) == []
    assert traps.ignoring_fairness(Facts(gate_status="red")) == []  # nothing under way yet
    assert traps.ignoring_fairness(Facts(gate_status="red", is_school=True, **busy)) == []


def test_okrs_tied_to_bonuses_fires_for_any_if_then_on_an_okr() -> None:
    routine = replace(BONUS, work_style="algorithmic")
    assert [f.rule for f in traps.okrs_tied_to_bonuses(Facts(incentives=(routine,)))] == [
        "okrs-tied-to-bonuses"
    ]
    role_only = replace(BONUS, objective_id=None, objective_title="", job_role="Sales")
    assert traps.okrs_tied_to_bonuses(Facts(incentives=(role_only,))) == []
    assert traps.okrs_tied_to_bonuses(Facts(incentives=(replace(BONUS, style="now_that"),))) == []


def test_check_in_fatigue_from_stale_key_results() -> None:
    found = traps.check_in_fatigue(Facts(key_results=20, stale=6))
    assert found
    assert "6 of 20 key results" in found[0].evidence[0]
    assert traps.check_in_fatigue(Facts(key_results=20, stale=5)) == []  # 25%
    assert traps.check_in_fatigue(Facts(key_results=9, stale=9)) == []  # too few to judge


def test_check_in_fatigue_from_falling_review_completion() -> None:
    found = traps.check_in_fatigue(Facts(reviews_before=0.8, reviews_recent=0.6))
    assert found
    assert "fell from 80% to 60%" in found[0].evidence[0]
    assert traps.check_in_fatigue(Facts(reviews_before=0.8, reviews_recent=0.66)) == []
    assert traps.check_in_fatigue(Facts(reviews_before=0.25, reviews_recent=0.0)) == []


def test_inauthentic_purpose_and_its_twin() -> None:
    found = traps.inauthentic_purpose(Facts(purpose_warnings=("it names nobody the work helps",)))
    assert found
    assert found[0].evidence == ["the published purpose: it names nobody the work helps"]
    assert traps.inauthentic_purpose(Facts()) == []


def test_anonymity_lowered_and_its_twin() -> None:
    found = traps.anonymity_lowered(Facts(anonymity_min=3))
    assert found
    assert "groups of 3 or more" in found[0].evidence[0]
    assert traps.anonymity_lowered(Facts(anonymity_min=5)) == []


def test_detect_lists_classic_mistakes_first_and_managers_see_their_teams() -> None:
    facts = Facts(
        anonymity_min=3,
        incentives=(BONUS,),
        teams=(TeamFact(6, "Mobile", ("low",)),),
        gate_status="red",
        autonomy_under_way="steps",
    )
    found = traps.detect(facts).findings
    assert [f.rule for f in found] == [
        "if-then-creative",
        "defaulting-to-control",
        "ignoring-fairness",
        "okrs-tied-to-bonuses",
        "anonymity-lowered",
    ]
    assert len(traps.visible_to(found, admin=True, teams=set())) == 5
    assert [f.rule for f in traps.visible_to(found, admin=False, teams={6})] == [
        "defaulting-to-control"
    ]
    assert [f.rule for f in traps.visible_to(found, admin=False, teams={3})] == [
        "if-then-creative",
        "okrs-tied-to-bonuses",
    ]
    assert rules(Facts()) == []
