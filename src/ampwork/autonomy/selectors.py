"""Reads for autonomy: current levels (a person's own, else their team's default), history,
the signals a suggestion reads, and the team grid. Fixed query counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound
from ampwork.core.l10n import format_day
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.core.permissions import Actor, can
from ampwork.okrs import selectors as okr_selectors
from ampwork.purpose import selectors as purpose_selectors

from . import rules
from .models import (
    Decision,
    Kudos,
    LedgerEntry,
    Project,
    Proposal,
    ShipItEvent,
    TimeLog,
    TimePolicy,
)

FEW = 100  # up to this many people, their memberships are asked for by id; above, the
# organisation's are read whole: an IN list of thousands of ids costs more (Django prepares
# each) than the rows it saves (the advisor's snapshot asks for everyone)


def levels_for(org: Organisation, people: list[int]) -> dict[int, dict[str, int]]:
    """Each person's level per T: their latest own entry, else the latest default of their
    team or the nearest team above it, else 0. Three queries for any number of people."""
    own: dict[tuple[int, str], int] = {}
    team_default: dict[tuple[int, str], int] = {}
    for person, team, t, level in (
        LedgerEntry.objects.filter(organisation=org)
        .order_by("created_at", "id")
        .values_list("person_id", "team_id", "t", "level")
    ):
        if person is not None:
            own[(person, t)] = level
        else:
            team_default[(team, t)] = level
    parents = dict(Team.objects.filter(organisation=org).order_by().values_list("id", "parent_id"))
    teams_of: dict[int, list[int]] = defaultdict(list)
    memberships = TeamMembership.objects.filter(organisation=org)
    if len(people) <= FEW:  # a page about someone: only their teams
        memberships = memberships.filter(person_id__in=people)
    for person, team in memberships.order_by("team_id").values_list("person_id", "team_id"):
        teams_of[person].append(team)
    out: dict[int, dict[str, int]] = {}
    for person in people:
        levels = {}
        for t in rules.TS:
            if (person, t) in own:
                levels[t] = own[(person, t)]
                continue
            levels[t] = 0
            for team in teams_of.get(person, []):
                current: int | None = team
                while current is not None:
                    if (current, t) in team_default:
                        levels[t] = max(levels[t], team_default[(current, t)])
                        break
                    current = parents.get(current)
        out[person] = levels
    return out


def may_view(actor: Actor, person: Person) -> bool:
    return can(actor, "autonomy.view", person)


def get_person(actor: Actor, pk: int) -> Person:
    person = core_selectors.get_person(actor.organisation, pk)
    if not may_view(actor, person):
        raise NotFound(_("no such person's autonomy to show"))  # nobody else's, not even a 403
    return person


def signals(person: Person, today: dt.date | None = None) -> rules.Signals:
    today = today or timezone.localdate()
    has_purpose = purpose_selectors.has_statement(person.pk)
    since = today - dt.timedelta(days=28)
    days = okr_selectors.check_in_days(person.pk, since)
    weeks = len({(today - d).days // 7 for d in days}) if days else None
    scores = okr_selectors.last_closed_scores(person.organisation_id, person.pk)
    return rules.Signals(
        has_purpose=has_purpose,
        weeks_with_check_ins=weeks if days else 0,
        mean_score=sum(float(v or 0) for v in scores) / len(scores) if scores else None,
    )


@dataclass
class PersonAutonomy:
    person: Person
    levels: dict[str, int]
    history: list[LedgerEntry]
    decisions: list[Decision]
    step: rules.NextStep
    index: float | None
    objectives: int


def person_autonomy(actor: Actor, person: Person) -> PersonAutonomy:
    org = actor.organisation
    levels = levels_for(org, [person.pk])[person.pk]
    history = list(
        LedgerEntry.objects.filter(person=person)
        .select_related("changed_by")
        .order_by("-created_at", "-id")
    )
    decisions = list(Decision.objects.filter(person=person).select_related("decided_by")[:20])
    step = rules.next_step(levels, org.autonomy_policy, signals(person))
    owned = okr_selectors.authorship(owners=[person.pk]).get(person.pk, [])
    return PersonAutonomy(
        person,
        levels,
        history,
        decisions,
        _pending(step, decisions),
        rules.autonomy_index(owned),
        len(owned),
    )


def next_step_of(person: Person) -> rules.NextStep:
    """For other apps: the person's next autonomy step as their autonomy page shows it (a
    step deferred or declined is not suggested again until something changes), as the pure
    ``rules.NextStep``. Whoever shows it asks ``may_view`` first. A fixed number of queries."""
    org = person.organisation
    levels = levels_for(org, [person.pk])[person.pk]
    decisions = list(Decision.objects.filter(person=person)[:20])
    return _pending(rules.next_step(levels, org.autonomy_policy, signals(person)), decisions)


def _pending(step: rules.NextStep, decisions: list[Decision]) -> rules.NextStep:
    """A step already deferred or declined is not suggested again until something changes."""
    for d in decisions:
        if d.t == step.t and d.level == step.level and d.outcome != Decision.Outcome.GRANTED:
            step.suggested = False
            values = {"date": format_day(d.decided_at), "note": d.note}
            if d.outcome == Decision.Outcome.DEFERRED:
                said = _("deferred on %(date)s: %(note)s") if d.note else _("deferred on %(date)s")
            else:
                said = _("declined on %(date)s: %(note)s") if d.note else _("declined on %(date)s")
            step.reasons.append(said % values)
            break
    return step


@dataclass
class Grid:
    team: Team
    rows: list[dict[str, Any]]
    index: float | None
    control: list[str]
    time_used: float = 0.0
    time_budget: float = 0.0


def team_grid(actor: Actor, team: Team) -> Grid:
    """People × Ts for a team, with each person's next step: a fixed number of queries."""
    org = actor.organisation
    members = list(
        Person.objects.filter(memberships__team=team, active=True).order_by("name").distinct()
    )
    ids = [p.pk for p in members]
    levels = levels_for(org, ids)
    owned = okr_selectors.authorship(owners=ids)
    decided: dict[int, list[Decision]] = defaultdict(list)
    for d in Decision.objects.filter(person_id__in=ids).order_by("-decided_at", "-id"):
        decided[d.person_id].append(d)
    policy = org.autonomy_policy
    budgets = time_budgets(org, ids)
    purpose = purpose_selectors.people_with_statement(people=ids)
    rows = []
    for person in members:
        # the grid shows policy-level suggestions; the person's page reads every signal
        step = rules.next_step(
            levels[person.pk], policy, rules.Signals(has_purpose=person.pk in purpose)
        )
        rows.append(
            {
                "person": person,
                "levels": [levels[person.pk][t] for t in rules.TS],
                "step": _pending(step, decided[person.pk]),
                # the level the step starts from: a grant form sends it back, so a stale
                # or repeated grant is refused
                "from_level": levels[person.pk][step.t] if step.t else None,
                "index": rules.autonomy_index(owned[person.pk]),
                "time": budgets[person.pk],
            }
        )
    everything = [pair for pairs in owned.values() for pair in pairs]
    index = rules.autonomy_index(everything)
    control = rules.defaulting_to_control([levels[p] for p in ids], index, len(everything))
    return Grid(
        team,
        rows,
        index,
        control,
        sum(b.used for b in budgets.values()),
        sum(b.budget for b in budgets.values()),
    )


