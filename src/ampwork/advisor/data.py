"""What the advisor reads from the other apps, gathered once per request in a fixed number
of queries: people and teams, autonomy levels and steps, authorship of objectives, weekly
reviews, the open cycle's key results, purpose, skills, ShipIt days, the fairness gate and
the organisation's incentives. The checklist, readiness, the mistake detector and the
dashboards all read this one snapshot.

Every fact comes through the owning app's front door (its ``selectors``, plain values), and
every derived number by that app's own rule: a key result is stale here exactly when the OKR
pages show it stale (:func:`ampwork.okrs.progress.stale_in_cycle`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from ampwork.autonomy import rules as autonomy_rules
from ampwork.autonomy import selectors as autonomy_selectors
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.fairness.selectors import Gate, gate_of
from ampwork.mastery import selectors as mastery_selectors
from ampwork.mastery.selectors import week_of
from ampwork.okrs import selectors as okr_selectors
from ampwork.purpose import authenticity
from ampwork.purpose import selectors as purpose_selectors

from . import traps
from .models import Incentive, StyleAssessment

WINDOW = 4  # weeks per window when comparing review completion
WINDOW_BEFORE = 5  # the earlier window ends five weeks back: weeks 5–8 before this one
RECENT_WEEKS = 2  # "wrote a weekly review lately": this week or the one before


COMPLETION = (1, WINDOW_BEFORE)  # review completion: now, and before


def completion_windows(this_week: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The :data:`WINDOW` full weeks (first and last, both included) ending one week back
    and :data:`WINDOW_BEFORE` weeks back: review completion now and before."""
    out = []
    for ago in COMPLETION:
        last = this_week - dt.timedelta(weeks=ago)
        out.append((last - dt.timedelta(weeks=WINDOW - 1), last))
    return out


