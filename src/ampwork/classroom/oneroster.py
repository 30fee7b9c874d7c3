"""Check a OneRoster 1.2 CSV bundle against a school, and say what importing it would do.

No writes and no queries here: :func:`plan` reads the bundle's files (``bundle.py``),
checks them against what the organisation already holds (a :class:`State`, read by
``selectors.roster_state``) and answers a :class:`RosterPlan` — what would be created,
updated and deactivated, or every error that stops the import, with its file, line and
column. ``services`` writes a clean plan in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext, ngettext

from ampwork.core.models import Role, TeamMembership

from .bundle import (
    CLASS_TYPES,
    COLUMNS,
    ENROLLMENT_ROLES,
    LEADS,
    MANIFEST,
    NO_EMAIL_DOMAIN,
    ORG_TYPES,
    ROLE_TYPES,
    SESSION_TYPES,
    STAFF,
    USER_ROLES,
    Findings,
    Reader,
    check_dates,
    check_enum,
    check_refs,
    parse_date,
    read_manifest,
    read_records,
    split_ids,
)

# academic sessions of these types become OKR cycles (docs/imports.md, *Terms*)
CYCLE_TYPES = {"term", "semester"}
CYCLE_NAME = 100  # a cycle's name, at most
MAX_CYCLE_DAYS = 800  # as okrs' cycles: at most about two years

# ---------------------------------------------------------------- what the organisation holds


@dataclass(frozen=True)
class PersonNow:
    id: int
    name: str
    email: str
    role: str
    active: bool


@dataclass(frozen=True)
class GuardianNow:
    id: int
    name: str
    email: str
    active: bool


@dataclass(frozen=True)
class CycleNow:
    id: int
    name: str
    start: dt.date
    end: dt.date
    open: bool
    objectives: int


@dataclass
class State:
    """What the organisation holds now, as plain values (``selectors.roster_state``)."""

    # (kind, sourcedId) -> (record id, team id, person id, active)
    records: dict[tuple[str, str], tuple[int, int | None, int | None, bool]] = field(
        default_factory=dict
    )
    people: dict[int, PersonNow] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)  # lower-case email -> person id
    teams: dict[int, tuple[str, int | None]] = field(default_factory=dict)  # id -> name, parent
    # (team id, person id) -> membership id, role: rostered people in rostered classes
    memberships: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)
    guardians: dict[str, GuardianNow] = field(default_factory=dict)  # sourcedId -> guardian
    links: set[tuple[int, int]] = field(default_factory=set)  # (guardian id, student id)
    me: int | None = None  # the importer's own person: their role is never changed
    cycles: dict[int, CycleNow] = field(default_factory=dict)  # every cycle of the school
    session_cycles: dict[str, int] = field(default_factory=dict)  # term sourcedId -> cycle id


# ---------------------------------------------------------------- the plan


@dataclass
class TeamOp:
    sourced_id: str
    name: str
    kind: str  # school or class
    line: int
    team_id: int | None = None  # None: to create
    parent_sid: str = ""  # a class's school
    changed: bool = True
    active: bool = True  # false: tobedeleted (the team stays; a class loses its roster)


@dataclass
class TermOp:
    """A term or semester as an OKR cycle: created, renamed or re-dated, or closed."""

    sourced_id: str
    name: str
    start: dt.date
    end: dt.date
    line: int
    cycle_id: int | None = None  # None: to create
    changed: bool = True
    close: bool = False  # tobedeleted in a delta, and the cycle holds no objective


@dataclass
class UserOp:
    sourced_id: str
    name: str
    email: str
    role: str  # core Role value; "guardian" for guardians
    active: bool
    line: int
    person_id: int | None = None  # an existing person (rostered before, or same email)
    guardian_id: int | None = None
    changed: bool = True
    # tobedeleted: they left (a school's retention counts from it); inactive but not left:
    # enabledUser=false, sign-in disabled
    left: bool = False


@dataclass
class RosterPlan(Findings):
    """What importing a bundle would do (or the errors that stop it)."""

    teams: list[TeamOp] = field(default_factory=list)
    terms: list[TermOp] = field(default_factory=list)
    users: list[UserOp] = field(default_factory=list)
    # other records kept by sourcedId only: (kind, sourcedId, active)
    records: list[tuple[str, str, bool]] = field(default_factory=list)
    deactivate_people: set[int] = field(default_factory=set)
    deactivate_guardians: set[int] = field(default_factory=set)
    # (class sourcedId, user sourcedId) -> membership role
    enrol: dict[tuple[str, str], str] = field(default_factory=dict)
    unenrol: set[int] = field(default_factory=set)  # membership ids
    links: set[tuple[str, str]] = field(default_factory=set)  # (guardian sid, student sid)
    unlink: set[tuple[int, int]] = field(default_factory=set)  # (guardian id, student id)
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, entity: str, what: str, n: int = 1) -> None:
        self.counts.setdefault(entity, Counter())[what] += n

    def summary(self) -> dict[str, dict[str, int]]:
        order = ["created", "updated", "unchanged", "deactivated", "removed"]
        return {
            entity: {w: self.counts[entity][w] for w in order}
            for entity in ENTITIES
            if entity in self.counts
        }


ENTITIES = ["schools", "terms", "classes", "teachers", "students", "guardians", "enrollments"]
Rows = dict[str, tuple[int, dict[str, str]]]  # a file's rows by sourcedId: (line, row)


def _unique_name(title: str, suffix: str, taken: set[str], limit: int = 200) -> str:
    name = title[:limit]
    if name.lower() in taken:
        name = f"{title[: limit - 20]} ({suffix[:17]})"
    n = 2
    while name.lower() in taken:
        name = f"{title[: limit - 25]} ({suffix[:17]} {n})"
        n += 1
    taken.add(name.lower())
    return name


def plan(files: dict[str, bytes], state: State) -> RosterPlan:
    """Check a bundle against what the organisation holds, and say what would change."""
    out = RosterPlan()
    reader = Reader(files, out)
    read_manifest(reader)
    if out.errors:
        return out
    orgs, orgs_deleted, org_ids = read_records(reader, "orgs.csv", _earlier(state, "org"))
    sessions, sessions_deleted, session_ids = read_records(
        reader, "academicSessions.csv", _earlier(state, "session")
    )
    courses, courses_deleted, course_ids = read_records(
        reader, "courses.csv", _earlier(state, "course")
    )
    classes, classes_deleted, class_ids = read_records(
        reader, "classes.csv", _earlier(state, "class")
    )
    users, users_deleted, user_ids = read_records(reader, "users.csv", _earlier(state, "user"))
    if out.modes.get("users.csv") != "bulk":
        user_ids |= set(state.guardians)
    roles, _roles_deleted, _ = read_records(reader, "roles.csv", _earlier(state, "role"))
    enrollments, _enrol_deleted, _ = read_records(
        reader, "enrollments.csv", _earlier(state, "enrollment")
    )

    if out.errors:  # a file that cannot be read: its references would all look unknown
        return _sorted(out)
    school_ids, kinds = _check_references(
        reader,
        state,
        orgs,
        sessions,
        courses,
        classes,
        roles,
        org_ids,
        session_ids,
        course_ids,
        user_ids,
    )
    _users(reader, out, users, users_deleted, user_ids, kinds, org_ids, state)
    _enrollments(reader, out, enrollments, class_ids, user_ids, org_ids, state)
    if out.errors:
        return _sorted(out)

    _plan_teams(out, state, orgs, orgs_deleted, school_ids, classes, classes_deleted)
    _plan_terms(out, state, sessions, sessions_deleted)
    for sid in sessions:
        out.records.append(("session", sid, sid not in sessions_deleted))
    for sid in courses:
        out.records.append(("course", sid, sid not in courses_deleted))
    others = sum(1 for _line, row in sessions.values() if row.get("type") not in CYCLE_TYPES)
    if others or courses:
        out.notes.append(
            gettext(
                "academicSessions.csv, courses.csv: %(sessions)d school years and grading "
                "periods and %(courses)d courses checked and kept by sourcedId only (terms and "
                "semesters become cycles)"
            )
            % {"sessions": others, "courses": len(courses)}
        )
    dropped_classes = set(classes_deleted)
    if out.modes.get("classes.csv") == "bulk":
        dropped_classes |= {s for (k, s) in state.records if k == "class"} - set(classes)

    _plan_people(out, state, users)
    _plan_enrollments(out, state, enrollments, dropped_classes)
    return out


def _check_references(
    reader: Reader,
    state: State,
    orgs: Rows,
    sessions: Rows,
    courses: Rows,
    classes: Rows,
    roles: Rows,
    org_ids: set[str],
    session_ids: set[str],
    course_ids: set[str],
    user_ids: set[str],
) -> tuple[set[str], dict[str, set[str]]]:
    """Check the values and references of orgs, sessions, courses, classes and roles; answer
    the schools' sourcedIds and each user's roles."""
    # orgs: schools become teams of kind school; the others are kept by sourcedId only
    school_ids = {s for (k, s), rec in state.records.items() if k == "org" and rec[1]}
    for sid, (line, row) in orgs.items():
        kind = check_enum(reader, "orgs.csv", row, line, "type", ORG_TYPES)
        parent = row.get("parentSourcedId", "")
        check_refs(
            reader, "orgs.csv", line, "parentSourcedId", [parent] if parent else [], org_ids, "org"
        )
        if kind == "school":
            school_ids.add(sid)
        else:
            school_ids.discard(sid)
    for line, row in sessions.values():
        kind = check_enum(reader, "academicSessions.csv", row, line, "type", SESSION_TYPES)
        check_dates(reader, "academicSessions.csv", row, line, "startDate", "endDate")
        start, end = parse_date(row.get("startDate", "")), parse_date(row.get("endDate", ""))
        if start and end and end < start:
            reader.error("academicSessions.csv", "endDate", gettext("is before startDate"), line)
        elif start and end and kind in CYCLE_TYPES:
            if end == start:
                reader.error(
                    "academicSessions.csv",
                    "endDate",
                    gettext(
                        "is the same day as startDate: a %(type)s becomes a cycle, which ends "
                        "after the day it starts"
                    )
                    % {"type": kind},
                    line,
                )
            elif (end - start).days > MAX_CYCLE_DAYS:
                reader.error(
                    "academicSessions.csv",
                    "endDate",
                    gettext(
                        "is more than %(days)d days after startDate: a %(type)s becomes a "
                        "cycle, which lasts at most about two years"
                    )
                    % {"days": MAX_CYCLE_DAYS, "type": kind},
                    line,
                )
        year = row.get("schoolYear", "")
        if year and not re.fullmatch(r"\d{4}", year):
            reader.error(
                "academicSessions.csv",
                "schoolYear",
                gettext("'%(value)s' is not a year like 2025") % {"value": year},
                line,
            )
        parent = row.get("parentSourcedId", "")
        if parent:
            check_refs(
                reader,
                "academicSessions.csv",
                line,
                "parentSourcedId",
                [parent],
                session_ids,
                "academic session",
            )
    for line, row in courses.values():
        check_refs(
            reader,
            "courses.csv",
            line,
            "orgSourcedId",
            [row.get("orgSourcedId", "")],
            org_ids,
            "org",
        )
        year = row.get("schoolYearSourcedId", "")
        if year:
            check_refs(
                reader,
                "courses.csv",
                line,
                "schoolYearSourcedId",
                [year],
                session_ids,
                "academic session",
            )
    for line, row in classes.values():
        check_enum(reader, "classes.csv", row, line, "classType", CLASS_TYPES)
        check_refs(
            reader,
            "classes.csv",
            line,
            "courseSourcedId",
            [row.get("courseSourcedId", "")],
            course_ids,
            "course",
        )
        school = row.get("schoolSourcedId", "")
        check_refs(reader, "classes.csv", line, "schoolSourcedId", [school], org_ids, "org")
        if school in org_ids and school not in school_ids:
            reader.error(
                "classes.csv",
                "schoolSourcedId",
                gettext("org '%(id)s' is not of type school") % {"id": school},
                line,
            )
        terms = split_ids(row.get("termSourcedIds", ""))
        check_refs(
            reader, "classes.csv", line, "termSourcedIds", terms, session_ids, "academic session"
        )

    # roles: each user's kind (staff, student, guardian) from their active roles
    kinds: dict[str, set[str]] = {}
    for line, row in roles.values():
        role = check_enum(reader, "roles.csv", row, line, "role", USER_ROLES)
        check_enum(reader, "roles.csv", row, line, "roleType", ROLE_TYPES)
        check_dates(reader, "roles.csv", row, line, "beginDate", "endDate")
        user = row.get("userSourcedId", "")
        check_refs(reader, "roles.csv", line, "userSourcedId", [user], user_ids, "user")
        check_refs(
            reader, "roles.csv", line, "orgSourcedId", [row.get("orgSourcedId", "")], org_ids, "org"
        )
        if row.get("status") != "tobedeleted" and role in USER_ROLES:
            kinds.setdefault(user, set()).add(role)

    return school_ids, kinds


def _plan_teams(
    out: RosterPlan,
    state: State,
    orgs: Rows,
    orgs_deleted: set[str],
    school_ids: set[str],
    classes: Rows,
    classes_deleted: set[str],
) -> None:
    """Schools and classes: created, renamed or moved, or unchanged."""
    taken = {name.lower() for name, _ in state.teams.values()}
    for sid, (line, row) in orgs.items():
        if sid in school_ids:
            school_op = _team(
                out,
                state,
                taken,
                sid,
                row.get("name", ""),
                "school",
                line,
                row.get("identifier") or sid,
            )
            school_op.active = sid not in orgs_deleted
        out.records.append(("org", sid, sid not in orgs_deleted))
    for sid, (line, row) in classes.items():
        op = _team(
            out, state, taken, sid, row.get("title", ""), "class", line, row.get("classCode") or sid
        )
        op.parent_sid = row.get("schoolSourcedId", "")
        op.active = sid not in classes_deleted
        if op.team_id is not None and state.teams[op.team_id][1] != _school_team(
            state, op.parent_sid
        ):
            op.changed = True
    for entity, rows in (
        ("schools", [op for op in out.teams if op.kind == "school"]),
        ("classes", [op for op in out.teams if op.kind == "class"]),
    ):
        for op in rows:
            out.count(
                entity,
                "created" if op.team_id is None else "updated" if op.changed else "unchanged",
            )


def _plan_terms(out: RosterPlan, state: State, sessions: Rows, deleted: set[str]) -> None:
    """Terms and semesters become cycles, matched by sourcedId: created, renamed or
    re-dated; one marked tobedeleted is closed if it holds no objective, otherwise kept
    (and said in the notes). A cycle the school made itself is never taken over: a title
    already used gets the school year added."""
    taken = {cycle.name.lower() for cycle in state.cycles.values()}
    for sid, (line, row) in sessions.items():
        if row.get("type") not in CYCLE_TYPES:
            continue
        cycle_id = state.session_cycles.get(sid)
        now = state.cycles.get(cycle_id) if cycle_id is not None else None
        if sid in deleted:
            if now is None or not now.open:
                continue  # never imported, or closed already: nothing to do
            if now.objectives:
                out.count("terms", "unchanged")
                out.notes.append(
                    ngettext(
                        "academicSessions.csv, line %(line)d: %(name)s is to be deleted but "
                        "its cycle holds %(n)d objective: it stays open (close it on the "
                        "cycles page)",
                        "academicSessions.csv, line %(line)d: %(name)s is to be deleted but "
                        "its cycle holds %(n)d objectives: it stays open (close it on the "
                        "cycles page)",
                        now.objectives,
                    )
                    % {"line": line, "name": now.name, "n": now.objectives}
                )
                continue
            out.terms.append(
                TermOp(sid, now.name, now.start, now.end, line, now.id, changed=True, close=True)
            )
            out.count("terms", "deactivated")
            continue
        start, end = parse_date(row["startDate"]), parse_date(row["endDate"])
        if start is None or end is None:  # checked before: never so
            continue
        title = row.get("title", "")
        suffix = row.get("schoolYear") or sid
        if now is not None and not now.open:
            # a closed cycle is the record of a finished term (scored, reviewed): the
            # roster never changes it, as docs/imports.md says
            out.terms.append(TermOp(sid, now.name, now.start, now.end, line, now.id, changed=False))
            out.count("terms", "unchanged")
            continue
        if now is not None:
            if now.name == title[:CYCLE_NAME] or now.name.startswith(
                title[: CYCLE_NAME - 25] + " ("
            ):
                name = now.name
            else:
                taken.discard(now.name.lower())
                name = _unique_name(title, suffix, taken, CYCLE_NAME)
            changed = (name, start, end) != (now.name, now.start, now.end)
            out.terms.append(TermOp(sid, name, start, end, line, now.id, changed=changed))
            out.count("terms", "updated" if changed else "unchanged")
        else:
            name = _unique_name(title, suffix, taken, CYCLE_NAME)
            out.terms.append(TermOp(sid, name, start, end, line))
            out.count("terms", "created")


def _plan_people(out: RosterPlan, state: State, users: Rows) -> None:
    """Count people and guardians; in bulk, deactivate who is missing; guardianships."""
    bulk_users = out.modes.get("users.csv") == "bulk"
    roster_people = {rec[2]: s for (k, s), rec in state.records.items() if k == "user" and rec[2]}
    in_file: set[str] = set()
    for who in out.users:
        in_file.add(who.sourced_id)
        entity = (
            "guardians"
            if who.role == "guardian"
            else "students"
            if who.role == Role.MEMBER
            else "teachers"
        )
        was_active = (
            state.guardians[who.sourced_id].active
            if who.guardian_id is not None
            else state.people[who.person_id].active
            if who.person_id is not None
            else True
        )
        if who.person_id is None and who.guardian_id is None:
            out.count(entity, "created")
        elif was_active and not who.active:
            out.count(entity, "deactivated")
        else:
            out.count(entity, "updated" if who.changed else "unchanged")
    if bulk_users:
        for pid, sid in roster_people.items():
            person = state.people.get(pid)
            if sid not in in_file and person and person.active and pid != state.me:
                out.deactivate_people.add(pid)
                out.count("students" if person.role == Role.MEMBER else "teachers", "deactivated")
        for sid, guardian in state.guardians.items():
            if sid not in in_file and guardian.active:
                out.deactivate_guardians.add(guardian.id)
                out.count("guardians", "deactivated")
    # guardianships from agentSourcedIds, either way round
    guardian_sids = {op.sourced_id for op in out.users if op.role == "guardian"} | (
        set() if bulk_users else set(state.guardians) - in_file
    )
    for sid, (_line, row) in users.items():
        for agent in split_ids(row.get("agentSourcedIds", "")):
            if sid in guardian_sids and agent not in guardian_sids:
                out.links.add((sid, agent))
            elif agent in guardian_sids and sid not in guardian_sids:
                out.links.add((agent, sid))
    # a guardianship the file no longer has is removed: in bulk the file is the whole truth;
    # in a delta a user's row is their whole record, so a guardian's or a student's row
    # lists all of their guardianships (agentSourcedIds, either way round)
    wanted = out.links
    ids = {g.id: s for s, g in state.guardians.items()}
    for guardian_id, student_id in state.links:
        pair = (ids.get(guardian_id), roster_people.get(student_id))
        if (bulk_users or pair[0] in in_file or pair[1] in in_file) and pair not in wanted:
            out.unlink.add((guardian_id, student_id))


def _plan_enrollments(
    out: RosterPlan, state: State, enrollments: Rows, dropped_classes: set[str]
) -> None:
    """Memberships of rostered people in rostered classes: added, changed, removed."""
    bulk_enrol = out.modes.get("enrollments.csv") == "bulk"
    class_team: dict[str, int | None] = {
        s: rec[1] for (k, s), rec in state.records.items() if k == "class" and rec[1]
    }
    person_of: dict[str, int | None] = {
        s: rec[2] for (k, s), rec in state.records.items() if k == "user" and rec[2]
    }
    person_of.update({op.sourced_id: op.person_id for op in out.users if op.person_id})
    team_sids = {team_id: s for s, team_id in class_team.items()}
    keep: set[int] = set()
    for _line, row in enrollments.values():
        key = (row["classSourcedId"], row["userSourcedId"])
        team_id, person_id = class_team.get(key[0]), person_of.get(key[1])
        existing = state.memberships.get((team_id, person_id)) if team_id and person_id else None
        if row.get("status") == "tobedeleted":
            if existing:
                out.unenrol.add(existing[0])
            continue
        if key[0] in dropped_classes:
            continue
        role = TeamMembership.Role.LEAD if row.get("role") in LEADS else TeamMembership.Role.MEMBER
        if out.enrol.get(key) != TeamMembership.Role.LEAD:
            out.enrol[key] = role
        if existing:
            keep.add(existing[0])
    for (in_team, _person_id), (membership_id, _role) in state.memberships.items():
        if team_sids.get(in_team) in dropped_classes or (bulk_enrol and membership_id not in keep):
            out.unenrol.add(membership_id)
    out.unenrol -= keep
    for key, wanted in out.enrol.items():
        team_id, person_id = class_team.get(key[0]), person_of.get(key[1])
        existing = state.memberships.get((team_id, person_id)) if team_id and person_id else None
        if existing is None:
            out.count("enrollments", "created")
        elif existing[1] != wanted:
            out.count("enrollments", "updated")
        else:
            out.count("enrollments", "unchanged")
    if out.unenrol:
        out.count("enrollments", "removed", len(out.unenrol))


def _earlier(state: State, kind: str) -> set[str]:
    """The sourcedIds of a kind imported before (what a delta file's rows may name)."""
    return {sid for (k, sid) in state.records if k == kind}


def _sorted(out: RosterPlan) -> RosterPlan:
    order = [MANIFEST, *COLUMNS]
    out.errors.sort(
        key=lambda e: (order.index(e.file) if e.file in order else -1, e.line or 0, e.field)
    )
    return out


def _school_team(state: State, school_sid: str) -> int | None:
    rec = state.records.get(("org", school_sid))
    return rec[1] if rec else None


def _team(
    out: RosterPlan,
    state: State,
    taken: set[str],
    sid: str,
    title: str,
    kind: str,
    line: int,
    suffix: str,
) -> TeamOp:
    rec = state.records.get(("org" if kind == "school" else "class", sid))
    team_id = rec[1] if rec else None
    if team_id is not None and team_id in state.teams:
        current = state.teams[team_id][0]
        if current[:200] == title[:200] or current.startswith(title[:175] + " ("):
            op = TeamOp(sid, current, kind, line, team_id, changed=False)
        else:
            taken.discard(current.lower())
            op = TeamOp(sid, _unique_name(title, suffix, taken), kind, line, team_id)
    else:
        op = TeamOp(sid, _unique_name(title, suffix, taken), kind, line)
    out.teams.append(op)
    return op


def _users(
    reader: Reader,
    out: RosterPlan,
    users: dict[str, tuple[int, dict[str, str]]],
    deleted: set[str],
    user_ids: set[str],
    kinds: dict[str, set[str]],
    org_ids: set[str],
    state: State,
) -> None:
    name = "users.csv"
    emails: dict[str, int] = {}
    claimed: dict[int, str] = {
        rec[2]: s for (k, s), rec in state.records.items() if k == "user" and rec[2]
    }
    for sid, (line, row) in users.items():
        enabled = row.get("enabledUser", "").lower()
        if enabled not in ("true", "false"):
            reader.error(
                name,
                "enabledUser",
                gettext("'%(value)s' is not true or false") % {"value": row.get("enabledUser")},
                line,
            )
        check_refs(
            reader,
            name,
            line,
            "agentSourcedIds",
            split_ids(row.get("agentSourcedIds", "")),
            user_ids,
            "user",
        )
        primary = row.get("primaryOrgSourcedId", "")
        if primary:
            check_refs(reader, name, line, "primaryOrgSourcedId", [primary], org_ids, "org")
        given = row.get("preferredGivenName") or row.get("givenName", "")
        family = row.get("preferredFamilyName") or row.get("familyName", "")
        full = f"{given} {family}".strip()[:200]
        email = row.get("email", "").lower()
        if email:
            try:
                if len(email) > 254:
                    raise DjangoValidationError("too long")
                validate_email(email)
            except DjangoValidationError:
                reader.error(
                    name,
                    "email",
                    gettext("'%(email)s' is not a valid email address") % {"email": email},
                    line,
                )
                continue
            if email in emails:
                reader.error(
                    name,
                    "email",
                    gettext("%(email)s appears twice (also line %(line)d)")
                    % {"email": email, "line": emails[email]},
                    line,
                )
                continue
            emails[email] = line
        rec = state.records.get(("user", sid))
        user_kinds = kinds.get(sid)
        guardian = state.guardians.get(sid)
        if sid in deleted and rec is None and guardian is None:
            continue  # to be deleted, and never imported: nothing to do
        if user_kinds is None:
            if rec and rec[2] and rec[2] in state.people:
                role = state.people[rec[2]].role
            elif guardian:
                role = "guardian"
            else:
                reader.error(
                    name,
                    "sourcedId",
                    gettext("user '%(id)s' has no role in roles.csv") % {"id": sid},
                    line,
                )
                continue
        elif user_kinds & STAFF:
            role = Role.MANAGER
        elif "student" in user_kinds:
            role = Role.MEMBER
        else:
            role = "guardian"
        active = sid not in deleted and enabled != "false"
        if role == "guardian":
            if rec and rec[2]:
                reader.error(
                    name,
                    "sourcedId",
                    gettext(
                        "user '%(id)s' was imported as a student or teacher: ampwork does not "
                        "turn them into a guardian"
                    )
                    % {"id": sid},
                    line,
                )
                continue
            changed = guardian is None or (guardian.name, guardian.email, guardian.active) != (
                full,
                email,
                active,
            )
            out.users.append(
                UserOp(
                    sid,
                    full,
                    email,
                    "guardian",
                    active,
                    line,
                    guardian_id=guardian.id if guardian else None,
                    changed=changed,
                )
            )
            continue
        if guardian:
            reader.error(
                name,
                "sourcedId",
                gettext(
                    "user '%(id)s' was imported as a guardian: ampwork does not turn a "
                    "guardian into a student or teacher"
                )
                % {"id": sid},
                line,
            )
            continue
        person_id = rec[2] if rec and rec[2] in state.people else None
        owner = state.emails.get(email) if email else None
        if owner is not None and owner != person_id:
            if person_id is not None or owner in claimed:
                reader.error(
                    name,
                    "email",
                    gettext("%(email)s belongs to someone else in this school") % {"email": email},
                    line,
                )
                continue
            person_id = owner  # someone added by hand: the roster adopts them
        if not email:
            email = state.people[person_id].email if person_id else _no_email(sid, emails, state)
        if person_id is not None:
            now = state.people[person_id]
            if now.role == Role.ADMIN or person_id == state.me:
                role = now.role  # the roster never demotes a head teacher, nor the importer
            changed = (now.name, now.email, now.role, now.active) != (full, email, role, active)
        else:
            changed = True
        out.users.append(
            UserOp(
                sid,
                full,
                email,
                role,
                active,
                line,
                person_id=person_id,
                changed=changed,
                left=sid in deleted,
            )
        )


def _no_email(sid: str, emails: dict[str, int], state: State) -> str:
    """An address that is never delivered (RFC 2606), unique in the school: the sourcedId,
    and a digest of it when two sourcedIds read the same in lower case."""
    local = re.sub(r"[^a-z0-9._-]+", "-", sid.lower())[:60]
    email = f"{local}@{NO_EMAIL_DOMAIN}"
    if email in emails or email in state.emails:
        digest = hashlib.sha256(sid.encode()).hexdigest()[:10]
        email = f"{local}-{digest}@{NO_EMAIL_DOMAIN}"
    emails[email] = 0
    return email


def _enrollments(
    reader: Reader,
    out: RosterPlan,
    enrollments: dict[str, tuple[int, dict[str, str]]],
    class_ids: set[str],
    user_ids: set[str],
    org_ids: set[str],
    state: State,
) -> None:
    name = "enrollments.csv"
    guardians = {op.sourced_id for op in out.users if op.role == "guardian"} | set(state.guardians)
    for _sid, (line, row) in enrollments.items():
        check_enum(reader, name, row, line, "role", ENROLLMENT_ROLES)
        check_dates(reader, name, row, line, "beginDate", "endDate")
        primary = row.get("primary", "")
        if primary and primary.lower() not in ("true", "false"):
            reader.error(
                name,
                "primary",
                gettext("'%(value)s' is not true or false") % {"value": primary},
                line,
            )
        klass, user = row.get("classSourcedId", ""), row.get("userSourcedId", "")
        school = row.get("schoolSourcedId", "")
        check_refs(reader, name, line, "schoolSourcedId", [school], org_ids, "org")
        if klass not in class_ids:
            reader.error(
                name,
                "classSourcedId",
                gettext("orphan enrollment: unknown class sourcedId '%(id)s'") % {"id": klass},
                line,
            )
        if user not in user_ids:
            reader.error(
                name,
                "userSourcedId",
                gettext("orphan enrollment: unknown user sourcedId '%(id)s'") % {"id": user},
                line,
            )
        elif user in guardians:
            reader.error(
                name,
                "userSourcedId",
                gettext("user '%(id)s' is a guardian: only students and staff are enrolled")
                % {"id": user},
                line,
            )
