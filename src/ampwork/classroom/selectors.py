"""Reads of rostering: what an organisation holds, for the importer, in a fixed number of
queries whatever the roster's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ampwork.core import selectors as core_selectors
from ampwork.core.l10n import format_day, format_interval, labelled, with_unit, written
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.core.templatetags.ampwork_tags import num
from ampwork.mastery import selectors as mastery_selectors
from ampwork.okrs import selectors as okr_selectors
from ampwork.pulse import instrument
from ampwork.purpose import selectors as purpose_selectors

from . import consent, portfolio
from .models import (
    ConsentPolicy,
    Goal,
    GoalCheckIn,
    GoalSettings,
    Guardian,
    GuardianOf,
    PulseConsent,
    RosterRecord,
)
from .oneroster import CycleNow, GuardianNow, PersonNow, State


def roster_state(org: Organisation, *, me: Person | None = None) -> State:
    """Everything :func:`ampwork.classroom.oneroster.plan` compares a bundle with: seven
    queries, none per row."""
    state = State(me=me.pk if me else None)
    for pk, kind, sid, team_id, person_id, cycle_id, active in RosterRecord.objects.filter(
        organisation=org
    ).values_list("pk", "kind", "sourced_id", "team_id", "person_id", "cycle_id", "active"):
        state.records[(kind, sid)] = (pk, team_id, person_id, active)
        if cycle_id is not None:
            state.session_cycles[sid] = cycle_id
    state.cycles = {
        pk: CycleNow(row.id, row.name, row.start, row.end, row.open, row.objectives)
        for pk, row in okr_selectors.cycle_rows(org).items()
    }
    for pk, name, email, role, active in Person.objects.filter(organisation=org).values_list(
        "pk", "name", "email", "role", "active"
    ):
        state.people[pk] = PersonNow(pk, name, email, role, active)
        state.emails[email.lower()] = pk
    for pk, name, parent_id in Team.objects.filter(organisation=org).values_list(
        "pk", "name", "parent_id"
    ):
        state.teams[pk] = (name, parent_id)
    records = RosterRecord.objects.filter(organisation=org)
    for pk, team_id, person_id, role in TeamMembership.objects.filter(
        organisation=org,
        team_id__in=records.filter(kind="class", team__isnull=False).values("team_id"),
        person_id__in=records.filter(kind="user", person__isnull=False).values("person_id"),
    ).values_list("pk", "team_id", "person_id", "role"):
        state.memberships[(team_id, person_id)] = (pk, role)
    for pk, sid, name, email, active in Guardian.objects.filter(organisation=org).values_list(
        "pk", "sourced_id", "name", "email", "active"
    ):
        state.guardians[sid] = GuardianNow(pk, name, email, active)
    state.links = set(
        GuardianOf.objects.filter(organisation=org).values_list("guardian_id", "student_id")
    )
    return state


def guardian_count(org: Organisation) -> int:
    return Guardian.objects.filter(organisation=org, active=True).count()


# ---------------------------------------------------------------- consent for student pulses


@dataclass(frozen=True)
class PolicyNow:
    """A school's consent policy as it stands (``rule`` None: not set yet)."""

    rule: str | None
    topics_text: str
    topics: list[consent.Topic]
    set_by: str
    set_at: dt.datetime | None


def policy_of(org: Organisation) -> PolicyNow:
    found = ConsentPolicy.objects.filter(organisation=org).select_related("set_by").first()
    if found is None:
        return PolicyNow(None, "", [], "", None)
    try:
        topics = consent.parse_topics(found.topics)
    except ValueError:  # stored by set_policy, which checks it; a stricter rule since:
        # every line's words still count (the gate must not stop reading a school's topics)
        topics = consent.parse_topics_leniently(found.topics)
    return PolicyNow(
        found.rule, found.topics, topics, found.set_by.name if found.set_by else "", found.set_at
    )


@dataclass(frozen=True)
class Sensitivity:
    """What a round's questions touch: PPRA areas (codes) and the school's topics (names),
    each with the question texts that touch them."""

    areas: dict[str, list[str]]
    topics: dict[str, list[str]]

    def __bool__(self) -> bool:
        return bool(self.areas or self.topics)


