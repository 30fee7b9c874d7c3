"""Reads for OKRs: visible objectives, evaluated cycles, the alignment tree, the dashboard.

Each function runs a fixed number of queries whatever the size of the organisation; the
maths runs in :mod:`.progress` over plain values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, TeamMembership
from ampwork.core.perf import gc_paused
from ampwork.core.permissions import Actor, can

from . import progress
from .models import CheckIn, Cycle, KeyResult, Milestone, Objective, ObjectiveLink

STATUSES = [progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK, progress.NOT_STARTED]


# ---------------------------------------------------------------- cycles


def cycles(org: Organisation) -> QuerySet[Cycle]:
    return Cycle.objects.filter(organisation=org).order_by("-start", "-id")


def get_cycle(org: Organisation, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(organisation=org, pk=pk).first()
    if cycle is None:
        raise NotFound("no such cycle")
    return cycle


def current_cycle(org: Organisation, today: dt.date | None = None) -> Cycle | None:
    """The open cycle that contains today, else the latest open one, else the latest."""
    today = today or timezone.localdate()
    rows = list(cycles(org)[:50])
    for cycle in rows:
        if cycle.is_open and cycle.start <= today <= cycle.end:
            return cycle
    return next((c for c in rows if c.is_open), rows[0] if rows else None)


# ---------------------------------------------------------------- visibility


def visible_objectives(actor: Actor) -> QuerySet[Objective]:
    """Objectives the actor may see: shared ones, and private ones they have a stake in."""
    qs = Objective.objects.filter(organisation=actor.organisation)
    if can(actor, "objectives.view_private"):
        return qs
    me = actor.person
    shared = Q(visibility=Objective.Visibility.ORGANISATION)
    if me is None:
        return qs.filter(shared)
    reports = core_selectors.reports_of(me)
    return qs.filter(
        shared
        | Q(owner_person=me)
        | Q(author=me)
        | Q(owner_person_id__in=reports)
        | Q(owner_team_id__in=core_selectors.led_teams(me))
    )


def get_objective(actor: Actor, pk: int) -> Objective:
    objective = (
        visible_objectives(actor)
        .filter(pk=pk)
        .select_related("cycle", "owner_person", "owner_team", "author")
        .first()
    )
    if objective is None:
        raise NotFound("no such objective")
    return objective


def get_key_result(actor: Actor, pk: int) -> KeyResult:
    key_result = (
        KeyResult.objects.filter(objective__in=visible_objectives(actor), pk=pk)
        .select_related("objective__cycle", "owner")
        .first()
    )
    if key_result is None:
        raise NotFound("no such key result")
    return key_result


def may_see(actor: Actor, objective: Objective | None) -> bool:
    """Whether the actor may see this (already loaded) objective: the rule of
    :func:`visible_objectives` for one object, with no query unless it is private."""
    if objective is None or objective.organisation_id != actor.organisation.pk:
        return False
    if objective.visibility == Objective.Visibility.ORGANISATION:
        return True
    return can(actor, "objectives.view_private", objective)


def only_visible(actor: Actor, objectives: Any) -> list[Objective]:
    """The objectives (already loaded, e.g. prefetched) that the actor may see."""
    return [o for o in objectives if may_see(actor, o)]


def hide_unseen(actor: Actor, rows: list[Any]) -> list[Any]:
    """Blank the ``objective`` and ``key_result`` a record points to where the reader may
    not see them, so a private objective's title never reaches a page or the API. Load
    the rows with ``select_related("objective", "key_result__objective")``."""
    for row in rows:
        if row.objective_id is not None and not may_see(actor, row.objective):
            row.objective = None
        if row.key_result_id is not None and not may_see(actor, row.key_result.objective):
            row.key_result = None
    return rows


def seen_links(actor: Actor, links: Sequence[ObjectiveLink]) -> list[ObjectiveLink]:
    """The alignment links whose both ends the reader may see: a private objective aligned
    with a shared one shows neither its title nor its id to anyone else. Load the links
    with ``select_related("parent", "child")`` (as :func:`evaluate` does)."""
    return [link for link in links if may_see(actor, link.parent) and may_see(actor, link.child)]


def referenced(
    actor: Actor, objective_id: int | None = None, key_result_id: int | None = None
) -> tuple[Objective | None, KeyResult | None]:
    """The objective and key result another record points to, among those the writer may
    see: a ValidationFailed naming the field when one is not there. A private objective
    the writer may not see (or its key results) answers exactly as a missing one, so a
    reference can neither leak nor probe it."""
    objectives, key_results = referenced_many(
        actor,
        [objective_id] if objective_id is not None else [],
        [key_result_id] if key_result_id is not None else [],
        fields=("objective_id", "key_result_id"),
    )
    return (objectives[0] if objectives else None, key_results[0] if key_results else None)


def referenced_many(
    actor: Actor,
    objective_ids: Sequence[int],
    key_result_ids: Sequence[int] = (),
    *,
    fields: tuple[str, str] = ("objective_ids", "key_result_ids"),
) -> tuple[list[Objective], list[KeyResult]]:
    """Several references at once, in the order given, checked as :func:`referenced`."""
    visible = visible_objectives(actor)
    objectives: list[Objective] = []
    if objective_ids:
        found = {o.pk: o for o in visible.filter(pk__in=set(objective_ids))}
        for pk in dict.fromkeys(objective_ids):
            if pk not in found:
                raise ValidationFailed.single(fields[0], f"no objective {pk}")
            objectives.append(found[pk])
    key_results: list[KeyResult] = []
    if key_result_ids:
        found_krs = {
            k.pk: k
            for k in KeyResult.objects.filter(
                organisation=actor.organisation, objective__in=visible, pk__in=set(key_result_ids)
            )
        }
        for pk in dict.fromkeys(key_result_ids):
            if pk not in found_krs:
                raise ValidationFailed.single(fields[1], f"no key result {pk}")
            key_results.append(found_krs[pk])
    return objectives, key_results


def open_objectives_of(person: Person) -> list[Objective]:
    """A person's own objectives in cycles not yet closed: what their own work (a project,
    a learning goal) can serve."""
    return list(
        Objective.objects.filter(owner_person=person)
        .exclude(cycle__status=Cycle.Status.CLOSED)
        .order_by("title")[:50]
    )


# ---------------------------------------------------------------- evaluation


@dataclass
class State:
    """A set of objectives with their key results, links and computed numbers.

    ``key_results`` holds model rows for display (only when evaluated with ``detail``);
    ``inputs`` holds every key result's plain values, always.
    """

    objectives: list[Any]  # Objective models (detail) or ObjectiveRow (whole cycles)
    key_results: dict[int, list[KeyResult]]
    inputs: dict[int, list[progress.KRInput]]
    results: dict[int, progress.ObjectiveResult]
    kr_results: dict[int, progress.KRResult]
    parents: dict[int, list[ObjectiveLink]]
    children: dict[int, list[ObjectiveLink]]
    today: dt.date

    def objective(self, pk: int) -> Objective | None:
        return next((o for o in self.objectives if o.pk == pk), None)


class ObjectiveRow:
    """An objective's fields that lists of whole cycles show, without a model instance."""

    # (attribute, values_list() lookup), in the order the query returns them
    FIELDS = (
        ("id", "id"),
        ("title", "title"),
        ("kind", "kind"),
        ("visibility", "visibility"),
        ("status", "status"),
        ("owner_kind", "owner_kind"),
        ("owner_person_id", "owner_person_id"),
        ("owner_team_id", "owner_team_id"),
        ("owner_name", "owner_person__name"),
        ("cycle_id", "cycle_id"),
        ("start", "cycle__start"),
        ("end", "cycle__end"),
    )
    LOOKUPS = tuple(lookup for _, lookup in FIELDS)
    __slots__ = tuple(name for name, _ in FIELDS)
    id: int
    owner_person_id: int | None
    owner_name: str | None
    start: dt.date
    end: dt.date

    def __init__(self, *values: Any) -> None:
        for (name, _), value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id