# --- Self-directed time -------------------------------------------------------------


@dataclass
class TimeBudget:
    share_percent: int
    weekly_hours: float
    start: dt.date
    end: dt.date
    budget: float
    used: float

    @property
    def share_used(self) -> float | None:
        return rules.budget_used(self.used, self.budget)

    @property
    def bar(self) -> int:
        """Width of the usage bar, in percent (capped at 100)."""
        return min(100, round((self.share_used or 0) * 100))


def policy(org: Organisation) -> tuple[int, float]:
    found = TimePolicy.objects.filter(organisation=org).values_list("share_percent", "weekly_hours")
    row = found.first()
    if row is None:
        default = TimePolicy()  # the model's defaults, until an admin sets a policy
        return default.share_percent, float(default.weekly_hours)
    return row[0], float(row[1])


def time_budgets(
    org: Organisation, people: list[int], today: dt.date | None = None
) -> dict[int, TimeBudget]:
    """Each person's self-directed hours this quarter against the budget earned so far.
    Two queries for any number of people."""
    today = today or timezone.localdate()
    start = rules.quarter_start(today)
    share, weekly = policy(org)
    budget = rules.budget_hours(share, weekly, start, today)
    used = dict(
        TimeLog.objects.filter(organisation=org, person_id__in=people, day__gte=start)
        .values("person_id")
        .annotate(total=Sum("hours"))
        .values_list("person_id", "total")
    )
    return {
        p: TimeBudget(
            share,
            weekly,
            start,
            today,
            budget,
            float(used.get(p) or 0),
        )
        for p in people
    }


def projects_of(actor: Actor, person: Person) -> list[Project]:
    """A person's self-directed projects with their total hours (visible like the ledger)."""
    if not may_view(actor, person):
        raise NotFound(_("no such person's autonomy to show"))
    return list(
        Project.objects.filter(person=person)
        .select_related("objective")
        .annotate(hours=Sum("logs__hours"))
        .order_by("-created_at", "-id")
    )


