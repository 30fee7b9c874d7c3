"""Stored progress, roll-ups and scores (okrs.services.derived) always equal a computation
from scratch: after random sequences of writes through the services, on every day of a
cycle, and under check-ins posted at the same moment."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import itertools
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ampwork.core import services as core_services
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role, Team
from ampwork.core.permissions import Actor
from ampwork.okrs import selectors, services
from ampwork.okrs.models import (
    GRADE_FIELDS,
    CheckIn,
    Cycle,
    KeyResult,
    Objective,
    ObjectiveLink,
)
from ampwork.okrs.selectors.evaluation import evaluate_inputs
from ampwork.okrs.services import derived

START, END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
_orgs = itertools.count()


def _world(make_person: Callable[..., Person]) -> tuple[Actor, Cycle, Team]:
    org = Organisation.objects.create(name="Stored", slug=f"stored-{next(_orgs)}")
    admin = make_person(org, Role.ADMIN)
    actor = Actor(organisation=org, role=Role.ADMIN, user=admin.user, person=admin)
    cycle = services.create_cycle(actor=actor, name="Q4", start=START, end=END)
    team = core_services.create_team(actor=actor, name="Crew")
    return actor, cycle, team


def _agree(org: Organisation, days: list[dt.date]) -> None:
    """Stored equals recomputed (every field), and what the whole-cycle pages read on each
    day equals an evaluation from scratch of the whole organisation on that day."""
    assert derived.verify(org.pk).mismatches == []
    everything = Objective.objects.filter(organisation=org)
    for day in days:
        _, _, scratch, _ = evaluate_inputs(everything, day)  # everything inside: nothing stored
        read = selectors.evaluate(everything, day, detail=False).results
        assert read.keys() == scratch.keys()
        for pk, want in scratch.items():
            got = read[pk]
            assert (got.progress.value, got.pacing, got.lowest, got.score, got.band) == (
                want.progress.value,
                want.pacing,
                want.lowest,
                want.score,
                want.band,
            ), (pk, day)
            assert (got.judged is None) == (want.judged is None), (pk, day)
            if want.judged is not None and got.judged is not None:
                assert got.judged.exact() == want.judged.exact()
            assert got.progress.exact() == want.progress.exact()
        for cycle_id in set(everything.values_list("cycle_id", flat=True)):
            active = everything.filter(cycle_id=cycle_id, status=Objective.Status.ACTIVE)
            counted = Counter(scratch[pk].pacing for pk in active.values_list("id", flat=True))
            assert selectors.pacing_counts(cycle_id, day) == dict(counted), day


def _tree(actor: Actor, cycle: Cycle, team: Team) -> None:
    """Where each example starts: an organisation objective, a team's and two people's
    contributing under it (one two levels down), key results of every kind, some checked in."""
    make = services.create_objective
    top = make(actor=actor, cycle=cycle, title="Top", owner_kind="organisation")
    a = make(actor=actor, cycle=cycle, title="A", owner_kind="team", owner_team_id=team.pk)
    services.link(actor=actor, child=a, parent_id=top.pk)
    b = make(actor=actor, cycle=cycle, title="B", parent_id=top.pk)
    c = make(actor=actor, cycle=cycle, title="C", parent_id=a.pk)
    for objective, kind in ((top, "numeric"), (a, "milestones"), (b, "boolean"), (c, "range")):
        for n, weight in enumerate((1.0, 2.0)):
            kr = services.create_key_result(
                actor=actor,
                objective=objective,
                title=f"{kind} {n}",
                kind=kind if n == 0 else "numeric",
                start=0.0,
                target=20.0,
                low=5.0,
                high=25.0,
                weight=weight,
                milestones=[("x", 1.0), ("y", 3.0)],
            )
            if n == 0 or objective is not top:
                services.check_in(
                    actor=actor,
                    key_result=kr,
                    value=7.0 + n,
                    done=True,
                    milestones_done=list(kr.milestones.values_list("id", flat=True))[:1],
                    date=START + dt.timedelta(days=20 + n),
                )


KINDS = st.sampled_from(["numeric", "boolean", "milestones", "range"])
STEP = st.one_of(
    st.tuples(st.just("objective"), st.integers(0, 2), st.integers(0, 10)),
    st.tuples(st.just("key_result"), KINDS, st.integers(0, 10), st.floats(0, 3, width=16)),
    st.tuples(st.just("check_in"), st.integers(0, 30), st.integers(-5, 120), st.integers(0, 80)),
    st.tuples(st.just("weight"), st.integers(0, 30), st.sampled_from([0.0, 0.5, 1.0, 2.5])),
    st.tuples(st.just("target"), st.integers(0, 30), st.sampled_from([3.0, 45.0, 100.0])),
    st.tuples(st.just("link"), st.integers(0, 10), st.integers(0, 10), st.sampled_from(["c", "s"])),
    st.tuples(st.just("unlink"), st.integers(0, 10)),
    st.tuples(st.just("delete"), st.integers(0, 10)),
    st.tuples(st.just("dates"), st.integers(-20, 30)),
    st.tuples(st.just("delete_team"), st.just(0)),
)


def _pick(items: list[Any], i: int) -> Any:
    return items[i % len(items)] if items else None


def _apply(step: tuple[Any, ...], actor: Actor, cycle: Cycle, team: Team | None) -> None:
    objectives = list(Objective.objects.filter(organisation=actor.organisation).order_by("id"))
    key_results = list(KeyResult.objects.filter(organisation=actor.organisation).order_by("id"))
    kind = step[0]
    if kind == "objective":
        owner = ["organisation", "team", "person"][step[1]]
        if owner == "team" and team is None:
            owner = "person"
        parent = _pick(objectives, step[2])
        services.create_objective(
            actor=actor,
            cycle=cycle,
            title=f"O{len(objectives)}",
            owner_kind=owner,
            owner_team_id=team.pk if owner == "team" and team else None,
            parent_id=parent.pk if parent and step[2] % 3 else None,
        )
    elif kind == "key_result" and objectives:
        _, kr_kind, which, weight = step
        services.create_key_result(
            actor=actor,
            objective=_pick(objectives, which),
            title="K",
            kind=kr_kind,
            start=10.0,
            target=0.0 if which % 2 else 40.0,
            low=5.0,
            high=25.0,
            weight=weight,
            milestones=[("a", 1.0), ("b", 2.0), ("c", 0.5)],
        )
    elif kind == "check_in" and key_results:
        _, which, value, day = step
        kr = _pick(key_results, which)
        milestones = list(kr.milestones.values_list("id", flat=True))
        services.check_in(
            actor=actor,
            key_result=kr,
            value=value / 4,
            done=value % 2 == 0,
            milestones_done=milestones[: value % 4],
            date=START + dt.timedelta(days=day),
        )
    elif kind in ("weight", "target") and key_results:
        kr = _pick(key_results, step[1])
        if kind == "target" and kr.start == step[2]:
            return
        services.update_key_result(actor=actor, key_result=kr, **{kind: step[2]})
    elif kind == "link" and len(objectives) > 1:
        child, parent = _pick(objectives, step[1]), _pick(objectives, step[2])
        link_kind = "contributes" if step[3] == "c" else "supports"
        services.link(actor=actor, child=child, parent_id=parent.pk, kind=link_kind)
    elif kind == "unlink":
        links = ObjectiveLink.objects.filter(organisation=actor.organisation).order_by("id")
        found = _pick(list(links.select_related("child")), step[1])
        if found is not None:
            services.unlink(actor=actor, child=found.child, parent_id=found.parent_id)
    elif kind == "delete" and objectives:
        services.delete_objective(actor=actor, objective=_pick(objectives, step[1]))
    elif kind == "dates":  # around today: key results written before the start count from it
        begins = timezone.localdate() + dt.timedelta(days=step[1])
        services.update_cycle(
            actor=actor, cycle=cycle, start=begins, end=begins + dt.timedelta(days=91)
        )
    elif kind == "delete_team" and team is not None:
        core_services.delete_team(actor=actor, team=team)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_stored_equals_recomputed_after_every_step(
    make_person: Callable[..., Person], steps: list[tuple[Any, ...]]
) -> None:
    actor, cycle, team = _world(make_person)
    _tree(actor, cycle, team)
    alive: Team | None = team
    now = timezone.localdate()
    days = [START - dt.timedelta(days=1), now + dt.timedelta(days=9), now + dt.timedelta(days=14)]
    for step in steps:
        with contextlib.suppress(ValidationFailed):  # a loop of objectives: refused
            _apply(step, actor, cycle, alive)
        if step[0] == "delete_team":
            alive = None
        cycle.refresh_from_db()
        _agree(actor.organisation, days)


@pytest.mark.django_db
def test_scores_at_close_are_stored_and_carried_objectives_get_numbers(
    make_person: Callable[..., Person],
) -> None:
    actor, cycle, _ = _world(make_person)
    top = services.create_objective(
        actor=actor, cycle=cycle, title="Top", owner_kind="organisation"
    )
    kid = services.create_objective(actor=actor, cycle=cycle, title="Kid", parent_id=top.pk)
    kr = services.create_key_result(actor=actor, objective=kid, title="K", target=40)
    services.check_in(actor=actor, key_result=kr, value=26, date=dt.date(2026, 11, 2))
    nxt = services.create_cycle(
        actor=actor, name="Q1", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31)
    )
    services.close_cycle(actor=actor, cycle=cycle, carry=[kid.pk], next_cycle=nxt)
    top.refresh_from_db()
    assert (top.score, top.score_exact) == (0.7, "7/10")  # 26/40 = 0.65 graded half up
    assert Objective.objects.get(cycle=nxt).progress == 0.0
    _agree(actor.organisation, [dt.date(2027, 1, 20)])


@pytest.mark.django_db
def test_verify_finds_and_fixes_a_wrong_number(
    make_person: Callable[..., Person], capsys: pytest.CaptureFixture[str]
) -> None:
    """A number changed behind the services' back (raw SQL, a restore) is found, named and
    repaired; the command fails until it is."""
    actor, cycle, _ = _world(make_person)
    objective = services.create_objective(actor=actor, cycle=cycle, title="O")
    kr = services.create_key_result(actor=actor, objective=objective, title="K", target=10)
    services.check_in(actor=actor, key_result=kr, value=5, date=dt.date(2026, 10, 20))
    call_command("okrs", "verify")
    assert "every stored number matches" in capsys.readouterr().out
    Objective.objects.filter(pk=objective.pk).update(progress=0.9)
    KeyResult.objects.filter(pk=kr.pk).update(graded=0.1)
    with pytest.raises(Exception, match="2 stored numbers differ"):
        call_command("okrs", "verify", "--org", actor.organisation.slug)
    out = capsys.readouterr().out
    assert f"Objective {objective.pk}: progress is 0.9, should be 0.5" in out
    assert f"KeyResult {kr.pk}: graded is 0.1, should be 0.5" in out
    call_command("okrs", "verify", "--fix")
    assert "2 stored numbers differ, fixed" in capsys.readouterr().out
    call_command("okrs", "verify")
    assert derived.verify(actor.organisation.pk).mismatches == []


@pytest.mark.django_db
def test_verify_checks_the_grade_counts_and_silence_and_the_migration_fills_them(
    make_person: Callable[..., Person],
) -> None:
    """The dashboard's stored counts per grade and the day an objective's key results have
    been silent since are checked and repaired like every stored number; the migration
    that added them fills them from the key results."""
    actor, cycle, _ = _world(make_person)
    objective = services.create_objective(actor=actor, cycle=cycle, title="O")
    empty = services.create_objective(actor=actor, cycle=cycle, title="E")
    half = services.create_key_result(actor=actor, objective=objective, title="K", target=10)
    services.check_in(actor=actor, key_result=half, value=5, date=dt.date(2026, 10, 20))
    full = services.create_key_result(actor=actor, objective=objective, title="F", target=10)
    services.check_in(actor=actor, key_result=full, value=10, date=dt.date(2026, 10, 25))
    silent = services.create_key_result(actor=actor, objective=objective, title="S", target=10)
    stored = Objective.objects.get(pk=objective.pk)
    clock = KeyResult.objects.get(pk=silent.pk).clock
    assert clock is not None
    assert [getattr(stored, f) for f in GRADE_FIELDS] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    assert stored.silent_since == min(dt.date(2026, 10, 20), clock)
    none = Objective.objects.get(pk=empty.pk)
    assert ([getattr(none, f) for f in GRADE_FIELDS], none.silent_since) == ([0] * 11, None)
    Objective.objects.filter(pk=objective.pk).update(grade_5=0, silent_since=None)
    assert sorted(derived.verify(actor.organisation.pk).mismatches) == [
        f"Objective {objective.pk}: grade_5 is 0, should be 1",
        f"Objective {objective.pk}: silent_since is None, should be {stored.silent_since!r}",
    ]
    assert derived.verify(actor.organisation.pk, fix=True).fixed
    assert derived.verify(actor.organisation.pk).mismatches == []
    Objective.objects.filter(organisation=actor.organisation).update(
        grade_0=7, grade_5=0, grade_10=0, silent_since=dt.date(2000, 1, 1)
    )
    fill = importlib.import_module("ampwork.okrs.migrations.0004_stored_grades_and_silence").fill
    fill(django_apps, None)
    assert derived.verify(actor.organisation.pk).mismatches == [
        f"Objective {empty.pk}: grade_0 is 7, should be 0",  # no key result: left as it was
        f"Objective {empty.pk}: silent_since is datetime.date(2000, 1, 1), should be None",
    ]


@pytest.mark.django_db
def test_a_new_key_result_is_judged_from_the_day_its_grace_ends(
    make_person: Callable[..., Person],
) -> None:
    """The stored judged value holds from ``settles`` on; before it, what has started by
    that day is judged: on day 13 of a key result without check-in, its objective is
    judged on its started sibling only; on day 14, on both."""
    actor, cycle, _ = _world(make_person)
    objective = services.create_objective(actor=actor, cycle=cycle, title="O")
    early = services.create_key_result(actor=actor, objective=objective, title="A", target=10)
    services.check_in(actor=actor, key_result=early, value=10, date=dt.date(2026, 10, 2))
    late = services.create_key_result(actor=actor, objective=objective, title="B", target=10)
    KeyResult.objects.filter(pk=late.pk).update(
        created_at=dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    )
    services.update_key_result(actor=actor, key_result=late, weight=1.0 + 0)  # no change
    derived.refresh([objective.pk])
    objective.refresh_from_db()
    assert objective.settles == dt.date(2026, 11, 16)
    assert objective.judged == 0.5  # both started
    query = Objective.objects.filter(pk=objective.pk)
    on = {
        day: selectors.evaluate(query, day, detail=False).results[objective.pk].judged
        for day in (dt.date(2026, 11, 15), dt.date(2026, 11, 16), dt.date(2026, 11, 17))
    }
    assert {d: j.value if j else None for d, j in on.items()} == {
        dt.date(2026, 11, 15): 1.0,  # day 13: only A is judged
        dt.date(2026, 11, 16): 0.5,  # day 14: the stored value
        dt.date(2026, 11, 17): 0.5,
    }
    _agree(actor.organisation, list(on))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("split", [False, True], ids=["all-to-one", "split-between-two"])
def test_fifty_check_ins_at_once_lose_nothing(
    make_person: Callable[..., Person], bearer: Callable[[Person], dict[str, str]], split: bool
) -> None:
    """50 check-ins posted at the same moment over the API — all 50 to one key result, or
    25 to it and 25 to its sibling of the same objective, under a parent — all stored; the
    newest by date wins; stored equals recomputed (no refresh read a sibling's number from
    before)."""
    actor, cycle, _ = _world(make_person)
    top = services.create_objective(actor=actor, cycle=cycle, title="T", owner_kind="organisation")
    objective = services.create_objective(actor=actor, cycle=cycle, title="O", parent_id=top.pk)
    one = services.create_key_result(actor=actor, objective=objective, title="1", target=100)
    two = services.create_key_result(actor=actor, objective=objective, title="2", target=100)
    headers = bearer(actor.person)  # type: ignore[arg-type]
    barrier = threading.Barrier(50)
    statuses: list[int] = []

    def post(n: int) -> None:
        kr = one if n % 2 or not split else two
        client = Client()
        barrier.wait()
        response = client.post(
            f"/api/v1/key-results/{kr.pk}/check-ins",
            f'{{"value": {n}, "date": "{START + dt.timedelta(days=n):%Y-%m-%d}"}}',
            content_type="application/json",
            **headers,
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(1, 51)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * 50
    assert CheckIn.objects.filter(key_result__in=[one, two]).count() == 50
    assert CheckIn.objects.filter(key_result=one).count() == (25 if split else 50)
    assert KeyResult.objects.get(pk=one.pk).current == (49 if split else 50)
    assert KeyResult.objects.get(pk=two.pk).current == (50 if split else None)
    assert derived.verify(actor.organisation.pk).mismatches == []
    top.refresh_from_db()
    assert top.progress == pytest.approx(0.495 if split else 0.25)


@pytest.mark.parametrize(("listed", "opened"), [(59, True), (60, True), (61, False)])
def test_a_branch_opens_by_itself_only_when_it_lists_at_most_sixty(
    listed: int, opened: bool
) -> None:
    """The tree page's first two levels open by themselves unless a branch lists more than
    OPEN_AT_MOST objectives (those load when opened); a team asked for always opens."""
    from ampwork.okrs.selectors.alignment import OPEN_AT_MOST, Branch

    assert OPEN_AT_MOST == 60
    child = Branch(team_id=2, name="c", depth=1, objectives=[object()] * listed)  # type: ignore[list-item]
    deep = Branch(team_id=3, name="d", depth=2, count=1)
    child.children = [deep]
    child.count = listed + 1
    root = Branch(team_id=1, name="r", depth=0, children=[child], count=listed + 1)
    selectors.open_branches([root], 2)
    assert (root.opened, child.opened, deep.opened) == (True, opened, False)
    selectors.open_branches([child], 2, at_most=None)
    assert child.opened


@pytest.mark.parametrize(("teams", "opened"), [(97, True), (98, True), (99, False)])
def test_the_tree_opens_within_a_hundred_teams_shown(teams: int, opened: bool) -> None:
    """A top branch and a second one beside it: the second opens only if its teams keep the
    branches shown at most SHOWN_AT_MOST (2 shown at the top, plus its teams)."""
    from ampwork.okrs.selectors.alignment import SHOWN_AT_MOST, Branch

    assert SHOWN_AT_MOST == 100
    first = Branch(team_id=1, name="a", depth=0, count=1)
    second = Branch(team_id=2, name="b", depth=0, count=teams)
    second.children = [Branch(team_id=10 + n, name="t", depth=1, count=1) for n in range(teams)]
    selectors.open_branches([first, second], 2)
    assert (first.opened, second.opened) == (True, opened)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "stale"),
    [
        (dt.date(2026, 11, 13), 0),  # 13 days after the check-in
        (dt.date(2026, 11, 14), 2),  # 14 days: stale (and the one never checked in)
        (dt.date(2026, 11, 15), 2),
        (END, 2),  # the cycle's last day still counts
        (END + dt.timedelta(days=1), 0),  # after it, nobody checks in: none is stale
    ],
)
def test_the_dashboard_counts_stale_key_results_in_the_database_as_the_rule_says(
    make_person: Callable[..., Person], day: dt.date, stale: int
) -> None:
    actor, cycle, _ = _world(make_person)
    objective = services.create_objective(actor=actor, cycle=cycle, title="O")
    checked = services.create_key_result(actor=actor, objective=objective, title="K", target=9)
    services.check_in(actor=actor, key_result=checked, value=3, date=dt.date(2026, 10, 31))
    never = services.create_key_result(actor=actor, objective=objective, title="N", target=9)
    KeyResult.objects.filter(pk=never.pk).update(clock=dt.date(2026, 10, 31))
    board = selectors.dashboard(actor, cycle, today=day)
    assert board.stale_count == stale
    assert [kr.pk for kr in board.stale] == ([never.pk, checked.pk] if stale else [])
    ref = selectors.started_open_cycle(actor.organisation, day)
    assert ref is not None
    assert sum(1 for f in selectors.cycle_key_results(ref, day) if f.stale) == stale
    # the advisor's count per owner and team, in the database, by the same rule
    groups = selectors.cycle_key_result_counts(ref, day)
    assert [(g.count, g.stale) for g in groups] == [(2, stale)]


@pytest.mark.django_db
@pytest.mark.parametrize(("silent_days", "stale"), [(13, 0), (14, 2), (15, 2)])
@pytest.mark.parametrize("by_id", [True, False])
def test_the_dashboard_skips_the_stale_query_only_when_no_objective_is_silent_long_enough(
    make_person: Callable[..., Person],
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Callable[..., Any],
    silent_days: int,
    stale: int,
    by_id: bool,
) -> None:
    """The dashboard reads which objectives have been silent 14 days or more with their
    numbers, and skips the stale query when none has (or names the few by id, else selects
    them again: ``by_id``): the same stale list and count as the query over every
    objective's stored silence, at 13, 14 and 15 days silent."""
    from ampwork.okrs.selectors.visibility import visible_objectives

    board_module = importlib.import_module("ampwork.okrs.selectors.dashboard")
    if not by_id:
        monkeypatch.setattr(board_module, "_SILENT_BY_ID", 0)
    actor, cycle, _ = _world(make_person)
    day = dt.date(2026, 11, 20)
    silent_since = day - dt.timedelta(days=silent_days)
    quiet = services.create_objective(actor=actor, cycle=cycle, title="Quiet")
    checked = services.create_key_result(actor=actor, objective=quiet, title="K", target=9)
    services.check_in(actor=actor, key_result=checked, value=3, date=silent_since)
    never = services.create_key_result(actor=actor, objective=quiet, title="N", target=9)
    KeyResult.objects.filter(pk=never.pk).update(clock=silent_since)
    busy = services.create_objective(actor=actor, cycle=cycle, title="Busy")
    recent = services.create_key_result(actor=actor, objective=busy, title="R", target=9)
    services.check_in(actor=actor, key_result=recent, value=3, date=day - dt.timedelta(days=1))
    assert Objective.objects.get(pk=quiet.pk).silent_since == silent_since
    scope = visible_objectives(actor).filter(cycle=cycle)
    want = board_module._stalest(scope, cycle, day)  # every objective's silence, in SQL
    assert want[1] == stale
    assert [kr.pk for kr in want[0]] == ([never.pk, checked.pk] if stale else [])
    board = selectors.dashboard(actor, cycle, today=day)
    assert ([kr.pk for kr in board.stale], board.stale_count) == (
        [kr.pk for kr in want[0]],
        want[1],
    )
    table = board_module.read_table(
        scope, cycle.start, cycle.end, day, board_module._silent_by(day)
    )
    flagged = table.ids[table.silent].tolist()
    assert flagged == ([quiet.pk] if stale else [])
    # none silent long enough: no stale query at all
    with django_assert_num_queries(0 if not stale else 1):
        board_module._stalest(scope, cycle, day, flagged)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "status"),
    [
        (4.0, "on track"),  # exactly on expected − 0.10: on track
        (3.99, "at risk"),
        (2.5, "at risk"),  # exactly on expected − 0.25: at risk
        (2.49, "off track"),
        (4.01, "on track"),
    ],
)
def test_pacing_counted_in_the_database_is_exact_on_the_lines(
    make_person: Callable[..., Person], value: float, status: str
) -> None:
    """Day 50 of 100: expected 0.5, the lines at 0.4 and 0.25. Progress exactly on a line
    is counted as the exact rule says (the database's floats never decide within 2e-9)."""
    actor, _, _ = _world(make_person)
    cycle = services.create_cycle(
        actor=actor, name="Hundred", start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 11)
    )
    objective = services.create_objective(actor=actor, cycle=cycle, title="O")
    kr = services.create_key_result(actor=actor, objective=objective, title="K", target=10)
    services.check_in(actor=actor, key_result=kr, value=value, date=dt.date(2026, 1, 2))
    day = dt.date(2026, 2, 20)  # day 50
    assert selectors.pacing_counts(cycle.pk, day) == {status: 1}
    read = selectors.evaluate(Objective.objects.filter(pk=objective.pk), day, detail=False)
    assert read.results[objective.pk].pacing == status