KR_VALUES = (
    "id",
    "objective_id",
    "kind",
    "start",
    "target",
    "current",
    "done",
    "low",
    "high",
    "weight",
    "last_check_in",
    "created_at",
    "score",
)


def evaluate(
    objectives: QuerySet[Objective], today: dt.date | None = None, *, detail: bool = True
) -> State:
    with gc_paused():
        return _evaluate(objectives, today, detail=detail)


def _evaluate(
    objectives: QuerySet[Objective], today: dt.date | None = None, *, detail: bool = True
) -> State:
    """Evaluate a set of objectives in a fixed number of queries, plus one per level of
    alignment below them.

    The maths reads plain values (no model rows for key results unless ``detail``), so a
    cycle of 100,000 key results stays cheap. A parent's progress counts its contributing
    children, so those are included too (even when they are not in the set, or not visible
    to the reader): everyone sees the same number for the same objective.
    ``State.objectives`` holds only the requested set.
    """
    today = today or timezone.localdate()
    ids = objectives.values("id")
    rows: list[Any]
    if detail:
        rows = list(objectives.select_related("cycle", "owner_person", "owner_team").order_by("id"))
        windows = [progress.ObjectiveInput(o.pk, o.cycle.start, o.cycle.end) for o in rows]
    else:  # whole cycles: plain rows, not model instances
        rows = [
            ObjectiveRow(*values)
            for values in objectives.order_by("id").values_list(*ObjectiveRow.LOOKUPS)
        ]
        windows = [progress.ObjectiveInput(o.id, o.start, o.end) for o in rows]
    extra = _contributing_below({o.pk for o in rows}, ids)
    if extra:
        windows += [
            progress.ObjectiveInput(pk, start, end)
            for pk, start, end in Objective.objects.filter(pk__in=extra).values_list(
                "id", "cycle__start", "cycle__end"
            )
        ]
    in_scope = Q(objective__in=ids) | Q(objective_id__in=extra)
    milestones = milestones_of(KeyResult.objects.filter(in_scope).values("id"))
    query = KeyResult.objects.filter(in_scope).order_by("objective_id", "position", "id")
    inputs = [kr_input_row(row, milestones) for row in query.values_list(*KR_VALUES)]
    around = ObjectiveLink.objects.filter(Q(child__in=ids) | Q(parent__in=ids))
    links = list(around.select_related("parent", "child")) if detail else []
    contributes = set(
        around.filter(kind=ObjectiveLink.Kind.CONTRIBUTES).values_list("child_id", "parent_id")
    )
    if extra:
        contributes |= set(
            ObjectiveLink.objects.filter(
                child_id__in=extra, kind=ObjectiveLink.Kind.CONTRIBUTES
            ).values_list("child_id", "parent_id")
        )
    results, kr_results = progress.evaluate(windows, inputs, sorted(contributes), today)
    inputs_of: dict[int, list[progress.KRInput]] = defaultdict(list)
    for kr_input in inputs:
        inputs_of[kr_input.objective_id].append(kr_input)
    krs_of: dict[int, list[KeyResult]] = defaultdict(list)
    if detail:
        for kr in (
            KeyResult.objects.filter(objective__in=ids)
            .select_related("owner")
            .prefetch_related("milestones")
            .order_by("objective_id", "position", "id")
        ):
            krs_of[kr.objective_id].append(kr)
    parents: dict[int, list[ObjectiveLink]] = defaultdict(list)
    children: dict[int, list[ObjectiveLink]] = defaultdict(list)
    for link in links:
        parents[link.child_id].append(link)
        children[link.parent_id].append(link)
    return State(rows, krs_of, inputs_of, results, kr_results, parents, children, today)


