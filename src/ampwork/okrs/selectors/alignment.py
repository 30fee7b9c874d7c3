"""The alignment tree: organisation → teams → people, with roll-ups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Q

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation, TeamMembership
from ampwork.core.perf import gc_paused
from ampwork.core.permissions import Actor

from .. import progress
from ..models import Cycle, Objective
from .evaluation import State, evaluate
from .visibility import visible_objectives


@dataclass
class Branch:
    """A team in the alignment tree: its own objectives, its people's, and a roll-up."""

    team_id: int
    name: str
    depth: int
    objectives: list[Objective] = field(default_factory=list)
    people: dict[int, list[Objective]] = field(default_factory=dict)
    children: list[Branch] = field(default_factory=list)
    rollup: float | None = None
    status: str = progress.NOT_STARTED
    count: int = 0  # distinct objectives in it: :func:`objectives_by_team`
    organisation: bool = False  # the single root team that is the organisation itself
    opened: bool = False  # shown open on the page (:func:`open_branches`)

    @property
    def shown_children(self) -> list[Branch]:
        return [c for c in self.children if c.count]

    @property
    def listed(self) -> int:
        """Objectives listed directly in the branch (its own and its people's)."""
        return len(self.objectives) + sum(len(v) for v in self.people.values())


@dataclass
class Alignment:
    state: State
    cycle: Cycle
    organisation_objectives: list[Objective]
    branches: list[Branch]
    people_names: dict[int, str]
    expected: float
    teams: list[core_selectors.TeamNode]  # every team of the organisation, in tree order


def organisation_team(tree: list[core_selectors.TeamNode]) -> int | None:
    """The team that is the organisation itself: a single root team with teams under it
    (as in the demo's Brightwater Labs). Shown once, as the organisation — never beside it."""
    if len(tree) == 1 and tree[0].children:
        return tree[0].team.pk
    return None


def organisation_team_of(org: Organisation) -> int | None:
    """:func:`organisation_team` in two queries at most, without building the tree."""
    roots = list(
        core_selectors.teams(org).filter(parent__isnull=True).values_list("id", flat=True)[:2]
    )
    if len(roots) == 1 and core_selectors.teams(org).filter(parent_id=roots[0]).exists():
        return roots[0]
    return None


class Owned(Protocol):
    pk: int
    owner_kind: str
    owner_team_id: int | None
    owner_person_id: int | None


def objectives_by_team(
    tree: list[core_selectors.TeamNode],
    members: dict[int, list[int]] | dict[int, set[int]],
    objectives: Iterable[Owned],
    root: int | None = None,
) -> dict[int, set[int]]:
    """The objectives in each team, each counted once: those the team owns, those its
    members own, and every one in the teams inside it; the team that is the organisation
    itself (``root``, :func:`organisation_team` of the whole tree) also holds the
    organisation's own objectives. The
    alignment tree, the cycle dashboard and the home page all count a team this way."""
    by_team: dict[int, set[int]] = defaultdict(set)
    by_person: dict[int, set[int]] = defaultdict(set)
    top: set[int] = set()
    for o in objectives:
        if o.owner_kind == Objective.OwnerKind.PERSON and o.owner_person_id is not None:
            by_person[o.owner_person_id].add(o.pk)
        elif o.owner_kind == Objective.OwnerKind.TEAM and o.owner_team_id is not None:
            by_team[o.owner_team_id].add(o.pk)
        else:
            top.add(o.pk)
    out: dict[int, set[int]] = {}

    def collect(node: core_selectors.TeamNode) -> set[int]:
        found = set(by_team.get(node.team.pk, ()))
        for person in members.get(node.team.pk, ()):
            found |= by_person.get(person, set())
        for child in node.children:
            found |= collect(child)  # noqa: F821 (deleted once the tree is done)
        if node.team.pk == root:
            found |= top
        out[node.team.pk] = found
        return found

    for node in tree:
        collect(node)
    del collect  # a recursive closure is a reference cycle: free what it holds now
    return out


def active_members(org: Organisation) -> dict[int, list[int]]:
    """Each team's active members (people ids). One query."""
    members: dict[int, list[int]] = defaultdict(list)
    for person_id, team in TeamMembership.objects.filter(
        organisation=org, person__active=True
    ).values_list("person_id", "team_id"):
        members[team].append(person_id)
    return members


def team_objectives(org: Organisation, objectives: Iterable[Owned]) -> dict[int, set[int]]:
    """:func:`objectives_by_team` of the organisation's whole tree. Three queries."""
    tree = core_selectors.team_tree(org, with_leads=False)
    return objectives_by_team(tree, active_members(org), objectives, organisation_team(tree))


