"""Issue 18 ("a newcomer's first hour"), the OKR part: deleting asks first and cannot act
twice; close-and-score tells alike objectives apart; every figure about a team counts the
same objectives on every page; the team that is the organisation appears once."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ampwork.advisor import dashboards
from ampwork.advisor.data import gather
from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation, Person, Role, Team
from ampwork.core.permissions import Actor
from ampwork.demo.services import DemoResult
from ampwork.okrs import progress, selectors, services
from ampwork.okrs.forms import owner_choices
from ampwork.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveLink

from ..factories import ObjectiveFactory, TeamFactory


def _admin(org: Organisation) -> Person:
    return Person.objects.get(organisation=org, email="admin@brightwater.example")


def _actor(person: Person) -> Actor:
    return Actor(
        organisation=person.organisation, role=person.role, person=person, user=person.user
    )


def _cycle(org: Organisation) -> Cycle:
    cycle = selectors.current_cycle(org)
    assert cycle is not None
    return cycle


# ---------------------------------------------------------------- deleting asks first


@pytest.fixture
def objective(admin_actor: Actor) -> Objective:
    cycle = services.create_cycle(
        actor=admin_actor, name="Q4", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    made = services.create_objective(
        actor=admin_actor, cycle=cycle, title="Customers love the app", owner_kind="organisation"
    )
    services.create_key_result(
        actor=admin_actor, objective=made, title="NPS from 20 to 40", start=20, target=40
    )
    return made


def test_delete_shows_what_goes_and_deletes_nothing_yet(
    objective: Objective, admin: Person, web: Callable[[Person], Client]
) -> None:
    client = web(admin)
    page = client.get(f"/okrs/objectives/{objective.pk}/")
    assert f"/okrs/objectives/{objective.pk}/delete/" in page.content.decode()
    asked = client.get(f"/okrs/objectives/{objective.pk}/delete/")
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "Delete “Customers love the app”?" in text
    assert "1 key result and 0 check-ins" in text
    assert 'name="confirm" value="delete"' in text
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_a_post_without_the_confirmation_only_asks(
    objective: Objective, admin: Person, web: Callable[[Person], Client]
) -> None:
    answer = web(admin).post(f"/okrs/objectives/{objective.pk}/delete/")
    assert answer.status_code == 200
    assert "cannot be undone" in answer.content.decode()
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_a_double_click_deletes_once_and_the_second_press_is_told(
    objective: Objective, admin: Person, web: Callable[[Person], Client]
) -> None:
    client = web(admin)
    url = f"/okrs/objectives/{objective.pk}/delete/"
    ticket = re.search(r'name="ticket" value="([^"]+)"', client.get(url).content.decode())
    assert ticket is not None
    form = {"confirm": "delete", "ticket": ticket.group(1)}
    first = client.post(url, form)
    assert first.status_code == 302
    assert not Objective.objects.filter(pk=objective.pk).exists()
    second = client.post(url, form, follow=True)
    assert second.status_code == 200
    assert "already deleted" in second.content.decode()
    assert client.get(url).status_code == 404  # asking about it again: it is gone
    # without the ticket (or with another objective's), a missing id is a plain 404
    assert client.post(url, {"confirm": "delete"}).status_code == 404
    other = client.post(f"/okrs/objectives/{objective.pk + 1000}/delete/", form)
    assert other.status_code == 404


def test_only_those_who_may_edit_are_asked(
    objective: Objective,
    org: Organisation,
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
) -> None:
    member = make_person(org, Role.MEMBER)
    client = web(member)
    assert client.get(f"/okrs/objectives/{objective.pk}/delete/").status_code == 403
    refused = client.post(f"/okrs/objectives/{objective.pk}/delete/", {"confirm": "delete"})
    assert refused.status_code == 403
    assert Objective.objects.filter(pk=objective.pk).exists()


# ---------------------------------------------------------------- the organisation, once


def test_the_team_that_is_the_organisation_is_offered_once(
    org: Organisation, admin_actor: Actor
) -> None:
    root = TeamFactory(organisation=org, name=org.name)
    below = TeamFactory(organisation=org, name="Platform", parent=root)
    labels = [label for _, label in owner_choices(admin_actor)]
    assert labels.count(f"The organisation ({org.name})") == 1
    assert f"Team: {org.name}" not in labels
    assert f"Team: {below.name}" in labels


def test_two_top_teams_are_both_teams(org: Organisation, admin_actor: Actor) -> None:
    TeamFactory(organisation=org, name="Sales")
    TeamFactory(organisation=org, name="Support")
    labels = [label for _, label in owner_choices(admin_actor)]
    assert {"Team: Sales", "Team: Support"} <= set(labels)


def test_a_lone_team_without_teams_under_it_is_not_the_organisation(
    org: Organisation, admin_actor: Actor
) -> None:
    TeamFactory(organisation=org, name="Everyone here")
    assert "Team: Everyone here" in [label for _, label in owner_choices(admin_actor)]


# ---------------------------------------------------------------- one count everywhere


@pytest.mark.usefixtures("demo")
def test_every_page_counts_a_team_the_same(demo: DemoResult) -> None:
    """The alignment tree, the cycle dashboard and the home page's team lines count each
    team's objectives the same way; the team that is the organisation holds them all, and
    its figure is the organisation's own."""
    org = demo.company
    admin = _actor(_admin(org))
    cycle = _cycle(org)
    tree = selectors.alignment(admin, cycle)
    assert tree.organisation_objectives == []  # no separate card: the root team holds them
    assert len(tree.branches) == 1
    assert tree.branches[0].organisation
    everything = Objective.objects.filter(cycle=cycle).count()
    assert tree.branches[0].count == everything

    def branches(found: list[selectors.Branch]) -> dict[int, selectors.Branch]:
        out: dict[int, selectors.Branch] = {}
        for b in found:
            out[b.team_id] = b
            out.update(branches(b.children))
        return out

    by_team = branches(tree.branches)
    board = selectors.dashboard(admin, cycle)
    rows = {row.team_id: row for row in board.teams}
    paced = selectors.team_pacing(admin, cycle.pk, timezone.localdate(), by_team)
    for team_id, branch in by_team.items():
        total = rows[team_id].total if team_id in rows else 0
        assert branch.count == total, branch.name
        assert sum(paced[team_id].values()) == total, branch.name
        if team_id in rows:
            assert {s: rows[team_id].counts[s] for s in paced[team_id]} == paced[team_id]
    assert sum(board.totals.values()) == everything
    root = tree.branches[0].team_id
    assert paced[root] == {s: n for s, n in board.totals.items() if n}