@dataclass
class OrgData:
    org: Organisation
    today: dt.date
    people: set[int] = field(default_factory=set)  # active
    teams: dict[int, str] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)
    members: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    leads: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    levels: dict[int, dict[str, int]] = field(default_factory=dict)
    owned: dict[int, list[tuple[int | None, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    granted_people: set[int] = field(default_factory=set)
    granted_teams: set[int] = field(default_factory=set)
    steps_granted: int = 0
    # per person, the latest week of a review in the last RECENT_WEEKS (none: absent)
    reviews: dict[int, dt.date] = field(default_factory=dict)
    # reviews written by active people in each of completion_windows(this week)
    completed: tuple[int, ...] = (0, 0)
    cycle: okr_selectors.CycleRef | None = None
    # the open cycle's key results per (owner, owning team): each in one group
    key_results: list[okr_selectors.KeyResultGroup] = field(default_factory=list)
    statements: set[int] = field(default_factory=set)
    purpose: purpose_selectors.PublishedRef | None = None
    drafts: int = 0
    recent_story: bool = False
    skills: int = 0
    shipit_recent: bool = False
    projects: int = 0
    gate: Gate | None = None
    incentives: list[traps.IncentiveFact] = field(default_factory=list)

    # ------------------------------------------------------------ derived numbers

    @property
    def this_week(self) -> dt.date:
        return week_of(self.today)

    def scope(self, team: int | None) -> set[int]:
        return self.people if team is None else self.members.get(team, set()) & self.people

    def within(self, team: int) -> set[int]:
        """The active people of a team and of every team inside it (as the OKR pages count
        a team's objectives)."""
        children: dict[int | None, list[int]] = defaultdict(list)
        for t, parent in self.parents.items():
            children[parent].append(t)
        found, todo = set(), [team]
        while todo:
            t = todo.pop()
            if t not in found:
                found.add(t)
                todo.extend(children.get(t, ()))
        return {p for t in found for p in self.members.get(t, ())} & self.people

    def index(self) -> None:
        """Per-person and per-team indexes, so that a team's numbers cost its size, not the
        organisation's."""
        self.krs_of: dict[int | None, list[okr_selectors.KeyResultGroup]] = defaultdict(list)
        self.krs_of_team: dict[int, list[okr_selectors.KeyResultGroup]] = defaultdict(list)
        for group in self.key_results:
            self.krs_of[group.owner_id].append(group)
            if group.team_id is not None:
                self.krs_of_team[group.team_id].append(group)

    def wrote_this_week(self, person: int) -> bool:
        """Whether the person wrote a weekly review for this week."""
        return self.reviews.get(person) == self.this_week

    def review_share(self, team: int | None = None) -> float | None:
        """Share of people with a review in the last :data:`RECENT_WEEKS` weeks (this one
        included)."""
        people = self.scope(team)
        if not people:
            return None
        wrote = sum(1 for p in people if p in self.reviews)
        return wrote / len(people)

    def completion(self, start_weeks_ago: int) -> float | None:
        """Share of person-weeks with a review, over :data:`WINDOW` full weeks ending
        ``start_weeks_ago`` weeks before this one (1 or :data:`WINDOW_BEFORE`)."""
        if not self.people:
            return None
        done = self.completed[COMPLETION.index(start_weeks_ago)]
        return done / (len(self.people) * WINDOW)

    def krs(self, team: int | None = None) -> list[okr_selectors.KeyResultGroup]:
        """The groups of key results a team's numbers count (its own objectives' and its
        people's), each once; all of them for the organisation."""
        if team is None:
            return self.key_results
        found = {(k.owner_id, k.team_id): k for k in self.krs_of_team.get(team, [])}
        for person in self.scope(team):
            found.update(((k.owner_id, k.team_id), k) for k in self.krs_of.get(person, []))
        return list(found.values())

    def key_result_count(self, team: int | None = None) -> int:
        return sum(k.count for k in self.krs(team))

    def stale_count(self, team: int | None = None) -> int:
        return sum(k.stale for k in self.krs(team))

    def stale_share(self, team: int | None = None) -> float | None:
        total = self.key_result_count(team)
        return self.stale_count(team) / total if total else None

    def checked_in_lately(self, team: int | None = None) -> bool:
        """Whether any of the team's key results is not stale."""
        return any(k.count > k.stale for k in self.krs(team))

    def pairs(self, team: int | None = None) -> list[tuple[int | None, int | None]]:
        people = self.scope(team)
        return [pair for p in people for pair in self.owned.get(p, [])]

    def self_set(self, team: int | None = None) -> float | None:
        return autonomy_rules.autonomy_index(self.pairs(team))

    def mean_level(self, team: int | None = None) -> float | None:
        people = [p for p in self.scope(team) if p in self.levels]
        if not people:
            return None
        total = sum(sum(self.levels[p].values()) / len(autonomy_rules.TS) for p in people)
        return total / len(people)

    def control(self, team: int) -> list[str]:
        people = self.scope(team)
        pairs = self.pairs(team)
        return autonomy_rules.defaulting_to_control(
            [self.levels[p] for p in people if p in self.levels],
            autonomy_rules.autonomy_index(pairs),
            len(pairs),
        )

    def step_granted(self, team: int) -> bool:
        return team in self.granted_teams or bool(self.scope(team) & self.granted_people)

    def statement_share(self) -> float | None:
        return len(self.statements & self.people) / len(self.people) if self.people else None

    def purpose_warnings(self) -> list[str]:
        if self.purpose is None:
            return []
        advice = authenticity.check(self.purpose.text, self.purpose.language)
        return advice.reasons if advice.warn else []

    def working_teams(self) -> list[int]:
        """Teams with someone in them besides their leads: the ones judged per team."""
        return sorted(
            t
            for t, people in self.members.items()
            # (the team's people less its leads) ∩ everyone active: not a copy of everyone
            if (people - {p for p in people if t in self.leads.get(p, set())}) & self.people
        )


def gather(org: Organisation, today: dt.date | None = None) -> OrgData:
    today = today or timezone.localdate()
    data = OrgData(org, today)
    data.people = set(
        Person.objects.filter(organisation=org, active=True).order_by().values_list("id", flat=True)
    )
    for team, name, parent in (
        Team.objects.filter(organisation=org).order_by().values_list("id", "name", "parent_id")
    ):
        data.teams[team] = name
        data.parents[team] = parent
    for team, person, role in (
        TeamMembership.objects.filter(organisation=org)
        .order_by()
        .values_list("team_id", "person_id", "role")
    ):
        data.members[team].add(person)
        if role == TeamMembership.Role.LEAD:
            data.leads[person].add(team)
    data.levels = autonomy_selectors.levels_for(org, sorted(data.people))
    data.owned = okr_selectors.authorship(org)
    granted = autonomy_selectors.steps_granted(org)
    data.steps_granted = granted.count
    data.granted_people, data.granted_teams = set(granted.people), set(granted.teams)
    this_week = week_of(today)
    data.reviews = mastery_selectors.latest_reviews(
        org, this_week - dt.timedelta(weeks=RECENT_WEEKS - 1), this_week
    )
    data.completed = mastery_selectors.reviews_written(org, completion_windows(this_week))
    data.cycle = okr_selectors.started_open_cycle(org, today)
    if data.cycle is not None:
        data.key_results = okr_selectors.cycle_key_result_counts(data.cycle, today)
    data.statements = purpose_selectors.people_with_statement(org)
    purpose = purpose_selectors.purpose_facts(org)
    data.purpose, data.drafts, data.recent_story = (
        purpose.published,
        purpose.drafts,
        purpose.recent_story,
    )
    data.skills = mastery_selectors.skill_count(org)
    data.shipit_recent = autonomy_selectors.shipit_within(org, days=365)
    data.projects = autonomy_selectors.project_count(org)
    if not org.is_school:
        data.gate = gate_of(org)
    data.incentives = incentive_facts(org, data)
    data.index()
    return data


PRIVATE = gettext_noop("a private objective")  # translated where it is read
PRIVATE_KR = gettext_noop("a key result")


def incentive_facts(org: Organisation, data: OrgData) -> list[traps.IncentiveFact]:
    """Incentives with the work style of what they reward: four queries at most (the
    objectives and key results they point to through OKRs' front door)."""
    role_style: dict[str, str] = {}
    for role, style in StyleAssessment.objects.filter(
        organisation=org, objective__isnull=True
    ).values_list("job_role", "work_style"):
        role_style[role.lower()] = style  # oldest first: the latest wins
    teams_of: dict[int, set[int]] = defaultdict(set)
    for team, people in data.members.items():
        for person in people:
            teams_of[person].add(team)
    rows = list(
        Incentive.objects.filter(organisation=org).values_list(
            "id", "what", "outcome", "style", "job_role", "objective_id", "key_result_id"
        )
    )
    objectives, key_results = okr_selectors.objectives_and_key_results(
        [r[5] for r in rows if r[5] is not None], [r[6] for r in rows if r[6] is not None]
    )
    out = []
    for pk, what, outcome, style, job_role, objective_id, key_result_id in rows:
        key_result = key_results.get(key_result_id) if key_result_id is not None else None
        if objective_id is None and key_result is not None:
            objective_id = key_result.objective_id
        objective = objectives.get(objective_id) if objective_id is not None else None
        teams: set[int] = set()
        if objective is not None:
            if objective.owner_team_id:
                teams.add(objective.owner_team_id)
            elif objective.owner_person_id:
                teams |= teams_of.get(objective.owner_person_id, set())
        # the advisor's findings reach people who may not see a private objective: name
        # it only as that (its owner, managers and admins open it from its own page)
        private = objective is not None and objective.private
        out.append(
            traps.IncentiveFact(
                id=pk,
                what=what,
                style=style,
                outcome=outcome,
                objective_id=objective.id if objective else None,
                objective_title=(gettext(PRIVATE) if private else objective.title)
                if objective
                else "",
                key_result_title=(
                    (gettext(PRIVATE_KR) if private else key_result.title) if key_result else ""
                ),
                work_style=objective.work_style if objective else None,
                job_role=job_role,
                role_style=role_style.get(job_role.lower()) if job_role else None,
                teams=tuple(sorted(teams)),
            )
        )
    return out
