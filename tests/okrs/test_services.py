"""OKR services: check-ins, alignment, templates, closing, permissions and visibility."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.okrs import selectors, services
from ampwork.okrs.models import CheckIn, Cycle, KeyResult, Objective

from ..factories import MembershipFactory, TeamFactory

TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def cycle(admin_actor: Actor) -> Cycle:
    return services.create_cycle(
        actor=admin_actor, name="Q4", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )


@pytest.fixture
def member(org: Organisation, make_person: Callable[..., Person]) -> Person:
    return make_person(org, Role.MEMBER)


def test_members_write_their_own_objectives(
    cycle: Cycle,
    member: Person,
    actor_of: Callable[[Person], Actor],
    org: Organisation,
    make_person: Callable[..., Person],
) -> None:
    me = actor_of(member)
    objective = services.create_objective(actor=me, cycle=cycle, title="Customers love X")
    assert objective.owner_person == member
    assert objective.self_authored
    other = make_person(org)
    with pytest.raises(NotAllowed):
        services.create_objective(actor=me, cycle=cycle, title="Yours", owner_person_id=other.pk)
    with pytest.raises(NotAllowed):
        services.create_objective(actor=me, cycle=cycle, title="Ours", owner_kind="organisation")


def test_managers_set_objectives_for_reports_not_self_authored(
    cycle: Cycle,
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    boss = make_person(org, Role.MANAGER)
    report = make_person(org, Role.MEMBER, manager=boss)
    objective = services.create_objective(
        actor=actor_of(boss), cycle=cycle, title="T", owner_person_id=report.pk
    )
    assert objective.author == boss
    assert not objective.self_authored


def test_check_in_keeps_the_newest_by_date(
    cycle: Cycle, member: Person, actor_of: Callable[[Person], Actor]
) -> None:
    me = actor_of(member)
    objective = services.create_objective(actor=me, cycle=cycle, title="O")
    kr = services.create_key_result(
        actor=me, objective=objective, title="From 0 to 10", start=0, target=10
    )
    services.check_in(actor=me, key_result=kr, value=6, confidence=7, date=dt.date(2026, 11, 8))
    services.check_in(actor=me, key_result=kr, value=3, date=dt.date(2026, 11, 1))  # late entry
    kr.refresh_from_db()
    assert kr.current == 6
    assert kr.confidence == 7
    assert kr.last_check_in == dt.date(2026, 11, 8)
    with pytest.raises(ValidationFailed, match="value"):
        services.check_in(actor=me, key_result=kr, confidence=5)
    with pytest.raises(ValidationFailed, match="confidence"):
        services.check_in(actor=me, key_result=kr, value=1, confidence=11)


def test_milestones_and_boolean_check_ins(cycle: Cycle, admin_actor: Actor) -> None:
    objective = services.create_objective(
        actor=admin_actor, cycle=cycle, title="O", owner_kind="organisation"
    )
    kr = services.create_key_result(
        actor=admin_actor,
        objective=objective,
        title="Ship",
        kind="milestones",
        milestones=[("a", 1), ("b", 3)],
    )
    b = kr.milestones.get(title="b")
    services.check_in(actor=admin_actor, key_result=kr, milestones_done=[b.pk])
    state = selectors.evaluate(Objective.objects.filter(pk=objective.pk), TODAY)
    assert state.kr_results[kr.pk].progress.value == 0.75
    done = services.create_key_result(
        actor=admin_actor, objective=objective, title="Done?", kind="boolean"
    )
    with pytest.raises(ValidationFailed, match="done"):
        services.check_in(actor=admin_actor, key_result=done)
    services.check_in(actor=admin_actor, key_result=done, done=True)
    done.refresh_from_db()
    assert done.done


def test_key_result_validation(cycle: Cycle, admin_actor: Actor) -> None:
    objective = services.create_objective(
        actor=admin_actor, cycle=cycle, title="O", owner_kind="organisation"
    )
    with pytest.raises(ValidationFailed, match="differ"):
        services.create_key_result(
            actor=admin_actor, objective=objective, title="x", start=3, target=3
        )
    with pytest.raises(ValidationFailed, match="range"):
        services.create_key_result(
            actor=admin_actor, objective=objective, title="x", kind="range", low=5, high=1
        )
    with pytest.raises(ValidationFailed, match="milestone"):
        services.create_key_result(
            actor=admin_actor, objective=objective, title="x", kind="milestones"
        )


def test_alignment_has_no_loops(cycle: Cycle, admin_actor: Actor) -> None:
    a = services.create_objective(
        actor=admin_actor, cycle=cycle, title="A", owner_kind="organisation"
    )
    b = services.create_objective(
        actor=admin_actor, cycle=cycle, title="B", owner_kind="organisation", parent_id=a.pk
    )
    c = services.create_objective(
        actor=admin_actor, cycle=cycle, title="C", owner_kind="organisation", parent_id=b.pk
    )
    with pytest.raises(ValidationFailed, match="loop"):
        services.link(actor=admin_actor, child=a, parent_id=c.pk)


def test_same_progress_everywhere(
    cycle: Cycle, admin_actor: Actor, member: Person, actor_of: Callable[[Person], Actor]
) -> None:
    """A parent shows its contributing child's progress even where the child is not listed."""
    parent = services.create_objective(
        actor=admin_actor, cycle=cycle, title="P", owner_kind="organisation"
    )
    kr = services.create_key_result(
        actor=admin_actor, objective=parent, title="0 to 10", target=10, owner_id=member.pk
    )
    services.check_in(actor=admin_actor, key_result=kr, value=10)
    child = services.create_objective(
        actor=actor_of(member), cycle=cycle, title="C", parent_id=parent.pk
    )
    services.create_key_result(actor=actor_of(member), objective=child, title="0 to 4", target=4)
    alone = selectors.evaluate(Objective.objects.filter(pk=parent.pk), TODAY)
    both = selectors.evaluate(Objective.objects.filter(cycle=cycle), TODAY)
    assert alone.results[parent.pk].progress.value == 0.5
    assert both.results[parent.pk].progress.value == 0.5