@pytest.mark.usefixtures("demo")
def test_the_home_page_line_of_the_organisation_team_is_the_organisation(
    demo: DemoResult,
) -> None:
    """'0 of 0 · 0/0/0' under '6/4/6 objectives': the admin leads the team that is the
    organisation; its pacing line is the organisation's figure."""
    org = demo.company
    admin = _actor(_admin(org))
    data = gather(org)
    section = dashboards.manager_section(admin, data)
    assert section is not None
    line = next(t for t in section.teams if t.name == org.name)
    whole = dashboards.admin_section(admin, data)
    assert whole is not None
    assert line.pacing == whole.pacing
    assert sum(line.pacing.values()) > 0


@pytest.mark.usefixtures("demo")
def test_the_advisor_counts_stale_and_off_track_as_the_okr_pages(demo: DemoResult) -> None:
    org = demo.company
    admin = _actor(_admin(org))
    cycle = _cycle(org)
    today = timezone.localdate()
    board = selectors.dashboard(admin, cycle)
    ref = selectors.started_open_cycle(org, today)
    assert ref is not None
    facts = selectors.cycle_key_results(ref, today)
    assert sum(1 for f in facts if f.stale) == board.stale_count
    paces = Counter(selectors.pacing_counts(cycle.pk, today))
    assert paces[progress.OFF_TRACK] == board.totals[progress.OFF_TRACK]
    assert paces[progress.NOT_STARTED] == board.totals[progress.NOT_STARTED]