def sensitivity(items: list[instrument.Item], topics: list[consent.Topic]) -> Sensitivity:
    """The school's wording of each item, and each age band's, is what students read, so
    it is what is matched."""
    areas: dict[str, list[str]] = {}
    touched: dict[str, list[str]] = {}
    for item in items:
        text = instrument.text_of(item, True)
        for area in sorted(item.areas):
            areas.setdefault(area, []).append(text)
        for wording in instrument.wordings_of(item):
            for name in consent.touched_topics([wording], topics):
                touched.setdefault(name, []).append(wording)
    # the two questions every student pulse ends with are read too
    for text in (*instrument.enps_wordings(), instrument.COMMENT_QUESTION):
        for name in consent.touched_topics([text], topics):
            touched.setdefault(name, []).append(text)
    return Sensitivity(areas, touched)


def students_among(org: Organisation, people: Iterable[int]) -> set[int]:
    """Which of these people are students (the member role) of the school."""
    return set(
        Person.objects.filter(organisation=org, pk__in=list(people), role=Role.MEMBER).values_list(
            "pk", flat=True
        )
    )


def consent_records(org: Organisation, round_id: int) -> dict[int, str]:
    """Each student's recorded answer for a round: ``consent.CONSENTED`` or ``OPTED_OUT``."""
    return dict(
        PulseConsent.objects.filter(organisation=org, round_id=round_id).values_list(
            "student_id", "status"
        )
    )


@dataclass(frozen=True)
class ConsentRow:
    student_id: int
    name: str
    status: str  # "" when nothing is recorded
    guardian: str
    recorded_by: str
    recorded_at: dt.datetime | None
    guardians: list[tuple[int, str]]


def consent_rows(org: Organisation, round_id: int, students: Iterable[int]) -> list[ConsentRow]:
    """One row per student, by name, with their record and their guardians: three queries."""
    records = {
        c.student_id: c
        for c in PulseConsent.objects.filter(organisation=org, round_id=round_id).select_related(
            "guardian", "recorded_by"
        )
    }
    guardians: dict[int, list[tuple[int, str]]] = {}
    for student_id, guardian_id, name in GuardianOf.objects.filter(
        organisation=org, student_id__in=list(students), guardian__active=True
    ).values_list("student_id", "guardian_id", "guardian__name"):
        guardians.setdefault(student_id, []).append((guardian_id, name))
    rows = []
    for pk, name in (
        Person.objects.filter(organisation=org, pk__in=list(students))
        .order_by("name", "pk")
        .values_list("pk", "name")
    ):
        c = records.get(pk)
        rows.append(
            ConsentRow(
                pk,
                name,
                c.status if c else "",
                c.guardian.name if c and c.guardian else "",
                c.recorded_by.name if c and c.recorded_by else "",
                c.recorded_at if c else None,
                guardians.get(pk, []),
            )
        )
    return rows


# ---------------------------------------------------------------- students' goals

# the framework's order: why first, then getting better, then taking charge
KIND_ORDER: dict[str, int] = {Goal.Kind.PURPOSE: 0, Goal.Kind.MASTERY: 1, Goal.Kind.AUTONOMY: 2}
CELEBRATE_WITHIN = 14  # days before a cycle's end from which a goal asks for its celebration


@dataclass(frozen=True)
class CheckInView:
    """One dated check-in on a goal: who wrote it (the student or their teacher), when,
    what, and how far along the goal was then by the writer's word (None: not given)."""

    id: int
    by: str  # GoalCheckIn.By
    author: str  # the writer's name ("" once they are gone)
    written_at: dt.datetime
    text: str
    progress: int | None  # 0..100

    @property
    def by_teacher(self) -> bool:
        return self.by == GoalCheckIn.By.TEACHER

    @property
    def share(self) -> float | None:
        """The progress as a share (0..1), for the pages' percentages."""
        return None if self.progress is None else self.progress / 100


def goal_check_ins(org_id: int, objective_ids: Iterable[int]) -> dict[int, list[CheckInView]]:
    """The check-ins of these goals (by objective id), newest first. One query."""
    found: dict[int, list[CheckInView]] = {}
    for entry in (
        GoalCheckIn.objects.filter(
            organisation_id=org_id, goal__objective_id__in=list(objective_ids)
        )
        .select_related("author", "goal")
        .order_by("-written_at", "-id")
    ):
        found.setdefault(entry.goal.objective_id, []).append(
            CheckInView(
                entry.pk,
                entry.by,
                entry.author.name if entry.author else "",
                entry.written_at,
                entry.text,
                entry.progress,
            )
        )
    return found