def test_private_objectives(
    cycle: Cycle,
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    boss = make_person(org, Role.MANAGER)
    owner = make_person(org, Role.MEMBER, manager=boss)
    peer = make_person(org, Role.MEMBER)
    secret = services.create_objective(
        actor=actor_of(owner), cycle=cycle, title="Private", visibility="private"
    )
    assert selectors.get_objective(actor_of(owner), secret.pk)
    assert selectors.get_objective(actor_of(boss), secret.pk)
    with pytest.raises(NotFound):
        selectors.get_objective(actor_of(peer), secret.pk)
    assert not selectors.visible_objectives(actor_of(peer)).filter(pk=secret.pk).exists()


def test_template_gives_each_member_a_copy(
    cycle: Cycle,
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    team = TeamFactory(organisation=org)
    lead = make_person(org, Role.MANAGER)
    MembershipFactory(team=team, person=lead, role="lead")
    members = [make_person(org) for _ in range(3)]
    for m in members:
        MembershipFactory(team=team, person=m)
    copies = services.assign_template(
        actor=actor_of(lead),
        cycle=cycle,
        team=team,
        title="Same for all",
        key_results=[{"title": "From 1 to 5", "start": 1, "target": 5}],
    )
    assert len(copies) == 4  # the lead is a member too
    assert {c.owner_person_id for c in copies} == {lead.pk, *(m.pk for m in members)}
    assert all(c.author == lead and c.key_results.count() == 1 for c in copies)
    outsider = make_person(org, Role.MANAGER)
    with pytest.raises(NotAllowed):
        services.assign_template(actor=actor_of(outsider), cycle=cycle, team=team, title="No")


def test_close_cycle_scores_overrides_and_carries(cycle: Cycle, admin_actor: Actor) -> None:
    nxt = services.create_cycle(
        actor=admin_actor, name="Q1", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31)
    )
    objective = services.create_objective(
        actor=admin_actor, cycle=cycle, title="O", owner_kind="organisation"
    )
    a = services.create_key_result(actor=admin_actor, objective=objective, title="a", target=10)
    b = services.create_key_result(actor=admin_actor, objective=objective, title="b", target=10)
    services.check_in(actor=admin_actor, key_result=a, value=7.3)
    services.check_in(actor=admin_actor, key_result=b, value=2)
    with pytest.raises(ValidationFailed, match="reason"):
        services.close_cycle(actor=admin_actor, cycle=cycle, overrides={b.pk: (0.5, "")})
    services.close_cycle(
        actor=admin_actor,
        cycle=cycle,
        overrides={b.pk: (0.5, "metric broke")},
        retrospective="ok",
        carry=[objective.pk],
        next_cycle=nxt,
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.score == 0.7
    assert b.score == 0.5
    assert b.score_reason == "metric broke"
    carried = Objective.objects.get(cycle=nxt)
    assert carried.carried_from == objective
    assert KeyResult.objects.get(objective=carried, title="a").start == 7.3  # continues
    objective.refresh_from_db()
    assert objective.status == "carried"
    with pytest.raises(ValidationFailed, match="closed"):
        services.check_in(actor=admin_actor, key_result=a, value=9)


def test_only_admins_manage_cycles(
    org: Organisation, member: Person, actor_of: Callable[[Person], Actor]
) -> None:
    with pytest.raises(NotAllowed):
        services.create_cycle(
            actor=actor_of(member), name="X", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
        )


@pytest.mark.django_db(transaction=True)
def test_twenty_check_ins_at_once(
    org: Organisation,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    """20 check-ins posted at the same moment: all stored, the newest by date wins."""
    admin = make_person(org, Role.ADMIN)
    actor = Actor(organisation=org, role=Role.ADMIN, user=admin.user, person=admin)
    cycle = services.create_cycle(
        actor=actor, name="Q", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    objective = services.create_objective(actor=actor, cycle=cycle, title="O")
    kr = services.create_key_result(actor=actor, objective=objective, title="0 to 100", target=100)
    headers = bearer(admin)
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def post(day: int) -> None:
        client = Client()
        barrier.wait()
        response = client.post(
            f"/api/v1/key-results/{kr.pk}/check-ins",
            f'{{"value": {day}, "date": "2026-03-{day:02d}"}}',
            content_type="application/json",
            **headers,
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=post, args=(day,)) for day in range(1, 21)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * 20
    assert CheckIn.objects.filter(key_result=kr).count() == 20
    kr.refresh_from_db()
    assert kr.current == 20
    assert kr.last_check_in == dt.date(2026, 3, 20)