# ---------------------------------------------------------------- not started, end to end


@pytest.mark.usefixtures("demo")
def test_a_new_objective_is_not_started_and_leaves_its_team_alone(demo: DemoResult) -> None:
    org = demo.company
    admin_person = _admin(org)
    admin = _actor(admin_person)
    cycle = _cycle(org)
    platform = Team.objects.get(organisation=org, name="Platform")
    before = {b.team_id: b for b in selectors.alignment(admin, cycle, platform.pk).branches}
    made = services.create_objective(
        actor=admin,
        cycle=cycle,
        title="Customers never wait for a deploy",
        owner_kind="team",
        owner_team_id=platform.pk,
    )
    services.create_key_result(
        actor=admin, objective=made, title="Deploy queue from 5 h to 0 h", start=5, target=0
    )
    state = selectors.evaluate(Objective.objects.filter(pk=made.pk))
    assert state.results[made.pk].pacing == progress.NOT_STARTED
    after = selectors.alignment(admin, cycle, platform.pk).branches[0]
    assert after.count == before[platform.pk].count + 1
    assert after.status == before[platform.pk].status  # not dragged down
    key_result = KeyResult.objects.get(objective=made)
    services.check_in(actor=admin, key_result=key_result, value=5)
    state = selectors.evaluate(Objective.objects.filter(pk=made.pk))
    assert state.results[made.pk].pacing != progress.NOT_STARTED  # judged from its check-in
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


# ---------------------------------------------------------------- close and score


@pytest.mark.usefixtures("demo")
def test_close_and_score_names_each_owner(demo: DemoResult, client: Client) -> None:
    org = demo.company
    admin = _admin(org)
    assert admin.user is not None
    client.force_login(admin.user)
    cycle = _cycle(org)
    text = client.get(f"/okrs/cycles/{cycle.pk}/close/").content.decode()
    copies = Objective.objects.filter(cycle=cycle, title="Crash-free sessions stay above 99.5%")
    assert copies.count() > 2
    for copy in copies.select_related("owner_person"):
        assert copy.owner_person is not None
        assert f"· {copy.owner_person.name}</span>" in text
        label = (
            f"Override score of Crash-free sessions from 99.1% to 99.6% ({copy.owner_person.name})"
        )
        assert label in text
    assert "· Platform</span>" in text  # a team's objective: the team's name


def test_closing_twice_is_told_not_failed(
    objective: Objective, admin: Person, web: Callable[[Person], Client]
) -> None:
    client = web(admin)
    url = f"/okrs/cycles/{objective.cycle_id}/close/"
    assert client.post(url, {"retrospective": "Done."}).status_code == 302
    again = client.post(url, {"retrospective": "Done."}, follow=True)
    assert again.status_code == 200
    assert "already closed" in again.content.decode()


def test_core_tree_helpers_still_find_the_root(org: Organisation) -> None:
    root = TeamFactory(organisation=org, name="Acme")
    TeamFactory(organisation=org, name="A", parent=root)
    tree = core_selectors.team_tree(org, with_leads=False)
    assert selectors.organisation_team_of(org) == root.pk
    assert tree[0].team.pk == root.pk


# ---------------------------------------------------------------- what a team holds


@dataclass
class _Owned:
    pk: int
    owner_kind: str
    owner_team_id: int | None
    owner_person_id: int | None


def _tree(parents: list[int]) -> list[core_selectors.TeamOutline]:
    """Team i + 1 under team parents[i] (0: under the root, team 0)."""
    nodes = [core_selectors.TeamOutline(team=core_selectors.TeamRow(0, "Org", None))]
    for i, parent in enumerate(parents):
        above = nodes[min(parent, i)]
        row = core_selectors.TeamRow(i + 1, f"T{i + 1}", above.team.pk)
        node = core_selectors.TeamOutline(team=row, depth=above.depth + 1)
        above.children.append(node)
        nodes.append(node)
    return [nodes[0]]


