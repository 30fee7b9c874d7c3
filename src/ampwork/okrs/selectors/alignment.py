"""The alignment tree: organisation → teams → people, with roll-ups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import Any, Protocol

import numpy as np
from django.db.models import Q
from django.utils import timezone

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation, TeamMembership
from ampwork.core.perf import gc_paused
from ampwork.core.permissions import Actor

from .. import columns, progress
from ..models import Cycle, Objective
from .evaluation import State
from .table import CycleTable, Groups, LazyRows, RowLoader, read_table, team_incidence
from .visibility import visible_objectives


@dataclass
class Branch:
    """A team in the alignment tree: its own objectives, its people's, and a roll-up."""

    team_id: int
    name: str
    depth: int
    objectives: Sequence[Any] = field(default_factory=list)  # Objective rows
    people: Mapping[int, Sequence[Any]] = field(default_factory=dict)
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
    organisation_objectives: Sequence[Any]
    branches: list[Branch]
    people_names: Mapping[int, str]
    expected: float
    teams: list[core_selectors.TeamOutline]  # every team of the organisation, in tree order


def organisation_team(tree: list[core_selectors.TeamOutline]) -> int | None:
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
    tree: list[core_selectors.TeamOutline],
    members: dict[int, list[int]] | dict[int, set[int]],
    objectives: Iterable[Owned],
    root: int | None = None,
) -> dict[int, set[int]]:
    """The objectives in each team, each counted once: those the team owns, those its
    members own, and every one in the teams inside it; the team that is the organisation
    itself (``root``, :func:`organisation_team` of the whole tree) also holds the
    organisation's own objectives. The
    alignment tree, the cycle dashboard and the home page all count a team this way (over
    arrays: :func:`.table.team_incidence`, tested equal to this one)."""
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

    def collect(node: core_selectors.TeamOutline) -> set[int]:
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


def alignment(
    actor: Actor, cycle: Cycle, team_id: int | None = None, today: dt.date | None = None
) -> Alignment:
    with gc_paused():  # an object per objective: see core.perf.gc_paused
        return _alignment(actor, cycle, team_id, today)


def _alignment(actor: Actor, cycle: Cycle, team_id: int | None, today: dt.date | None) -> Alignment:
    """Organisation → teams → people, each with its objectives, roll-up progress and status.

    A team's roll-up is the mean progress of every objective in it, each once: its own, its
    members', and those of the teams inside it (:func:`objectives_by_team`); its pacing is
    judged on its started objectives (:func:`ampwork.okrs.progress.team_rollup`). Worked
    out over the cycle's objectives as columns (:mod:`.table`, :mod:`ampwork.okrs.columns`):
    the same numbers, to the bit; titles and owners' names are read only for the
    objectives the page shows (:func:`open_branches`).
    """
    org = actor.organisation
    day = today or timezone.localdate()
    tree = core_selectors.team_outline(org)
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
    table = read_table(scope, cycle.start, cycle.end, day)
    loader = table.rows
    results = table.results()
    state = State(LazyRows(loader, table.ids.tolist()), {}, {}, results, {}, {}, {}, table.today)
    by_person = Groups(table.ids, table.person)
    by_team = Groups(table.ids, table.team)
    top = table.ids[np.isnan(table.person) & np.isnan(table.team)].tolist()
    rollups = _rollups(tree, members, table, root)
    expected = progress.expected_progress(cycle.start, cycle.end, table.today)

    def grow(node: core_selectors.TeamOutline) -> Branch:
        pk = node.team.pk
        own = by_team.rows(loader, pk)
        branch = Branch(
            team_id=pk,
            name=node.team.name,
            depth=node.depth,
            objectives=LazyRows(loader, top + own.ids) if pk == root else own,
            people=_People(members.get(pk, []), by_person, loader),
            organisation=pk == root,
        )
        branch.children = [grow(child) for child in node.children]  # noqa: F821 (as collect)
        branch.count, branch.rollup, branch.status = rollups[pk]
        return branch

    branches = [b for b in (grow(n) for n in tree) if b.count or team_id is not None]
    del grow  # a recursive closure is a reference cycle: free what it holds now
    # the organisation's own objectives: in the team that is the organisation, when there
    # is one; otherwise above the teams
    shown_top = LazyRows(loader, top) if team_id is None and root is None else LazyRows(loader, [])
    loader.want(shown_top.ids)
    names = _Names(by_person, loader)
    return Alignment(state, cycle, shown_top, branches, names, expected, every_team)


