"""The alignment tree: organisation → teams → people, with roll-ups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial

from django.db.models import Q

from ampwork.core import selectors as core_selectors
from ampwork.core.models import TeamMembership
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
    count: int = 0


@dataclass
class Alignment:
    state: State
    cycle: Cycle
    organisation_objectives: list[Objective]
    branches: list[Branch]
    people_names: dict[int, str]
    expected: float


def alignment(
    actor: Actor, cycle: Cycle, team_id: int | None = None, today: dt.date | None = None
) -> Alignment:
    """Organisation → teams → people, each with its objectives, roll-up progress and status.

    A team's roll-up is the mean progress of every objective in it: its own, its members',
    and those of the teams inside it.
    """
    org = actor.organisation
    tree = core_selectors.team_tree(org, with_leads=False)
    members: dict[int, list[int]] = defaultdict(list)
    for person_id, team in TeamMembership.objects.filter(
        organisation=org, person__active=True
    ).values_list("person_id", "team_id"):
        members[team].append(person_id)
    scope = visible_objectives(actor).filter(cycle=cycle)
    if team_id is not None:
        found = _find(tree, team_id)
        tree = [found] if found else []
        teams = {n.team.pk for n in core_selectors.flatten(tree)}
        people = {p for t in teams for p in members.get(t, [])}
        scope = scope.filter(Q(owner_team_id__in=teams) | Q(owner_person_id__in=people))
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

    def grow(node: core_selectors.TeamNode) -> Branch:
        branch = Branch(
            team_id=node.team.pk,
            name=node.team.name,
            depth=node.depth,
            objectives=by_team.get(node.team.pk, []),
            people={p: by_person[p] for p in members.get(node.team.pk, []) if p in by_person},
        )
        branch.children = [grow(child) for child in node.children]
        values = [state.results[o.pk].progress for o in branch.objectives]
        values += [state.results[o.pk].progress for objs in branch.people.values() for o in objs]
        own[node.team.pk] = values
        total = sum(v.value for v in values)
        total += sum((c.rollup or 0) * c.count for c in branch.children)
        branch.count = len(values) + sum(c.count for c in branch.children)
        if branch.count:
            branch.rollup = total / branch.count
            rollup = progress.Explained(
                branch.rollup, "", partial(exact_total, branch, Fraction(branch.count))
            )
            branch.status, _ = progress.pacing(rollup, cycle.start, cycle.end, state.today)
        return branch

    own: dict[int, list[progress.Explained]] = {}

    def exact_total(branch: Branch, count: Fraction = Fraction(1)) -> Fraction:
        """The exact sum of every objective's progress in a branch (÷ count): pacing
        asks only when the float roll-up is within a hair of a boundary."""
        total = sum((v.exact() for v in own[branch.team_id]), Fraction(0))
        total += sum((exact_total(c) for c in branch.children), Fraction(0))
        return total / count

    branches = [b for b in (grow(n) for n in tree) if b.count or team_id is not None]
    return Alignment(state, cycle, top if team_id is None else [], branches, names, expected)


def _find(nodes: list[core_selectors.TeamNode], team_id: int) -> core_selectors.TeamNode | None:
    for node in core_selectors.flatten(nodes):
        if node.team.pk == team_id:
            return node
    return None