def milestones_of(key_results: Any) -> dict[int, list[tuple[float, bool]]]:
    """Each key result's milestones as (weight, done), in order: one query. ``key_results``
    is a list of ids or a query of them."""
    milestones: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for kr_id, weight, done in (
        Milestone.objects.filter(key_result__in=key_results)
        .order_by("position", "id")
        .values_list("key_result_id", "weight", "done")
    ):
        milestones[kr_id].append((weight, done))
    return milestones


def kr_input_row(
    row: tuple[Any, ...], milestones: dict[int, list[tuple[float, bool]]]
) -> progress.KRInput:
    """A key result's plain input from a row of :data:`KR_VALUES` (and its milestones)."""
    pk, oid, kind, start, target, current, done, low, high, weight, last, created, score = row
    return progress.KRInput(
        id=pk,
        objective_id=oid,
        kind=kind,
        start=start,
        target=target,
        current=current,
        done=done,
        low=low,
        high=high,
        weight=weight,
        milestones=tuple(milestones.get(pk, ())),
        last_check_in=last,
        created=timezone.localdate(created),
        score=score,
    )


def _contributing_below(have: set[int], ids: QuerySet[Objective] | Any) -> set[int]:
    """Objectives that contribute (directly or not) to the set but are not in it."""
    extra: set[int] = set()
    frontier: Any = ids
    for _ in range(20):  # alignment is rarely more than four levels deep
        children = (
            set(
                ObjectiveLink.objects.filter(
                    parent_id__in=frontier, kind=ObjectiveLink.Kind.CONTRIBUTES
                ).values_list("child_id", flat=True)
            )
            - have
            - extra
        )
        if not children:
            break
        extra |= children
        frontier = list(children)
    return extra


@dataclass
class Detail:
    state: State
    objective: Objective
    check_ins: dict[int, list[CheckIn]]


def objective_detail(actor: Actor, pk: int) -> Detail:
    objective = get_objective(actor, pk)
    linked = ObjectiveLink.objects.filter(Q(child=objective) | Q(parent=objective))
    ids = (
        {objective.pk}
        | set(linked.values_list("child_id", flat=True))
        | set(linked.values_list("parent_id", flat=True))
    )
    state = evaluate(visible_objectives(actor).filter(pk__in=ids))
    history: dict[int, list[CheckIn]] = defaultdict(list)
    for entry in (
        CheckIn.objects.filter(key_result__objective=objective)
        .select_related("author")
        .order_by("date", "id")
    ):
        history[entry.key_result_id].append(entry)
    return Detail(state, objective, history)