def get_project(actor: Actor, pk: int) -> Project:
    found = (
        Project.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("person")
        .first()
    )
    if found is None or not may_view(actor, found.person):
        raise NotFound(_("no such self-directed project"))
    return found


# --- ShipIt days -------------------------------------------------------------------


def events(org: Organisation) -> list[ShipItEvent]:
    """ShipIt days, newest first, with their numbers of projects, demos and follow-ups."""
    now = timezone.now()
    found: list[ShipItEvent] = list(
        ShipItEvent.objects.filter(organisation=org)
        .annotate(
            n_proposals=Count("proposals", distinct=True),
            n_demos=Count("proposals", filter=Q(proposals__demoed_at__isnull=False), distinct=True),
            n_followed=Count("proposals", filter=~Q(proposals__follow_up=""), distinct=True),
        )
        .order_by("-starts_at", "-id")
    )
    for e in found:
        e.phase = rules.shipit_phase(e.starts_at, e.ends_at, now)  # type: ignore[attr-defined]
    return found


def get_event(org: Organisation, pk: int) -> ShipItEvent:
    found = ShipItEvent.objects.filter(organisation=org, pk=pk).first()
    if found is None:
        raise NotFound(_("no such ShipIt day"))
    return found


def get_proposal(org: Organisation, pk: int) -> Proposal:
    found = Proposal.objects.filter(organisation=org, pk=pk).select_related("event").first()
    if found is None:
        raise NotFound(_("no such ShipIt project"))
    return found


@dataclass
class EventView:
    event: ShipItEvent
    phase: str
    follow_up_due: bool
    proposals: list[Proposal]
    my_team: int | None
    kudos_given: set[int]
    outcomes: list[tuple[str, int]]  # (follow-up value, projects), pending first


def event_view(actor: Actor, event: ShipItEvent) -> EventView:
    """A ShipIt day with its projects, teams, demos, kudos and follow-ups: five queries."""
    now = timezone.now()
    proposals: list[Proposal] = list(
        Proposal.objects.filter(event=event)
        .select_related("author")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("name")))
        .annotate(n_kudos=Count("kudos", distinct=True))
        .order_by("created_at", "id")
    )
    me = actor.person.pk if actor.person else None
    mine = next((p.pk for p in proposals if any(m.pk == me for m in p.members.all())), None)
    given = (
        set(
            Kudos.objects.filter(proposal__event=event, person_id=me).values_list(
                "proposal_id", flat=True
            )
        )
        if me is not None
        else set()
    )
    counted: dict[str, int] = defaultdict(int)
    for p in proposals:
        counted[p.follow_up] += 1
    outcomes = [(value, counted[value]) for value in Proposal.FollowUp.values]
    return EventView(
        event,
        rules.shipit_phase(event.starts_at, event.ends_at, now),
        rules.follow_up_due(event.ends_at, now),
        proposals,
        mine,
        given,
        outcomes,
    )


# ---------------------------------------------------------------- for other apps (plain data)


@dataclass(frozen=True)
class StepsGranted:
    """Steps of more say granted (a level above 0) in the organisation's ledger."""

    count: int
    people: frozenset[int]  # given to a person
    teams: frozenset[int]  # given to a team as its default


def steps_granted(org: Organisation) -> StepsGranted:
    """One query."""
    count, people, teams = 0, set[int](), set[int]()
    for person, team, level in LedgerEntry.objects.filter(organisation=org).values_list(
        "person_id", "team_id", "level"
    ):
        if level > 0:
            count += 1
            if person is not None:
                people.add(person)
            else:
                teams.add(team)
    return StepsGranted(count, frozenset(people), frozenset(teams))


def shipit_within(org: Organisation, days: int) -> bool:
    """Whether a ShipIt day ended in the last ``days`` days. One query."""
    now = timezone.now()
    return ShipItEvent.objects.filter(
        organisation=org, ends_at__lte=now, ends_at__gte=now - dt.timedelta(days=days)
    ).exists()


def project_count(org: Organisation) -> int:
    """How many self-directed projects the organisation has. One query."""
    return Project.objects.filter(organisation=org).count()


@dataclass(frozen=True)
class LevelChange:
    t: str
    level: int
    why: str
    changed_by: str  # the name of who changed it, "" when unknown
    at: dt.datetime


def level_changes(person_id: int) -> list[LevelChange]:
    """A person's own ledger entries, oldest first. One query."""
    return [
        LevelChange(e.t, e.level, e.why, e.changed_by.name if e.changed_by else "", e.created_at)
        for e in LedgerEntry.objects.filter(person_id=person_id).select_related("changed_by")
    ]