@given(
    parents=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=8),
    memberships=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 5)), max_size=20),
    owners=st.lists(
        st.one_of(
            st.tuples(st.just("team"), st.integers(0, 8)),
            st.tuples(st.just("person"), st.integers(0, 5)),
            st.tuples(st.just("organisation"), st.just(0)),
        ),
        max_size=25,
    ),
)
def test_a_team_holds_its_teams_objectives_each_once(
    parents: list[int], memberships: list[tuple[int, int]], owners: list[tuple[str, int]]
) -> None:
    tree = _tree(parents)
    teams = {n.team.pk for n in core_selectors.flatten(tree)}
    members: dict[int, set[int]] = {}
    for team, person in memberships:
        if team in teams:
            members.setdefault(team, set()).add(person)
    objectives = [
        _Owned(
            i,
            kind,
            who if kind == "team" else None,
            who if kind == "person" else None,
        )
        for i, (kind, who) in enumerate(owners)
        if kind != "team" or who in teams
    ]
    root = selectors.organisation_team(tree)
    inside = selectors.objectives_by_team(tree, members, objectives, root)
    someone = {p for people in members.values() for p in people}
    everything = {
        o.pk for o in objectives if o.owner_kind != "person" or o.owner_person_id in someone
    }
    assert inside[0] == everything  # the organisation's team holds every one, once
    for node in core_selectors.flatten(tree):
        own = {o.pk for o in objectives if o.owner_team_id == node.team.pk}
        mine = {o.pk for o in objectives if o.owner_person_id in members.get(node.team.pk, set())}
        assert own | mine <= inside[node.team.pk]
        for child in node.children:
            assert inside[child.team.pk] <= inside[node.team.pk]


def test_the_delete_page_counts_only_aligned_objectives_the_reader_may_see(
    objective: Objective,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    """'The 1 objective aligned with it' told a reader who may not see it that a private
    objective was aligned there."""
    owner = make_person(objective.organisation, Role.MEMBER)
    onlooker = make_person(objective.organisation, Role.MEMBER)
    hidden = ObjectiveFactory(
        cycle=objective.cycle, owner_person=owner, visibility=Objective.Visibility.PRIVATE
    )
    ObjectiveLink.objects.create(
        organisation=objective.organisation, child=hidden, parent=objective
    )
    assert selectors.deletion_impact(admin_actor, objective).aligned == 1
    assert selectors.deletion_impact(actor_of(owner), objective).aligned == 1
    assert selectors.deletion_impact(actor_of(onlooker), objective).aligned == 0


@pytest.mark.usefixtures("demo")
def test_home_and_dashboard_count_done_and_private_objectives_alike(demo: DemoResult) -> None:
    """The home page's team line counted only active objectives and every private one; the
    dashboard counts every status and only what its reader may see. One rule now."""
    org = demo.company
    cycle = _cycle(org)
    platform = Team.objects.get(organisation=org, name="Platform")
    colleague = Person.objects.get(organisation=org, email="manager@brightwater.example")
    done, private = ObjectiveFactory.create_batch(2, cycle=cycle, owner_person=colleague)
    Objective.objects.filter(pk=done.pk).update(status=Objective.Status.DONE)
    Objective.objects.filter(pk=private.pk).update(visibility=Objective.Visibility.PRIVATE)
    today = timezone.localdate()
    for email in ("manager@brightwater.example", "member@brightwater.example"):
        reader = _actor(Person.objects.get(organisation=org, email=email))
        rows = {r.team_id: r for r in selectors.dashboard(reader, cycle, today).teams}
        paced = selectors.team_pacing(reader, cycle.pk, today, [platform.pk])[platform.pk]
        assert sum(paced.values()) == rows[platform.pk].total, email
        assert {s: rows[platform.pk].counts[s] for s in paced} == paced, email
