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
    reviews: set[tuple[int, dt.date]] = field(default_factory=set)
    cycle: okr_selectors.CycleRef | None = None
    key_results: list[tuple[int, int | None, int | None, bool]] = field(
        default_factory=list
    )  # (id, owner, owning team, stale)
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
        self.weeks_of: dict[int, set[dt.date]] = defaultdict(set)
        for person, week in self.reviews:
            self.weeks_of[person].add(week)
        self.krs_of: dict[int | None, list[tuple[int, int | None, int | None, bool]]] = defaultdict(
            list
        )
        self.krs_of_team: dict[int, list[tuple[int, int | None, int | None, bool]]] = defaultdict(
            list
        )
        for kr in self.key_results:
            self.krs_of[kr[1]].append(kr)
            if kr[2] is not None:
                self.krs_of_team[kr[2]].append(kr)

    def review_share(self, team: int | None = None, weeks: int = 2) -> float | None:
        """Share of people with a review in the last ``weeks`` weeks (this one included)."""
        people = self.scope(team)
        if not people:
            return None
        since = self.this_week - dt.timedelta(weeks=weeks - 1)
        wrote = sum(1 for p in people if any(w >= since for w in self.weeks_of.get(p, ())))
        return wrote / len(people)

    def completion(self, start_weeks_ago: int) -> float | None:
        """Share of person-weeks with a review, over :data:`WINDOW` full weeks ending
        ``start_weeks_ago`` weeks before this one."""
        if not self.people:
            return None
        last = self.this_week - dt.timedelta(weeks=start_weeks_ago)
        first = last - dt.timedelta(weeks=WINDOW - 1)
        done = sum(1 for p, w in self.reviews if first <= w <= last and p in self.people)
        return done / (len(self.people) * WINDOW)

    def krs(self, team: int | None = None) -> list[tuple[int, int | None, int | None, bool]]:
        if team is None:
            return self.key_results
        found = {k[0]: k for k in self.krs_of_team.get(team, [])}
        for person in self.scope(team):
            found.update((k[0], k) for k in self.krs_of.get(person, []))
        return list(found.values())

    def stale_share(self, team: int | None = None) -> float | None:
        krs = self.krs(team)
        return sum(1 for k in krs if k[3]) / len(krs) if krs else None

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
        Person.objects.filter(organisation=org, active=True).values_list("id", flat=True)
    )
    for team, name, parent in Team.objects.filter(organisation=org).values_list(
        "id", "name", "parent_id"
    ):
        data.teams[team] = name
        data.parents[team] = parent
    for team, person, role in TeamMembership.objects.filter(organisation=org).values_list(
        "team_id", "person_id", "role"
    ):
        data.members[team].add(person)
        if role == TeamMembership.Role.LEAD:
            data.leads[person].add(team)
    data.levels = autonomy_selectors.levels_for(org, sorted(data.people))
    data.owned = okr_selectors.authorship(org)
    granted = autonomy_selectors.steps_granted(org)
    data.steps_granted = granted.count
    data.granted_people, data.granted_teams = set(granted.people), set(granted.teams)
    since = week_of(today) - dt.timedelta(weeks=2 * WINDOW + 1)
    data.reviews = mastery_selectors.review_weeks(org, since)
    data.cycle = okr_selectors.started_open_cycle(org, today)
    if data.cycle is not None:
        data.key_results = [
            (kr.id, kr.owner_id, kr.team_id, kr.stale)
            for kr in okr_selectors.cycle_key_results(data.cycle, today)
        ]
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