# ---------------------------------------------------------------- my check-in


def my_check_in(actor: Actor, today: dt.date | None = None) -> State:
    """The key results the actor checks in on: those they own, and all of the objectives
    they own. (An objective's other key results stay in its progress, not in the list.)"""
    me = actor.person
    mine = Objective.objects.filter(
        organisation=actor.organisation, cycle__status="open", status=Objective.Status.ACTIVE
    )
    if me is None:
        return evaluate(mine.none(), today)
    # a subquery, not a join with DISTINCT: PostgreSQL planned the join-with-OR nested inside
    # evaluate()'s own subqueries as a minutes-long scan
    owns_a_kr = KeyResult.objects.filter(owner=me).values("objective_id")
    state = evaluate(mine.filter(Q(owner_person=me) | Q(pk__in=owns_a_kr)), today)
    for objective in state.objectives:
        if objective.owner_person_id != me.pk:
            state.key_results[objective.pk] = [
                kr for kr in state.key_results.get(objective.pk, []) if kr.owner_id == me.pk
            ]
    return state


# ---------------------------------------------------------------- alignment tree


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


# ---------------------------------------------------------------- cycle dashboard


@dataclass
class TeamRow:
    team_id: int
    name: str
    counts: dict[str, int]
    total: int


@dataclass
class Dashboard:
    cycle: Cycle
    state: State
    teams: list[TeamRow]
    totals: dict[str, int]
    scores: list[float]
    scored: bool
    stale: list[KeyResult]
    stale_count: int
    without_key_results: list[Objective]


def dashboard(actor: Actor, cycle: Cycle, today: dt.date | None = None) -> Dashboard:
    """Pacing per team, the score distribution, stale key results, objectives without any.

    A team's row counts the objectives it owns and those of its direct members.
    """
    org = actor.organisation
    state = evaluate(visible_objectives(actor).filter(cycle=cycle), today, detail=False)
    teams_of: dict[int, set[int]] = defaultdict(set)
    for person_id, team_id in TeamMembership.objects.filter(organisation=org).values_list(
        "person_id", "team_id"
    ):
        teams_of[person_id].add(team_id)
    names = dict(core_selectors.teams(org).values_list("id", "name"))
    per_team: dict[int, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for o in state.objectives:
        status = state.results[o.pk].pacing
        totals[status] += 1
        if o.owner_kind == Objective.OwnerKind.TEAM and o.owner_team_id is not None:
            owner_teams = {o.owner_team_id}
        else:
            owner_teams = teams_of.get(o.owner_person_id or 0, set())
        for team_id in owner_teams:
            per_team[team_id][status] += 1
    rows = sorted(
        (
            TeamRow(t, names.get(t, "?"), {s: c[s] for s in STATUSES}, sum(c.values()))
            for t, c in per_team.items()
        ),
        key=lambda r: (-(r.counts[progress.OFF_TRACK] + r.counts[progress.AT_RISK]), r.name),
    )
    scored = not cycle.is_open
    scores = []
    stale_ids: list[int] = []
    for o in state.objectives:
        for kr in state.inputs.get(o.pk, []):
            result = state.kr_results[kr.id]
            scores.append(
                kr.score
                if scored and kr.score is not None
                else progress.round_score(result.progress)
            )
            if result.stale and o.status == Objective.Status.ACTIVE:
                stale_ids.append(kr.id)
    stale = list(
        KeyResult.objects.filter(pk__in=stale_ids[:50])
        .select_related("owner")
        .order_by("last_check_in", "id")
    )
    without = [
        o
        for o in state.objectives
        if not state.inputs.get(o.pk) and o.status == Objective.Status.ACTIVE
    ]
    return Dashboard(
        cycle,
        state,
        rows,
        {s: totals[s] for s in STATUSES},
        scores,
        scored,
        stale,
        len(stale_ids),
        without,
    )


def owner_warnings(state: State) -> dict[int, list[str]]:
    """Doerr's count warnings per person who owns objectives in the state."""
    objectives_of: dict[int, list[Objective]] = defaultdict(list)
    for o in state.objectives:
        if o.owner_person_id is not None and o.status == Objective.Status.ACTIVE:
            objectives_of[o.owner_person_id].append(o)
    return {
        person: warnings
        for person, objs in objectives_of.items()
        if (
            warnings := progress.count_warnings(
                len(objs), [len(state.key_results.get(o.pk, [])) for o in objs]
            )
        )
    }
