"""The exact grade and pacing where they are stored and shown: the score written at the
close of a cycle, the dashboard's score distribution and the alignment tree's roll-up
(issue 13, item 5). Each of these took the float path before and was a tenth or a status
off exactly on a boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from ampwork.core.models import Organisation
from ampwork.core.permissions import Actor
from ampwork.okrs import progress, selectors, services
from ampwork.okrs.models import Cycle, KeyResult

from ..factories import TeamFactory

START = dt.date(2026, 10, 1)
END = START + dt.timedelta(days=100)
DAY_55 = START + dt.timedelta(days=55)


@pytest.fixture
def cycle(admin_actor: Actor) -> Cycle:
    return services.create_cycle(actor=admin_actor, name="Q4", start=START, end=END)


def key_result(actor: Actor, cycle: Cycle, current: float, **fields: object) -> KeyResult:
    fields.setdefault("owner_kind", "organisation")
    objective = services.create_objective(
        actor=actor,
        cycle=cycle,
        title=f"O {current}",
        **fields,  # type: ignore[arg-type]
    )
    kr = services.create_key_result(
        actor=actor, objective=objective, title=f"KR {current}", start=1, target=2
    )
    services.check_in(actor=actor, key_result=kr, value=current, date=START)
    return kr


def test_close_stores_the_exact_grade(cycle: Cycle, admin_actor: Actor) -> None:
    halves = [key_result(admin_actor, cycle, c) for c in (1.45, 1.65, 1.35, 1.05)]
    below = key_result(admin_actor, cycle, 1.44)
    overridden = key_result(admin_actor, cycle, 1.9)
    services.close_cycle(
        actor=admin_actor, cycle=cycle, overrides={overridden.pk: (0.45, "metric moved")}
    )
    scores = [KeyResult.objects.get(pk=k.pk).score for k in halves]
    # 0.45, 0.65, 0.35 and 0.05 half up — floats made three of them a tenth low
    assert scores == [0.5, 0.7, 0.4, 0.1]
    assert KeyResult.objects.get(pk=below.pk).score == 0.4
    assert KeyResult.objects.get(pk=overridden.pk).score == 0.5
    kr = KeyResult.objects.get(pk=halves[1].pk)
    assert progress.score_band(kr.score) == "green"


def test_the_dashboard_grades_progress_so_far_exactly(cycle: Cycle, admin_actor: Actor) -> None:
    key_result(admin_actor, cycle, 1.45)
    key_result(admin_actor, cycle, 1.65)
    board = selectors.dashboard(admin_actor, cycle, today=DAY_55)
    assert not board.scored
    assert board.scores == {0.5: 1, 0.7: 1}  # graded exactly: 1.45 of 1→2 is 0.5


def test_a_team_roll_up_on_the_at_risk_line_is_on_track(
    cycle: Cycle, admin_actor: Actor, org: Organisation
) -> None:
    team = TeamFactory(organisation=org)
    # two objectives at 0.4 and 0.5: the team's roll-up is exactly 0.45 = 0.55 − 0.10
    for current in (1.4, 1.5):
        key_result(admin_actor, cycle, current, owner_kind="team", owner_team_id=team.pk)
    tree = selectors.alignment(admin_actor, cycle, today=DAY_55)
    (branch,) = [b for b in tree.branches if b.team_id == team.pk]
    assert branch.count == 2
    assert branch.rollup == pytest.approx(0.45)
    assert branch.status == progress.ON_TRACK
    objective_statuses = sorted(tree.state.results[o.pk].pacing for o in branch.objectives)
    assert objective_statuses == [progress.AT_RISK, progress.ON_TRACK]
