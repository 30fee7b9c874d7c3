"""OKRs' front door for other apps: what they may read about cycles, objectives and key
results, as plain values (frozen dataclasses and dicts of ids), never querysets or model
instances. Each function runs a fixed number of queries whatever the size of the
organisation, and each derived number (staleness, pacing) comes from the same rule the OKR
pages apply (:mod:`ampwork.okrs.progress`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation
from ampwork.core.permissions import Actor

from .. import columns, progress
from ..models import CheckIn, Cycle, KeyResult, Objective
from .alignment import active_members, organisation_team
from .cycles import current_cycle
from .evaluation import KR_VALUES, evaluate, kr_input_row, milestones_of
from .table import read_table, team_incidence
from .visibility import visible_objectives

# ---------------------------------------------------------------- cycles


@dataclass(frozen=True)
class CycleRef:
    id: int
    name: str
    start: dt.date
    end: dt.date
    is_open: bool


def started_open_cycle(org: Organisation, today: dt.date) -> CycleRef | None:
    """The latest open cycle that has started by ``today``: the one the advisor and the
    managers' and admins' home dashboards judge (a cycle planned ahead does not count yet).
    One query."""
    row = (
        Cycle.objects.filter(organisation=org, status=Cycle.Status.OPEN, start__lte=today)
        .order_by("-start")
        .values_list("id", "name", "start", "end")
        .first()
    )
    return CycleRef(*row, is_open=True) if row else None


# ---------------------------------------------------------------- key results


@dataclass(frozen=True)
class KeyResultFact:
    """A key result of an active objective, with staleness as the OKR pages show it."""

    id: int
    owner_id: int | None
    team_id: int | None  # the objective's owning team, if a team owns it
    last_check_in: dt.date | None
    stale: bool


def cycle_key_results(cycle: CycleRef, today: dt.date) -> list[KeyResultFact]:
    """Every key result of the cycle's active objectives, with its stored clock (the day
    its staleness counts from, :func:`ampwork.okrs.progress.clock_from`). One query."""
    return [
        KeyResultFact(pk, owner, team, last, _stale(last, clock, cycle.end, today))
        for pk, owner, team, last, clock in KeyResult.objects.filter(
            objective__cycle_id=cycle.id, objective__status=Objective.Status.ACTIVE
        ).values_list("id", "owner_id", "objective__owner_team_id", "last_check_in", "clock")
    ]


def _stale(last: dt.date | None, clock: dt.date | None, end: dt.date, today: dt.date) -> bool:
    """:func:`ampwork.okrs.progress.stale_in_cycle` from the stored clock (which every
    write that adds a key result sets in its transaction: never missing when read)."""
    return clock is not None and progress.stale_in_cycle(last, clock, end, today)


@dataclass(frozen=True)
class KeyResultGroup:
    """The key results of the cycle's active objectives that share an owner and an owning
    team: how many, and how many of them are stale as the OKR pages show it."""

    owner_id: int | None
    team_id: int | None  # the objective's owning team, if a team owns it
    count: int
    stale: int


def cycle_key_result_counts(cycle: CycleRef, today: dt.date) -> list[KeyResultGroup]:
    """:func:`cycle_key_results` counted in the database, per owner and owning team: each
    key result is in exactly one group. Stale by the same rule
    (:func:`ampwork.okrs.progress.stale_in_cycle` from the stored clock): the cycle has not
    ended and the last check-in — or, with none, the clock — is at least
    :data:`~ampwork.okrs.progress.STALE_DAYS` days old. One query; no dates leave the
    database (what the advisor's snapshot reads for every team)."""
    cutoff = today - dt.timedelta(days=progress.STALE_DAYS)
    stale = Q(clock__isnull=False) & (
        Q(last_check_in__lte=cutoff) | Q(last_check_in__isnull=True, clock__lte=cutoff)
    )
    ended = today > cycle.end  # after the end nothing is stale: the cycle is scored
    return [
        KeyResultGroup(owner, team, count, 0 if ended else stale_count)
        for owner, team, count, stale_count in KeyResult.objects.filter(
            objective__cycle_id=cycle.id, objective__status=Objective.Status.ACTIVE
        )
        .values_list("owner_id", "objective__owner_team_id")
        .annotate(count=Count("id"), stale=Count("id", filter=stale))
        .order_by()
        .values_list("owner_id", "objective__owner_team_id", "count", "stale")
    ]


def my_key_results(person_id: int, today: dt.date) -> list[KeyResultFact]:
    """The key results a person owns in active objectives of open cycles. One query."""
    return [
        KeyResultFact(pk, person_id, team, last, _stale(last, clock, end, today))
        for pk, team, last, clock, end in KeyResult.objects.filter(
            owner_id=person_id,
            objective__cycle__status=Cycle.Status.OPEN,
            objective__status=Objective.Status.ACTIVE,
        ).values_list(
            "id",
            "objective__owner_team_id",
            "last_check_in",
            "clock",  # stored: okrs.services.derived
            "objective__cycle__end",
        )
    ]


@dataclass(frozen=True)
class OwnedKeyResult:
    """A key result someone owns, with what a calibration reads: its plain input (for
    :func:`ampwork.okrs.progress.kr_progress`), its cycle and its confidence history."""

    input: progress.KRInput
    title: str
    owner_id: int
    objective_kind: str
    cycle_id: int
    cycle_name: str
    cycle_start: dt.date
    cycle_closed: bool
    confidences: tuple[tuple[dt.date, int], ...]


def owned_key_results(org: Organisation, owners: Iterable[int]) -> list[OwnedKeyResult]:
    """Every key result the people own (dropped objectives aside), oldest cycle first.
    Three queries for any number of people."""
    facts = (
        "title",
        "owner_id",
        "objective__kind",
        "objective__cycle_id",
        "objective__cycle__name",
        "objective__cycle__start",
        "objective__cycle__status",
    )
    rows = list(
        KeyResult.objects.filter(organisation=org, owner_id__in=list(owners))
        .exclude(objective__status=Objective.Status.DROPPED)
        .order_by("objective__cycle__start", "id")
        .values_list(*KR_VALUES, *facts)
    )
    kr_ids = [r[0] for r in rows]
    milestones = milestones_of(kr_ids)
    confidences: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for kr_id, day, confidence in (
        CheckIn.objects.filter(key_result_id__in=kr_ids, confidence__isnull=False)
        .order_by("date", "id")
        .values_list("key_result_id", "date", "confidence")
    ):
        confidences[kr_id].append((day, confidence or 0))
    width = len(KR_VALUES)
    out = []
    for row in rows:
        kr = kr_input_row(row[:width], milestones)
        title, owner, kind, cycle_id, cycle_name, cycle_start, cycle_status = row[width:]
        out.append(
            OwnedKeyResult(
                kr,
                title,
                owner,
                kind,
                cycle_id,
                cycle_name,
                cycle_start,
                cycle_status == Cycle.Status.CLOSED,
                tuple(confidences.get(kr.id, ())),
            )
        )
    return out


def check_in_days(person_id: int, since: dt.date) -> list[dt.date]:
    """The days a person checked in after ``since``. One query."""
    return list(
        CheckIn.objects.filter(author_id=person_id, date__gt=since).values_list("date", flat=True)
    )


def last_closed_scores(org_id: int, person_id: int) -> list[float | None]:
    """The scores of the key results of a person's objectives in the organisation's most
    recently ended closed cycle (none without a closed cycle). Two queries at most."""
    last = (
        Cycle.objects.filter(organisation_id=org_id, status=Cycle.Status.CLOSED)
        .order_by("-end")
        .values_list("id", flat=True)
        .first()
    )
    if last is None:
        return []
    return list(
        KeyResult.objects.filter(
            objective__cycle_id=last, objective__owner_person_id=person_id, score__isnull=False
        ).values_list("score", flat=True)
    )


# ---------------------------------------------------------------- objectives


def authorship(
    org: Organisation | None = None, owners: Iterable[int] | None = None
) -> dict[int, list[tuple[int | None, int | None]]]:
    """(owner, author) of every objective a person owns, per owner: in the organisation, or
    of the given owners. How many of someone's objectives they set themselves is the
    autonomy index. One query."""
    query = Objective.objects.filter(owner_person__isnull=False)
    if org is not None:
        query = query.filter(organisation=org)
    if owners is not None:
        query = query.filter(owner_person_id__in=list(owners))
    out: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for owner, author in query.values_list("owner_person_id", "author_id"):
        out[owner].append((owner, author))
    return out


def pacing_counts(cycle_id: int, today: dt.date) -> dict[str, int]:
    """How many of the cycle's active objectives are on track, at risk, off track and not
    started, as :func:`active_pacing` classifies them, counted in the database from their
    stored judged values. Only those within 2 × 1e-9 of a line (decided exactly) or still in
    their first days (``settles`` ahead) are classified in Python. Three queries, plus
    :func:`.evaluation.evaluate`'s for those few."""
    start, end = Cycle.objects.values_list("start", "end").get(pk=cycle_id)
    pace = progress.Pace(start, end, today)
    active = Objective.objects.filter(cycle_id=cycle_id, status=Objective.Status.ACTIVE)
    if pace.before:
        return {progress.NOT_STARTED: active.count()}
    on, off = pace.lines
    band = 2 * progress.NEAR
    clear = (Q(settles__isnull=True) | Q(settles__lte=today)) & (
        Q(judged__isnull=True)
        | (
            (Q(judged__lt=on - band) | Q(judged__gt=on + band))
            & (Q(judged__lt=off - band) | Q(judged__gt=off + band))
        )
    )
    found = active.filter(clear).aggregate(
        on_track=Count("id", filter=Q(judged__gt=on)),
        at_risk=Count("id", filter=Q(judged__lt=on, judged__gt=off)),
        off_track=Count("id", filter=Q(judged__lt=off)),
        not_started=Count("id", filter=Q(judged__isnull=True)),
    )
    counts = Counter(
        {
            progress.ON_TRACK: found["on_track"],
            progress.AT_RISK: found["at_risk"],
            progress.OFF_TRACK: found["off_track"],
            progress.NOT_STARTED: found["not_started"],
        }
    )
    rest = evaluate(active.exclude(clear), today, detail=False)
    counts.update(result.pacing for result in rest.results.values())
    return {status: n for status, n in counts.items() if n}


def team_pacing(
    actor: Actor, cycle_id: int, today: dt.date, teams: Iterable[int]
) -> dict[int, dict[str, int]]:
    """How many of the cycle's objectives in each of these teams are on track, at risk, off
    track or not started — counted as the cycle dashboard counts them: the objectives the
    actor may see (private ones of others are not counted for them), whatever their status,
    a team holding its own objectives, its members', its teams', each once (the team that
    is the organisation itself holds the organisation's too:
    :func:`.alignment.objectives_by_team`). Reads only those teams' objectives: a fixed
    number of queries."""
    org = actor.organisation
    wanted = set(teams)
    tree = core_selectors.team_outline(org)
    root = organisation_team(tree)
    members = active_members(org)
    below = {
        node.team.pk
        for top in core_selectors.flatten(tree)
        if top.team.pk in wanted
        for node in core_selectors.flatten([top])
    }
    people = {p for t in below for p in members.get(t, [])}
    mine = Q(owner_team_id__in=below) | Q(owner_person_id__in=people)
    if root in wanted:
        mine |= Q(owner_kind=Objective.OwnerKind.ORGANISATION)
    query = visible_objectives(actor).filter(cycle_id=cycle_id)
    start, end = Cycle.objects.values_list("start", "end").get(pk=cycle_id)
    table = read_table(query.filter(mine), start, end, today)  # as columns: .table
    inside = team_incidence(tree, members, table, root)
    codes = table.codes[inside.objective]
    counts = columns.team_counts(inside.team, codes, inside.size).tolist()
    at = {pk: i for i, pk in enumerate(inside.order)}
    return {
        t: {s: n for s, n in zip(columns.STATUSES, counts[at[t]], strict=True) if n}
        if t in at
        else {}
        for t in wanted
    }


@dataclass(frozen=True)
class ObjectiveFact:
    id: int
    title: str
    owner_team_id: int | None
    owner_person_id: int | None
    private: bool
    work_style: str


@dataclass(frozen=True)
class KeyResultRef:
    id: int
    title: str
    objective_id: int


def objectives_and_key_results(
    objective_ids: Iterable[int], key_result_ids: Iterable[int] = ()
) -> tuple[dict[int, ObjectiveFact], dict[int, KeyResultRef]]:
    """Objectives and key results by id (and the objectives of those key results), for a
    record in another app that points to them. Whoever shows a title decides what the reader
    may see (a private objective's ``private`` is True). Two queries at most."""
    kr_ids = set(key_result_ids)
    key_results = (
        {
            pk: KeyResultRef(pk, title, objective_id)
            for pk, title, objective_id in KeyResult.objects.filter(pk__in=kr_ids).values_list(
                "id", "title", "objective_id"
            )
        }
        if kr_ids
        else {}
    )
    ids = set(objective_ids) | {k.objective_id for k in key_results.values()}
    objectives = (
        {
            pk: ObjectiveFact(
                pk, title, team, person, visibility == Objective.Visibility.PRIVATE, style
            )
            for pk, title, team, person, visibility, style in Objective.objects.filter(
                pk__in=ids
            ).values_list(
                "id", "title", "owner_team_id", "owner_person_id", "visibility", "work_style"
            )
        }
        if ids
        else {}
    )
    return objectives, key_results


@dataclass(frozen=True)
class ObjectiveOwner:
    id: int
    owner_kind: str  # organisation | team | person
    owner_team_id: int | None
    owner_person_id: int | None
    owner_team_name: str | None


def current_active_owners(actor: Actor) -> list[ObjectiveOwner] | None:
    """Who owns each active objective the reader may see in the current cycle
    (:func:`.cycles.current_cycle`); None when the organisation has no cycle. Two queries."""
    cycle = current_cycle(actor.organisation)
    if cycle is None:
        return None
    return [
        ObjectiveOwner(*row)
        for row in visible_objectives(actor)
        .filter(cycle=cycle, status=Objective.Status.ACTIVE)
        .values_list("id", "owner_kind", "owner_team_id", "owner_person_id", "owner_team__name")
    ]


def current_active_counts(actor: Actor, *marked: Iterable[int]) -> tuple[int, int] | None:
    """How many active objectives the reader may see in the current cycle
    (:func:`.cycles.current_cycle`), and how many of them are among any of the ``marked``
    ids; None when the organisation has no cycle. Pass another app's ids as a
    ``values_list(..., flat=True)``: it becomes a subquery, and nothing but two counts
    leaves the database. Two queries."""
    cycle = current_cycle(actor.organisation)
    if cycle is None:
        return None
    among = Q(pk__in=[])
    for ids in marked:
        among |= Q(pk__in=ids)
    counts = (
        visible_objectives(actor)
        .filter(cycle=cycle, status=Objective.Status.ACTIVE)
        .aggregate(total=Count("id"), marked=Count("id", filter=among))
    )
    return counts["total"], counts["marked"]


def open_objective_titles(org: Organisation, owner_id: int | None = None) -> list[tuple[int, str]]:
    """(id, title) of the objectives in the organisation's open cycles (of one owner, when
    given), oldest first: how another app's demo finds the objective its records point to.
    One query."""
    query = Objective.objects.filter(organisation=org, cycle__status=Cycle.Status.OPEN)
    if owner_id is not None:
        query = query.filter(owner_person_id=owner_id)
    return list(query.order_by("id").values_list("id", "title"))


@dataclass(frozen=True)
class ObjectiveTitle:
    pk: int
    title: str


def current_visible_titles(actor: Actor, limit: int) -> list[ObjectiveTitle]:
    """The current cycle's objectives the reader may see (:func:`.cycles.current_cycle`),
    by title: what another app's record may be tied to. Two queries."""
    cycle = current_cycle(actor.organisation)
    if cycle is None:
        return []
    return [
        ObjectiveTitle(pk, title)
        for pk, title in visible_objectives(actor)
        .filter(cycle=cycle)
        .order_by("title")
        .values_list("id", "title")[:limit]
    ]


@dataclass(frozen=True)
class GoalKeyResult:
    title: str
    progress: float


@dataclass(frozen=True)
class Goal:
    """One of a person's own objectives with its stored progress, for a reader outside
    the OKR pages (a student's family: classroom's family page)."""

    id: int
    title: str
    cycle: str
    status: str
    progress: float
    key_results: tuple[GoalKeyResult, ...]


def goals_of(org_id: int, person_id: int, limit: int = 30) -> list[Goal]:
    """A person's own objectives that the whole organisation may see (never a private
    one, never a dropped one), newest cycle first, with their key results. Two queries."""
    rows = list(
        Objective.objects.filter(
            organisation_id=org_id,
            owner_person_id=person_id,
            visibility=Objective.Visibility.ORGANISATION,
        )
        .exclude(status=Objective.Status.DROPPED)
        .order_by("-cycle__start", "title", "pk")
        .values_list("pk", "title", "cycle__name", "status", "progress")[:limit]
    )
    krs: dict[int, list[GoalKeyResult]] = defaultdict(list)
    for objective_id, title, kr_progress in (
        KeyResult.objects.filter(objective_id__in=[r[0] for r in rows])
        .order_by("pk")
        .values_list("objective_id", "title", "progress")
    ):
        krs[objective_id].append(GoalKeyResult(title, kr_progress))
    return [
        Goal(pk, title, cycle, status, value, tuple(krs[pk]))
        for pk, title, cycle, status, value in rows
    ]