@dataclass(frozen=True)
class GoalView:
    """A student's objective in the worksheet's shape: the objective and key results (from
    OKRs' front door) with the sheet's texts."""

    goal: okr_selectors.ObjectiveGoal
    kind: str
    kind_label: str
    starting_point: str
    action_plan: str
    celebration: str
    celebrate: bool  # the cycle ends within CELEBRATE_WITHIN days, or has ended
    talks: list[CheckInView]  # the check-ins with the teacher, newest first

    @property
    def kind_word(self) -> str:
        return self.kind_label.split(":")[0]

    @property
    def lines(self) -> list[portfolio.KeyResultLine]:
        return [key_result_line(kr) for kr in self.goal.key_results]

    @property
    def steps(self) -> list[tuple[str, bool]]:
        return [step for kr in self.goal.key_results for step in kr.milestones]

    @property
    def check_ins(self) -> list[str]:
        return check_in_lines(self)


def order_by_kind(org: Organisation) -> bool:
    """Whether the school lists goals purpose → mastery → autonomy (the default)."""
    found = GoalSettings.objects.filter(organisation=org).values_list("order_by_kind", flat=True)
    return next(iter(found), True)


def student_goals(
    reader: Actor,
    student_id: int,
    objective_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> list[GoalView]:
    """A student's goals (those of cycles not closed, or those named) that ``reader`` may
    see by OKRs' rule (a private one: the student, the author, the student's managers,
    head teachers), in the school's order, each with its check-ins. A fixed number of
    queries whatever the number of goals and check-ins."""
    org = reader.organisation
    today = today or timezone.localdate()
    goals = okr_selectors.person_goals(reader, student_id, objective_ids)
    ids = [g.id for g in goals]
    sheets = {
        sheet.objective_id: sheet
        for sheet in Goal.objects.filter(organisation=org, objective_id__in=ids)
    }
    talks = goal_check_ins(org.pk, ids) if sheets else {}
    labels = dict(Goal.Kind.choices)
    views = []
    for found in goals:
        sheet = sheets.get(found.id)
        kind = sheet.kind if sheet else Goal.Kind.MASTERY
        views.append(
            GoalView(
                found,
                kind,
                str(labels[kind]),
                sheet.starting_point if sheet else "",
                sheet.action_plan if sheet else "",
                sheet.celebration if sheet else "",
                found.cycle_closed or (found.cycle_end - today).days <= CELEBRATE_WITHIN,
                talks.get(found.id, []),
            )
        )
    if order_by_kind(org):
        views.sort(key=lambda view: KIND_ORDER.get(view.kind, 1))  # stable: as written within
    return views


FOLLOW_LIMIT = 500  # students listed on a teacher's goals page; the rest are counted


@dataclass(frozen=True)
class Following:
    students: list[tuple[int, str]]  # (id, name), by name: the first FOLLOW_LIMIT
    total: int  # how many there are in all

    @property
    def more(self) -> int:
        return self.total - len(self.students)


def students_to_follow(actor: Actor, limit: int | None = None) -> Following:
    """The students whose goals the actor follows (``goals.view``): a teacher's — the
    students they coach, in the classes they lead or down their reporting line — or a
    head teacher's (every student), active ones by name: the first ``limit`` of them and
    how many there are (``limit``: FOLLOW_LIMIT). A fixed number of queries."""
    limit = FOLLOW_LIMIT if limit is None else limit
    me = actor.person
    if me is None or actor.role not in {Role.ADMIN, Role.MANAGER}:
        return Following([], 0)
    students = Person.objects.filter(
        organisation=actor.organisation, role=Role.MEMBER, active=True
    ).exclude(pk=me.pk)
    if actor.role != Role.ADMIN:  # a teacher: the students they coach (rules.teaches)
        students = students.filter(pk__in=list(core_selectors.coached_by(me)))
    rows = list(students.order_by("name", "id").values_list("id", "name")[:limit])
    total = len(rows) if len(rows) < limit else students.count()
    return Following(rows, total)


# ---------------------------------------------------------------- the conference portfolio


def _number(value: float | None, unit: str) -> str:
    """As the pages show a number (core's ``num``: at most four decimals), with its unit,
    written as the reader writes numbers ("6,72" in German)."""
    if value is None:
        return _("not checked in yet")
    return with_unit(written(num(value)), unit)


def key_result_line(kr: okr_selectors.KeyResultGoal) -> portfolio.KeyResultLine:
    """A key result's start, target and value now, in words for the page and the paper."""
    if kr.kind == "boolean":
        not_done, done = pgettext("key result", "not done"), pgettext("key result", "done")
        start, target, now = not_done, done, done if kr.done else not_done
    elif kr.kind == "milestones":
        total = len(kr.milestones)
        ticked = sum(1 for _step, done in kr.milestones if done)
        start = ngettext("0 of %(total)d step", "0 of %(total)d steps", total) % {"total": total}
        target = ngettext("all %(total)d step", "all %(total)d steps", total) % {"total": total}
        now = ngettext("%(done)d of %(total)d step", "%(done)d of %(total)d steps", total) % {
            "done": ticked,
            "total": total,
        }
    else:
        start, target = _number(kr.start, kr.unit), _number(kr.target, kr.unit)
        now = _number(kr.current, kr.unit)
    return portfolio.KeyResultLine(kr.title, start, target, now, kr.progress)


def check_in_lines(view: GoalView, *, own_only: bool = False) -> list[str]:
    """Each check-in in a line, naming who wrote it when it was not the student (their
    teacher's); ``own_only``: only the student's own (the printed portfolio)."""
    lines = []
    for kr in view.goal.key_results:
        for entry in kr.check_ins:
            if own_only and entry.author_id != view.goal.owner_id:
                continue
            if kr.kind == "boolean":
                value = pgettext("key result", "done") if entry.done else _("not done yet")
            elif kr.kind == "milestones":
                value = _("steps ticked")
            else:
                value = _number(entry.value, kr.unit)
            by = "" if entry.author_id == view.goal.owner_id else f" ({entry.author_name})"
            note = f" \u2014 {entry.note}" if entry.note else ""
            day = format_day(entry.date, "day_month")
            lines.append((entry.date, labelled(day, f"{kr.title}, {value}{note}{by}")))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


def talk_line(talk: CheckInView, student: str) -> portfolio.TalkLine:
    """A check-in with the teacher for the paper: its day, who wrote it, the text."""
    if talk.by_teacher:
        who = _("%(name)s (teacher)") % {"name": talk.author} if talk.author else _("A teacher")
    else:
        who = student
    return portfolio.TalkLine(timezone.localdate(talk.written_at), who, talk.text, talk.progress)


def conference_portfolio(
    actor: Actor, student: Person, today: dt.date | None = None
) -> portfolio.Portfolio:
    """What the student's printed portfolio holds — only what the student chose to show:
    their purpose statement (the whole of it when they print it themselves, with a note
    when they keep it private; for a teacher only one they show with their name), their
    goals that are not private with progress, their own key-result check-ins (never others'
    check-in notes) and the dated check-ins with their teacher, the reflections they shared
    with their family and the
    feedback their teachers shared with it (for a teacher: only what they may read). A
    fixed number of queries."""
    today = today or timezone.localdate()
    by_author = actor.person is not None and actor.person.pk == student.pk
    views = [
        view for view in student_goals(actor, student.pk, today=today) if not view.goal.private
    ]
    shared = mastery_selectors.shared_with_family(student.organisation_id, student.pk, reader=actor)
    statement = purpose_selectors.statement_for_portfolio(student.pk, by_author=by_author)
    return portfolio.Portfolio(
        student=student.name,
        school=student.organisation.name,
        printed=today,
        purpose=statement.text if statement else None,
        purpose_private=bool(statement and statement.private),
        by_student=by_author,
        goals=[
            portfolio.GoalPage(
                kind=view.kind_word,
                title=view.goal.title,
                progress=view.goal.progress,
                cycle=_("%(cycle)s: %(dates)s")
                % {
                    "cycle": view.goal.cycle_name,
                    "dates": format_interval(view.goal.cycle_start, view.goal.cycle_end),
                },
                starting_point=view.starting_point,
                key_results=view.lines,
                action_plan=view.action_plan,
                steps=view.steps,
                check_ins=check_in_lines(view, own_only=True),
                celebration=view.celebration,
                talks=[talk_line(talk, student.name) for talk in reversed(view.talks)],
            )
            for view in views
        ],
        reflections=[
            portfolio.Reflection(r.week, r.wins, r.setbacks, r.next_steps) for r in shared.reviews
        ],
        feedback=[portfolio.FeedbackNote(f.date, f.giver, f.body) for f in shared.feedback],
    )
