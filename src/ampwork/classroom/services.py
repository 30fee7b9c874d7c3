"""Rostering a school from a OneRoster 1.2 CSV bundle: check everything, then write all of
it in one transaction, or nothing.

The web (zip upload with a preview), the API (``POST /api/v1/imports/oneroster``) and the
CLI (``ampwork import oneroster DIR_OR_ZIP``) all call :func:`check_roster` and
:func:`import_roster`. Bulk-created and bulk-updated rows, with lookups read once
(``selectors.roster_state``): no query per row of the bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import FieldError, NotFound, ValidationFailed, clean_text
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.core.permissions import Actor, require
from ampwork.core.services import end_sessions_of, invite_existing_account, record
from ampwork.logs import logged_import
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs import services as okr_services

from . import bundle, family_services, oneroster, selectors
from .models import Goal, GoalSettings, Guardian, GuardianInvite, GuardianOf, RosterRecord

BATCH = 2000


@dataclass(frozen=True)
class RosterResult:
    """What an import did (or, with ``dry_run``, would do)."""

    dry_run: bool
    counts: dict[str, dict[str, int]]
    notes: list[str]
    classes: list[tuple[int, str, str]]  # line, name, action — the first rows
    users: list[tuple[int, str, str, str]]  # line, name, role, action
    invited: int = 0  # guardians emailed an invitation (``invite_guardians``)

    @property
    def changed(self) -> int:
        return sum(n for c in self.counts.values() for w, n in c.items() if w != "unchanged")


def read_bundle(data: bytes, source: str) -> dict[str, bytes]:
    """The files of an uploaded zip, or ValidationFailed naming what is wrong with it."""
    files, errors = bundle.read_zip(data, source)
    if errors:
        raise ValidationFailed(errors)
    return files


def read_path(path: Path) -> dict[str, bytes]:
    """The files of a zip or of a directory holding the bundle unpacked."""
    if path.is_dir():
        files, errors = bundle.read_directory(path)
    else:
        files, errors = bundle.read_zip(path.read_bytes(), str(path))
    if errors:
        raise ValidationFailed(errors)
    return files


def _allowed(actor: Actor) -> None:
    require(actor, "roster.import", actor.organisation)
    if not actor.organisation.is_school:
        raise ValidationFailed(
            [
                FieldError(
                    "file",
                    gettext("a OneRoster roster is for a school: this organisation is a company"),
                )
            ]
        )


def _plan(actor: Actor, files: dict[str, bytes]) -> oneroster.RosterPlan:
    state = selectors.roster_state(actor.organisation, me=actor.person)
    plan = oneroster.plan(files, state)
    if not plan.ok:
        raise ValidationFailed(plan.errors)
    return plan


def _result(plan: oneroster.RosterPlan, *, dry_run: bool) -> RosterResult:
    def action(new: bool, changed: bool) -> str:
        return "create" if new else "update" if changed else "unchanged"

    return RosterResult(
        dry_run=dry_run,
        counts=plan.summary(),
        notes=plan.notes,
        classes=[
            (op.line, op.name, action(op.team_id is None, op.changed))
            for op in plan.teams
            if op.kind == "class"
        ][:20],
        users=[
            (
                op.line,
                op.name,
                {"guardian": "guardian", Role.MEMBER: "student"}.get(op.role, "teacher"),
                "deactivate"
                if not op.active
                else action(op.person_id is None and op.guardian_id is None, op.changed),
            )
            for op in plan.users
        ][:20],
    )


def check_roster(*, actor: Actor, files: dict[str, bytes]) -> RosterResult:
    """What an import of the bundle would do; ValidationFailed with every error if any."""
    _allowed(actor)
    return _result(_plan(actor, files), dry_run=True)


def import_roster(
    *,
    actor: Actor,
    files: dict[str, bytes],
    source: str = "roster.zip",
    invite_guardians: bool = False,
) -> RosterResult:
    """Import the bundle, all or nothing, and say what it did. With ``invite_guardians``,
    each guardian the roster lists who has an email and no sign-in yet is emailed an
    invitation (``family_services.invite_guardian``), sent only once the import commits."""
    done: list[RosterResult] = []
    _import(actor=actor, files=files, source=source, done=done, invite=invite_guardians)
    return done[0]


@logged_import("oneroster")
@transaction.atomic
def _import(
    *, actor: Actor, files: dict[str, bytes], source: str, done: list[RosterResult], invite: bool
) -> int:
    _allowed(actor)
    plan = _plan(actor, files)
    _write(actor, plan)
    invited = _invite_guardians(actor, plan) if invite else 0
    result = _result(plan, dry_run=False)
    if invite:
        result.notes.append(
            ngettext(
                "%(n)d guardian invited by email (those with an email address, no sign-in yet "
                "and no invitation waiting).",
                "%(n)d guardians invited by email (those with an email address, no sign-in yet "
                "and no invitation waiting).",
                invited,
            )
            % {"n": invited}
        )
    result = replace(result, invited=invited)
    record(
        actor,
        actor.organisation,
        "roster.imported",
        None,
        invited=invited,
        **{entity: dict(c) for entity, c in result.counts.items()},
    )
    done.append(result)
    return result.changed


def _invite_guardians(actor: Actor, plan: oneroster.RosterPlan) -> int:
    """Invite the active guardians of this roster who have an email, no account yet, a child
    at the school and no invitation still waiting (a re-import does not email them again):
    the teachers' own invitation, one by one (its rules and audit); the emails are queued
    when the import's transaction commits, so a refused import sends nothing."""
    org = actor.organisation
    listed = [
        op.guardian_id
        for op in plan.users
        if op.role == "guardian" and op.active and op.guardian_id is not None
    ]
    now = timezone.now()
    waiting = GuardianInvite.objects.filter(
        guardian=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now
    )
    children = GuardianOf.objects.filter(
        guardian=OuterRef("pk"), student__active=True, student__role=Role.MEMBER
    )
    candidates = list(
        Guardian.objects.filter(organisation=org, pk__in=listed, active=True, user__isnull=True)
        .exclude(email="")
        .filter(Exists(children))
        .exclude(Exists(waiting))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    invited = 0
    for guardian_id in candidates:
        try:
            family_services.invite_guardian(actor=actor, guardian_id=guardian_id)
        except ValidationFailed:
            continue  # e.g. an address the invitation refuses: the others are still invited
        invited += 1
    return invited


def import_roster_path(
    *, actor: Actor, path: Path, dry_run: bool = False, invite_guardians: bool = False
) -> RosterResult:
    """The CLI's door: a zip or a directory; ``dry_run`` checks and says what would change
    (and invites nobody)."""
    files = read_path(path)
    if dry_run:
        return check_roster(actor=actor, files=files)
    return import_roster(
        actor=actor, files=files, source=str(path), invite_guardians=invite_guardians
    )


def _write(actor: Actor, plan: oneroster.RosterPlan) -> None:
    """Write a clean plan: a fixed number of reads, rows created and updated in bulk."""
    org = actor.organisation
    _write_teams(org, plan)
    _write_terms(actor, plan)
    created = _write_people(org, plan)
    _write_guardians(actor, plan)
    _write_records(org, plan)
    person_of = dict(
        RosterRecord.objects.filter(
            organisation=org, kind="user", person__isnull=False
        ).values_list("sourced_id", "person_id")
    )
    _write_memberships(org, plan, person_of)
    _write_links(org, plan, person_of)
    # someone whose email already has a sign-in elsewhere is asked to join, never attached
    emails = [person.email for person in created]
    with_account = (
        set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        if emails
        else set()
    )
    for person in created:
        if person.email in with_account:
            invite_existing_account(actor, person)


def _write_teams(org: Organisation, plan: oneroster.RosterPlan) -> None:
    # the schools of earlier imports, for classes of a delta file without orgs.csv
    school_of = dict(
        RosterRecord.objects.filter(organisation=org, kind="org", team__isnull=False).values_list(
            "sourced_id", "team_id"
        )
    )
    for kind in ("school", "class"):  # schools first: classes sit inside them
        ops = [op for op in plan.teams if op.kind == kind]
        new = [op for op in ops if op.team_id is None]
        old = [op for op in ops if op.team_id is not None and op.changed]
        created = Team.objects.bulk_create(
            [
                Team(
                    organisation=org,
                    name=op.name,
                    kind=Team.Kind.SCHOOL if kind == "school" else Team.Kind.CLASS,
                    parent_id=school_of.get(op.parent_sid),
                )
                for op in new
            ],
            batch_size=BATCH,
        )
        for op, team in zip(new, created, strict=True):
            op.team_id = team.pk
        Team.objects.bulk_update(
            [
                Team(pk=op.team_id, name=op.name, parent_id=school_of.get(op.parent_sid))
                for op in old
            ],
            ["name", "parent_id"] if kind == "class" else ["name"],
            batch_size=BATCH,
        )
        if kind == "school":
            school_of.update({op.sourced_id: op.team_id for op in ops if op.team_id})


def _write_terms(actor: Actor, plan: oneroster.RosterPlan) -> None:
    """Terms and semesters as cycles (okrs' front door, in bulk)."""
    write = [op for op in plan.terms if not op.close and (op.cycle_id is None or op.changed)]
    close = [op.cycle_id for op in plan.terms if op.close and op.cycle_id is not None]
    if not write and not close:
        return
    ids = okr_services.roster_cycles(
        actor=actor,
        write=[okr_services.TermCycle(op.cycle_id, op.name, op.start, op.end) for op in write],
        close=close,
    )
    for op, cycle_id in zip(write, ids, strict=True):
        op.cycle_id = cycle_id


def _write_people(org: Organisation, plan: oneroster.RosterPlan) -> list[Person]:
    """New people created, the others updated, leavers deactivated; the new ones."""
    people = [user for user in plan.users if user.role != "guardian"]
    new = [user for user in people if user.person_id is None]
    old = [user for user in people if user.person_id is not None and user.changed]
    # who leaves now (tobedeleted, or missing from a bulk file; enabledUser=false only
    # disables a sign-in): the day they left, unless they had left already (inactive, with
    # a day) — read before the writes below
    leaving = {*plan.deactivate_people, *(u.person_id for u in people if u.left and u.person_id)}
    left_now = set(
        Person.objects.filter(organisation=org, pk__in=leaving)
        .filter(Q(active=True) | Q(left_at__isnull=True))
        .values_list("pk", flat=True)
    )
    created = Person.objects.bulk_create(
        [
            Person(
                organisation=org,
                name=user.name,
                email=user.email,
                role=user.role,
                active=user.active,
            )
            for user in new
        ],
        batch_size=BATCH,
    )
    for user, person in zip(new, created, strict=True):
        user.person_id = person.pk
    Person.objects.bulk_update(
        [
            Person(
                pk=user.person_id,
                name=user.name,
                email=user.email,
                role=user.role,
                active=user.active,
            )
            for user in old
        ],
        ["name", "email", "role", "active"],
        batch_size=BATCH,
    )
    if plan.deactivate_people:
        Person.objects.filter(organisation=org, pk__in=plan.deactivate_people).update(active=False)
    # when each leaver left (a school's retention policy counts from it); anyone in the file
    # who is not leaving is still here (back again, or only disabled): no day
    Person.objects.filter(organisation=org, pk__in=left_now).update(left_at=timezone.now())
    here = [u.person_id for u in people if not u.left and u.person_id]
    Person.objects.filter(organisation=org, pk__in=here, left_at__isnull=False).update(left_at=None)
    # whoever is inactive now (left, or their sign-in disabled) is signed out everywhere
    touched = {*leaving, *(u.person_id for u in old if u.person_id is not None)}
    if touched:
        end_sessions_of(
            Person.objects.filter(
                organisation=org, pk__in=touched, active=False, user__isnull=False
            ).values_list("user_id", flat=True)
        )
    return created


def _write_guardians(actor: Actor, plan: oneroster.RosterPlan) -> None:
    org = actor.organisation
    guardians = [user for user in plan.users if user.role == "guardian"]
    new = [user for user in guardians if user.guardian_id is None]
    old = [user for user in guardians if user.guardian_id is not None and user.changed]
    # the emails on record before the update: a changed one detaches the guardian's account
    emails_before = (
        dict(
            Guardian.objects.filter(
                organisation=org, pk__in=[user.guardian_id for user in old]
            ).values_list("pk", "email")
        )
        if old
        else {}
    )
    created = Guardian.objects.bulk_create(
        [
            Guardian(
                organisation=org,
                sourced_id=user.sourced_id,
                name=user.name,
                email=user.email,
                active=user.active,
            )
            for user in new
        ],
        batch_size=BATCH,
    )
    for user, guardian in zip(new, created, strict=True):
        user.guardian_id = guardian.pk
    Guardian.objects.bulk_update(
        [
            Guardian(pk=user.guardian_id, name=user.name, email=user.email, active=user.active)
            for user in old
        ],
        ["name", "email", "active"],
        batch_size=BATCH,
    )
    _email_changed(
        actor,
        [
            user.guardian_id
            for user in old
            if user.guardian_id is not None
            and emails_before.get(user.guardian_id, "").strip().lower()
            != user.email.strip().lower()
        ],
    )
    if plan.deactivate_guardians:
        Guardian.objects.filter(organisation=org, pk__in=plan.deactivate_guardians).update(
            active=False
        )


def _email_changed(actor: Actor, guardian_ids: list[int]) -> None:
    """A guardian's email changed (a custody change, a sourcedId reused): their unused
    invitations stop working (deleted) and the account that signed in as them is detached
    — it was the old address's. Each recorded in the audit log. Three queries."""
    if not guardian_ids:
        return
    org = actor.organisation
    pending = dict(
        GuardianInvite.objects.filter(guardian_id__in=guardian_ids, used_at__isnull=True)
        .values("guardian_id")
        .annotate(n=Count("pk"))
        .values_list("guardian_id", "n")
    )
    GuardianInvite.objects.filter(guardian_id__in=guardian_ids, used_at__isnull=True).delete()
    attached = list(
        Guardian.objects.filter(organisation=org, pk__in=guardian_ids, user__isnull=False)
    )
    Guardian.objects.filter(pk__in=[g.pk for g in attached]).update(user=None)
    detached = {g.pk for g in attached}
    for guardian in Guardian.objects.filter(organisation=org, pk__in=guardian_ids):
        record(
            actor,
            org,
            "guardian.email_changed",
            guardian,
            account_detached=guardian.pk in detached,
            invitations_removed=pending.get(guardian.pk, 0),
        )


def _write_records(org: Organisation, plan: oneroster.RosterPlan) -> None:
    """Each record's sourcedId, so that the next import updates rather than adds."""
    now = timezone.now()
    records = {
        (kind, sid): (pk, team_id, person_id, cycle_id, active)
        for pk, kind, sid, team_id, person_id, cycle_id, active in RosterRecord.objects.filter(
            organisation=org
        ).values_list("pk", "kind", "sourced_id", "team_id", "person_id", "cycle_id", "active")
    }
    rows = [
        RosterRecord(
            organisation=org,
            kind="org" if op.kind == "school" else "class",
            sourced_id=op.sourced_id,
            team_id=op.team_id,
            active=op.active,
        )
        for op in plan.teams
    ]
    rows += [
        RosterRecord(
            organisation=org,
            kind="user",
            sourced_id=user.sourced_id,
            person_id=user.person_id,
            active=user.active,
        )
        for user in plan.users
        if user.role != "guardian"
    ]
    schools = {op.sourced_id for op in plan.teams if op.kind == "school"}
    # a term's cycle: the one written now, else the one it became before (kept)
    cycle_of = {
        sid: found[3] for (kind, sid), found in records.items() if kind == "session" and found[3]
    } | {op.sourced_id: op.cycle_id for op in plan.terms if op.cycle_id is not None}
    rows += [
        RosterRecord(
            organisation=org,
            kind=kind,
            sourced_id=sid,
            cycle_id=cycle_of.get(sid) if kind == "session" else None,
            active=active,
        )
        for kind, sid, active in plan.records
        if not (kind == "org" and sid in schools)
    ]
    changed = []
    for row in rows:
        row.updated_at = now
        if found := records.get((row.kind, row.sourced_id)):
            row.pk = found[0]
            if found[1:] != (row.team_id, row.person_id, row.cycle_id, row.active):
                changed.append(row)
    RosterRecord.objects.bulk_create([r for r in rows if r.pk is None], batch_size=BATCH)
    RosterRecord.objects.bulk_update(
        changed, ["team_id", "person_id", "cycle_id", "active", "updated_at"], batch_size=BATCH
    )
    if plan.deactivate_people:
        RosterRecord.objects.filter(
            organisation=org, kind="user", person_id__in=plan.deactivate_people
        ).update(active=False, updated_at=now)


def _write_memberships(
    org: Organisation, plan: oneroster.RosterPlan, person_of: dict[str, int]
) -> None:
    class_team = dict(
        RosterRecord.objects.filter(organisation=org, kind="class", team__isnull=False).values_list(
            "sourced_id", "team_id"
        )
    )
    # every membership of the rostered classes, whoever added it (never a second one)
    memberships = {
        (t, p): (pk, role)
        for pk, t, p, role in TeamMembership.objects.filter(
            organisation=org, team_id__in=set(class_team.values())
        ).values_list("pk", "team_id", "person_id", "role")
    }
    TeamMembership.objects.filter(organisation=org, pk__in=plan.unenrol).delete()
    add, change = [], []
    for (class_sid, user_sid), role in plan.enrol.items():
        team_id, person_id = class_team[class_sid], person_of[user_sid]
        now_there = memberships.get((team_id, person_id))
        if now_there is None:
            add.append(
                TeamMembership(organisation=org, team_id=team_id, person_id=person_id, role=role)
            )
        elif now_there[1] != role and now_there[0] not in plan.unenrol:
            change.append(TeamMembership(pk=now_there[0], role=role))
    TeamMembership.objects.bulk_create(add, batch_size=BATCH)
    TeamMembership.objects.bulk_update(change, ["role"], batch_size=BATCH)


def _write_links(org: Organisation, plan: oneroster.RosterPlan, person_of: dict[str, int]) -> None:
    """Guardianships: the ones the roster no longer has removed, the new ones added."""
    guardian_of = dict(Guardian.objects.filter(organisation=org).values_list("sourced_id", "pk"))
    links = {
        (g, s): pk
        for pk, g, s in GuardianOf.objects.filter(organisation=org).values_list(
            "pk", "guardian_id", "student_id"
        )
    }
    gone = [links.pop(pair) for pair in plan.unlink if pair in links]
    GuardianOf.objects.filter(organisation=org, pk__in=gone).delete()
    GuardianOf.objects.bulk_create(
        [
            GuardianOf(organisation=org, guardian_id=guardian_of[g], student_id=person_of[s])
            for g, s in sorted(plan.links)
            if g in guardian_of and s in person_of and (guardian_of[g], person_of[s]) not in links
        ],
        batch_size=BATCH,
    )


# ---------------------------------------------------------------- students' goals

GOAL_TEXT_LIMIT = 2000


def goal_student(actor: Actor, objective_id: int) -> Person:
    """The student whose objective this is (a school's, the actor's organisation's)."""
    if not actor.organisation.is_school:
        raise NotFound("students' goals are for schools")
    owner = okr_selectors.objective_owner(actor, objective_id)
    return core_selectors.get_person(actor.organisation, owner)


@transaction.atomic
def save_goal(
    *,
    actor: Actor,
    objective_id: int,
    kind: str,
    starting_point: str,
    action_plan: str,
    celebration: str,
) -> Goal:
    """A student writes their own goal's sheet: where they start, their plan and, at the
    end, what they are proud of. Nobody else writes them (``goals.write``)."""
    student = goal_student(actor, objective_id)
    require(actor, "goals.write", student)
    if kind not in Goal.Kind.values:
        raise ValidationFailed.single("kind", gettext("choose purpose, mastery or autonomy"))
    texts = {
        "starting_point": clean_text(
            starting_point, "starting_point", GOAL_TEXT_LIMIT, required=False
        ),
        "action_plan": clean_text(action_plan, "action_plan", GOAL_TEXT_LIMIT, required=False),
        "celebration": clean_text(celebration, "celebration", GOAL_TEXT_LIMIT, required=False),
    }
    goal, _ = Goal.objects.update_or_create(
        objective_id=objective_id,
        defaults={
            "organisation": actor.organisation,
            "student": student,
            "kind": kind,
            "updated_at": timezone.now(),
            **texts,
        },
    )
    record(actor, actor.organisation, "goal.save", goal)
    return goal


@transaction.atomic
def set_goal_order(*, actor: Actor, order_by_kind: bool) -> GoalSettings:
    """A head teacher chooses whether students' goals are listed purpose → mastery →
    autonomy (the default) or in the order they were written."""
    if not actor.organisation.is_school:
        raise NotFound("students' goals are for schools")
    require(actor, "goals.settings", actor.organisation)
    found, _ = GoalSettings.objects.update_or_create(
        organisation=actor.organisation, defaults={"order_by_kind": order_by_kind}
    )
    record(actor, actor.organisation, "goal.settings", None, order_by_kind=order_by_kind)
    return found
