"""The advisor warns when a reward is tied to feedback: 360 and upward feedback are
developmental and score-free, never an input to pay. The rule fires on a worked example
and stays silent on its near-miss twin; recorded through the incentive ledger, it reaches
the advisor's findings with its evidence and next step."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ampwork.advisor import selectors, services, traps
from ampwork.advisor.data import gather
from ampwork.advisor.traps import Facts, IncentiveFact
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor

TIED = IncentiveFact(
    id=7, what="Promotion bonus", style="if_then", outcome="Best 360 feedback in the team"
)


@pytest.mark.parametrize(
    "outcome",
    [
        "Best 360 feedback in the team",
        "Top marks in upward feedback",
        "Peer review above the bar",
        "A performance rating of 5",
    ],
)
def test_a_reward_naming_feedback_fires(outcome: str) -> None:
    found = traps.feedback_tied_to_pay(
        Facts(incentives=(IncentiveFact(1, "Bonus", "if_then", outcome),))
    )
    assert [f.rule for f in found] == ["feedback-tied-to-pay"]
    assert "names feedback" in found[0].evidence[0]
    assert outcome in found[0].evidence[0]
    assert "Remove the reward from feedback" in found[0].next_step
    assert found[0].link == "/advisor/incentives/"


@pytest.mark.parametrize(
    "outcome", ["Ship the ingest migration", "Feedbacks", "3600 sign-ups", "Upwards of 50 users"]
)
def test_a_reward_not_naming_feedback_is_silent(outcome: str) -> None:
    assert (
        traps.feedback_tied_to_pay(
            Facts(incentives=(IncentiveFact(1, "Bonus", "if_then", outcome),))
        )
        == []
    )


def test_the_reward_itself_naming_feedback_fires_too() -> None:
    fact = IncentiveFact(2, "360 feedback bonus", "now_that", "A good quarter")
    assert [f.key for f in traps.feedback_tied_to_pay(Facts(incentives=(fact,)))] == [
        "feedback-tied-to-pay.incentive-2"
    ]
    assert "feedback-tied-to-pay" in [
        f.rule for f in traps.detect(Facts(incentives=(TIED,))).findings
    ]


@pytest.mark.django_db
def test_recorded_in_the_ledger_it_reaches_the_advisor(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    admin = actor_of(make_person(org, Role.ADMIN))
    services.add_incentive(
        actor=admin, what="Raise", outcome="Good upward feedback from the team", style="if_then"
    )
    shown = selectors.findings(admin, gather(org))
    tied = [s for s in shown if s.finding.rule == "feedback-tied-to-pay"]
    assert len(tied) == 1
    assert "Good upward feedback" in tied[0].finding.evidence[0]