def alignment(
    actor: Actor, cycle: Cycle, team_id: int | None = None, today: dt.date | None = None
) -> Alignment:
    with gc_paused():  # an object per objective: see core.perf.gc_paused
        return _alignment(actor, cycle, team_id, today)


def _alignment(actor: Actor, cycle: Cycle, team_id: int | None, today: dt.date | None) -> Alignment:
    """Organisation → teams → people, each with its objectives, roll-up progress and status.

    A team's roll-up is the mean progress of every objective in it, each once: its own, its
    members', and those of the teams inside it (:func:`objectives_by_team`); its pacing is
    judged on its started objectives (:func:`ampwork.okrs.progress.team_rollup`).
    """
    org = actor.organisation
    tree = core_selectors.team_tree(org, with_leads=False)
    every_team = core_selectors.flatten(tree)
    root = organisation_team(tree)
    members = active_members(org)
    scope = visible_objectives(actor).filter(cycle=cycle)
    if team_id is not None:
        found = _find(tree, team_id)
        tree = [found] if found else []
        teams = {n.team.pk for n in core_selectors.flatten(tree)}
        people = {p for t in teams for p in members.get(t, [])}
        mine = Q(owner_team_id__in=teams) | Q(owner_person_id__in=people)
        if team_id == root:
            mine |= Q(owner_kind=Objective.OwnerKind.ORGANISATION)
        scope = scope.filter(mine)
    state = evaluate(scope, today, detail=False)
    by_person: dict[int, list[Objective]] = defaultdict(list)
    by_team: dict[int, list[Objective]] = defaultdict(list)
    top: list[Objective] = []
    names: dict[int, str] = {}
    for o in state.objectives:
        if o.owner_kind == Objective.OwnerKind.PERSON and o.owner_person_id is not None:
            by_person[o.owner_person_id].append(o)
            names[o.owner_person_id] = o.owner_name
        elif o.owner_kind == Objective.OwnerKind.TEAM:
            by_team[o.owner_team_id].append(o)
        else:
            top.append(o)
    expected = progress.expected_progress(cycle.start, cycle.end, state.today)
    pace = progress.Pace(cycle.start, cycle.end, state.today)
    inside = objectives_by_team(tree, members, state.objectives, root)

    def grow(node: core_selectors.TeamNode) -> Branch:
        own = by_team.get(node.team.pk, [])
        branch = Branch(
            team_id=node.team.pk,
            name=node.team.name,
            depth=node.depth,
            objectives=(top + own) if node.team.pk == root else own,
            people={p: by_person[p] for p in members.get(node.team.pk, []) if p in by_person},
            organisation=node.team.pk == root,
        )
        branch.children = [grow(child) for child in node.children]  # noqa: F821 (as collect)
        ids = sorted(inside.get(node.team.pk, ()))
        branch.count = len(ids)
        shown, branch.status = progress.team_rollup(
            [state.results[i] for i in ids], cycle.start, cycle.end, state.today, pace
        )
        branch.rollup = shown.value if shown is not None else None
        return branch

    branches = [b for b in (grow(n) for n in tree) if b.count or team_id is not None]
    del grow  # a recursive closure is a reference cycle: free what it holds now
    # the organisation's own objectives: in the team that is the organisation, when there
    # is one; otherwise above the teams
    shown_top = top if team_id is None and root is None else []
    return Alignment(state, cycle, shown_top, branches, names, expected, every_team)


# The tree page opens its first two levels by itself, within a budget: a branch opens only
# when it lists at most OPEN_AT_MOST objectives and its teams fit in SHOWN_AT_MOST teams
# shown in all (at 10,000 people two open levels were 1,494 teams and 1.4 MB); the rest load
# when opened.
OPEN_AT_MOST = 60
SHOWN_AT_MOST = 100


def open_branches(branches: list[Branch], depth: int, at_most: int | None = OPEN_AT_MOST) -> None:
    """Mark which branches above ``depth`` the page shows open, level by level, within the
    budget above; with ``at_most`` None (a team the reader asked for), open them whatever
    their size."""
    shown = len(branches)
    level = list(branches)
    while level:
        below: list[Branch] = []
        for branch in level:
            children = branch.shown_children
            branch.opened = branch.depth < depth and (
                at_most is None
                or (branch.listed <= at_most and shown + len(children) <= SHOWN_AT_MOST)
            )
            if branch.opened:
                shown += len(children)
                below += children
        level = below


def _find(nodes: list[core_selectors.TeamNode], team_id: int) -> core_selectors.TeamNode | None:
    for node in core_selectors.flatten(nodes):
        if node.team.pk == team_id:
            return node
    return None