def _rollups(
    tree: list[core_selectors.TeamOutline],
    members: dict[int, list[int]],
    table: CycleTable,
    root: int | None,
) -> dict[int, tuple[int, float | None, str]]:
    """Each team's count of objectives, roll-up and pacing
    (:func:`ampwork.okrs.progress.team_rollup` of the objectives in it): the sums run in
    the order of the objectives' ids, as ``team_rollup``'s; a judged mean within NEAR of a
    line is decided exactly."""
    teams = team_incidence(tree, members, table, root)
    sums, counts = columns.team_sums(teams.team, table.shown[teams.objective], teams.size)
    judged, started = columns.team_sums(teams.team, table.judged[teams.objective], teams.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        shown = sums / counts
        means = np.where(started > 0, judged / np.maximum(started, 1), np.nan)
    on, off = table.pace.lines
    codes, undecided = columns.pacing_codes(means, on, off, table.pace.before)
    bounds = np.searchsorted(teams.team, np.arange(teams.size + 1))
    out: dict[int, tuple[int, float | None, str]] = {}
    for i, pk in enumerate(teams.order):
        n = int(counts[i])
        if not n:
            out[pk] = (0, None, progress.NOT_STARTED)
            continue
        status = columns.STATUSES[codes[i]]
        if undecided[i]:
            inside = teams.objective[bounds[i] : bounds[i + 1]]
            inside = inside[~np.isnan(table.judged[inside])]
            exact = partial(_mean_exact, table, inside.tolist())
            status = table.pace.status(progress.Explained(float(means[i]), "mean judged", exact))
        out[pk] = (n, float(shown[i]), status)
    return out


def _mean_exact(table: CycleTable, indexes: list[int]) -> Fraction:
    return Fraction(sum(table.judged_exact(i) for i in indexes)) / len(indexes)


class _People(Mapping[int, LazyRows]):
    """A branch's people with objectives, each with theirs (in the order of the team's
    members): worked out when the page first reads them."""

    def __init__(self, members: list[int], groups: Groups, loader: RowLoader) -> None:
        self._members, self._groups, self._loader = members, groups, loader
        self._found: dict[int, LazyRows] | None = None

    def _all(self) -> dict[int, LazyRows]:
        if self._found is None:
            self._found = {
                p: self._groups.rows(self._loader, p) for p in self._members if p in self._groups
            }
        return self._found

    def __getitem__(self, person: int) -> LazyRows:
        return self._all()[person]

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class _Names(Mapping[int, str]):
    """The names of the people who own objectives, read with their objectives' rows."""

    def __init__(self, groups: Groups, loader: RowLoader) -> None:
        self._groups, self._loader = groups, loader

    def __getitem__(self, person: int) -> str:
        ids = self._groups.ids(person)
        if not ids:
            raise KeyError(person)
        return str(self._loader.row(ids[0]).owner_name)

    def __iter__(self) -> Iterator[int]:
        return iter(self._groups.keys())

    def __len__(self) -> int:
        return len(self._groups)


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
    _read_shown(branches)


def _read_shown(branches: list[Branch]) -> None:
    """Read the rows of the objectives the open branches list, in one query."""
    lists: list[LazyRows] = []
    level = list(branches)
    while level:
        below: list[Branch] = []
        for branch in level:
            if branch.opened:
                shown = (branch.objectives, *branch.people.values())
                lists += [x for x in shown if isinstance(x, LazyRows)]
                below += branch.shown_children
        level = below
    if lists:
        lists[0].loader.load([pk for found in lists for pk in found.ids])


def _find(
    nodes: list[core_selectors.TeamOutline], team_id: int
) -> core_selectors.TeamOutline | None:
    for node in core_selectors.flatten(nodes):
        if node.team.pk == team_id:
            return node
    return None
