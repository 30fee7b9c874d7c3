"""CSV imports of people and teams: validate everything, then write all or nothing.

Each import has two steps that the web, API and CLI share: :func:`plan_people` /
:func:`plan_teams` read and check a file against the organisation and report every
error with its line and column; :func:`import_people` / :func:`import_teams` write a
clean plan in one transaction, or write nothing and raise.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ampwork.logs import logged_import

from . import selectors
from .csvexport import unescape
from .errors import FieldError, ValidationFailed
from .models import Organisation, Person, Role, Team, TeamMembership, User
from .permissions import Actor, can, require
from .services import (
    NEEDS_ADMIN,
    PROFILE_FIELDS,
    invite_existing_account,
    record,
    send_sign_in_invite,
)

MAX_ROWS = 200_000
_LINE_BREAK = re.compile(r"\r\n?|\n")

PEOPLE_EXAMPLE = (
    "Ada Lovelace,ada@example.org,Head of Engineering,Engineering Manager,Engineering,M2,"
    "London,2021-04-01,manager,,Engineering,Engineering"
)
TEAMS_EXAMPLE = "Engineering,,department,Builds and runs the product"

# each column's meaning, for people (the import page); the names are the file's own
PEOPLE_COLUMNS: dict[str, str | Promise] = {
    "name": gettext_lazy("Full name (required)"),
    "email": gettext_lazy("Email, unique in the organisation (required)"),
    "job_title": gettext_lazy("Job title as people know it"),
    "job_role": gettext_lazy("Role in the job architecture, e.g. Software Engineer"),
    "job_family": gettext_lazy("Job family, e.g. Engineering"),
    "level": gettext_lazy("Level, e.g. L3"),
    "location": gettext_lazy("Location, e.g. Berlin"),
    "hire_date": gettext_lazy("Date of hire, YYYY-MM-DD"),
    "role": gettext_lazy("Access role: admin, people_ops, manager or member (default member)"),
    "manager_email": gettext_lazy("Email of their manager: someone already there or in this file"),
    "teams": gettext_lazy("Team names separated by ';' (teams must exist)"),
    "lead_of": gettext_lazy("Team names they lead, separated by ';' (also makes them members)"),
}
TEAM_COLUMNS: dict[str, str | Promise] = {
    "name": gettext_lazy("Team name, unique in the organisation (required)"),
    "parent": gettext_lazy("Name of the parent team: already there or in this file"),
    "kind": gettext_lazy("department, team, school or class (default team)"),
    "description": gettext_lazy("What the team is for"),
}


@dataclass
class Plan:
    """A checked import: the rows as they will be written, or the errors that stop it."""

    kind: str
    source: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def fail(self) -> ValidationFailed:
        return ValidationFailed(self.errors, source=self.source)


def read_rows(
    text: str,
    columns: Mapping[str, object],
    required: set[str],
    plan: Plan,
    *,
    extra_prefixes: tuple[str, ...] = (),
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with their line numbers, or nothing and ``plan.errors`` naming
    each problem's column and line. Columns starting with ``extra_prefixes`` are allowed
    besides ``columns``."""
    if "\x00" in text:
        line = len(_LINE_BREAK.findall(text, 0, text.index("\x00"))) + 1
        plan.errors.append(
            FieldError("file", _("contains NUL bytes: is it really a CSV file?"), line)
        )
        return []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not header:
            plan.errors.append(
                FieldError("file", _("is empty: the first line must name the columns"), 1)
            )
            return []
        reader.fieldnames = header
        seen: set[str] = set()
        for name in header:
            if name in seen:
                # a dict per row would keep only the last of the two: refuse rather than guess
                plan.errors.append(
                    FieldError(
                        name,
                        _("column appears more than once in the header of %(source)s: keep one")
                        % {"source": plan.source},
                        1,
                    )
                )
            seen.add(name)
        unknown = [
            h
            for h in dict.fromkeys(header)
            if h not in columns and not h.startswith(extra_prefixes)
        ]
        for name in unknown:
            plan.errors.append(
                FieldError(
                    name, _("unknown column (known: %(known)s)") % {"known": ", ".join(columns)}, 1
                )
            )
        for name in sorted(required - set(header)):
            plan.errors.append(FieldError(name, _("required column is missing"), 1))
        if plan.errors:
            return []
        for row in reader:
            if None in row:
                plan.errors.append(
                    FieldError("row", _("has more cells than the header"), reader.line_num)
                )
                continue
            # a cell an ampwork export escaped against formulas ('=…) reads as written (=…)
            cleaned = {k: unescape((v or "").strip()) for k, v in row.items()}
            if any(cleaned.values()):
                rows.append((reader.line_num, cleaned))
            if len(rows) > MAX_ROWS:
                plan.errors.append(
                    FieldError("file", _("more than %(max)d rows") % {"max": MAX_ROWS})
                )
                return []
    except csv.Error as exc:
        # the reader counts the lines it has finished: the bad one is the next
        why = (
            _(
                "is not valid CSV: a carriage return (CR) stands alone outside quotes; save it "
                "with Windows (CR LF) or Unix (LF) line endings"
            )
            if "new-line character seen in unquoted field" in str(exc)
            else _("is not valid CSV (%(problem)s)") % {"problem": exc}
        )
        plan.errors.append(FieldError("file", why, reader.line_num + 1))
        return []
    if not rows and not plan.errors:
        plan.errors.append(FieldError("file", _("has a header but no rows"), 2))
    return rows


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            [
                FieldError(
                    "file",
                    _("is not UTF-8 (byte %(byte)d); save it as CSV UTF-8") % {"byte": exc.start},
                )
            ],
            source=source,
        ) from None


def _names(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


SUGGESTIONS = 3  # "did you mean" names at most this many teams
SIMILAR = 0.6  # difflib's similarity ratio a team name needs to be suggested


def unknown_team(name: str, known: Iterable[str]) -> str:
    """The message for a team name that is not known — "unknown team 'Platfrom' — did you
    mean 'Platform'?" — naming the closest known names (difflib, case ignored), or where
    teams come from when none is close."""
    by_lower = {k.lower(): k for k in known}
    word = name.lower()
    similar = difflib.get_close_matches(word, by_lower, n=max(1, len(by_lower)), cutoff=SIMILAR)

    def closeness(candidate: str) -> tuple[float, str]:  # closest first; ties by name
        return (-difflib.SequenceMatcher(None, candidate, word).ratio(), by_lower[candidate])

    close = sorted(similar, key=closeness)[:SUGGESTIONS]
    if not close:
        return _(
            "unknown team '%(name)s': no team has a similar name (import or add teams first)"
        ) % {"name": name}
    quoted = [f"'{by_lower[c]}'" for c in close]
    if len(quoted) == 1:
        return _("unknown team '%(name)s' — did you mean %(one)s?") % {
            "name": name,
            "one": quoted[0],
        }
    return _("unknown team '%(name)s' — did you mean %(some)s or %(last)s?") % {
        "name": name,
        "some": ", ".join(quoted[:-1]),
        "last": quoted[-1],
    }


# ---------------------------------------------------------------- people


def plan_people(
    org: Organisation, text: str, source: str = "people.csv", *, actor: Actor | None = None
) -> Plan:
    """Check a people file; with ``actor``, also refuse rows that would widen the actor's
    own access (see :func:`_self_grants`)."""
    plan = Plan(kind="people", source=source)
    rows = read_rows(text, PEOPLE_COLUMNS, {"name", "email"}, plan)
    if not rows:
        return plan
    existing = {
        e.lower(): pk
        for e, pk in Person.objects.filter(organisation=org).values_list("email", "id")
    }
    team_names = dict(Team.objects.filter(organisation=org).values_list("name", "id"))
    team_ids = {n.lower(): pk for n, pk in team_names.items()}
    seen: dict[str, int] = {}
    for line, row in rows:
        errors: list[FieldError] = []
        out: dict[str, Any] = {"line": line}
        out["name"] = row.get("name", "")
        if not out["name"]:
            errors.append(FieldError("name", _("is required"), line))
        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.append(
                FieldError(
                    "email", _("'%(email)s' is not a valid email address") % {"email": email}, line
                )
            )
        if email in seen:
            errors.append(
                FieldError(
                    "email",
                    _("%(email)s appears twice (also line %(other)d)")
                    % {"email": email, "other": seen[email]},
                    line,
                )
            )
        elif email in existing:
            errors.append(
                FieldError(
                    "email", _("%(email)s is already in this organisation") % {"email": email}, line
                )
            )
        seen.setdefault(email, line)
        out["email"] = email
        for key in ("job_title", "job_role", "job_family", "level", "location"):
            out[key] = row.get(key, "")[:200]
        out["hire_date"] = None
        if row.get("hire_date"):
            try:
                out["hire_date"] = dt.date.fromisoformat(row["hire_date"])
            except ValueError:
                errors.append(
                    FieldError(
                        "hire_date",
                        _("'%(value)s' is not a date like 2024-03-31")
                        % {"value": row["hire_date"]},
                        line,
                    )
                )
        role = (row.get("role") or Role.MEMBER).lower().replace("-", "_").replace(" ", "_")
        if role not in Role.values:
            errors.append(
                FieldError(
                    "role",
                    _("'%(value)s' is not one of %(allowed)s")
                    % {"value": row.get("role"), "allowed": ", ".join(Role.values)},
                    line,
                )
            )
        elif org.is_school and role == Role.PEOPLE_OPS:
            errors.append(FieldError("role", _("a school has no people_ops role"), line))
        out["role"] = role
        out["manager_email"] = row.get("manager_email", "").lower()
        out["teams"], out["lead_of"], out["team_names"] = [], [], []
        for key in ("teams", "lead_of"):
            for name in _names(row.get(key, "")):
                if name.lower() not in team_ids:
                    errors.append(FieldError(key, unknown_team(name, team_names), line))
                else:
                    out[key].append(team_ids[name.lower()])
                    out["team_names"].append(name + (" (lead)" if key == "lead_of" else ""))
        plan.errors.extend(errors)
        plan.rows.append(out)
    in_file = {r["email"] for r in plan.rows}
    managers = {r["email"]: r["manager_email"] for r in plan.rows if r["manager_email"]}
    for r in plan.rows:
        manager = r["manager_email"]
        if not manager:
            continue
        if manager == r["email"]:
            plan.errors.append(
                FieldError("manager_email", _("a person cannot manage themselves"), r["line"])
            )
        elif manager not in in_file and manager not in existing:
            plan.errors.append(
                FieldError(
                    "manager_email",
                    _("no person with email %(email)s") % {"email": manager},
                    r["line"],
                )
            )
        elif _loops(r["email"], managers):
            plan.errors.append(FieldError("manager_email", _("makes a reporting loop"), r["line"]))
    if actor is not None and not plan.errors:
        plan.errors.extend(_self_grants(actor, plan.rows, managers))
    plan.errors.sort(key=lambda e: (e.line or 0, e.field))
    return plan


def _self_grants(
    actor: Actor, rows: list[dict[str, Any]], managers: dict[str, str]
) -> list[FieldError]:
    """Rows that would put a non-admin importer above a new person: reporting to them or to
    someone below them (through the file or the organisation), or in a team they lead."""
    me = actor.person
    if me is None or can(actor, "reporting_lines.grant_self"):
        return []
    below = set(
        Person.objects.filter(pk__in=selectors.reports_of(me)).values_list("email", flat=True)
    )
    mine = {me.email.lower()} | {e.lower() for e in below}
    led = selectors.led_teams(me)
    errors = []
    for r in rows:
        current, seen = r["manager_email"], {r["email"]}
        while current and current not in seen:
            if current in mine:
                errors.append(
                    FieldError(
                        "manager_email",
                        _(
                            "would make you the manager of %(email)s, directly or through "
                            "someone who reports to you; %(needs_admin)s"
                        )
                        % {"email": r["email"], "needs_admin": NEEDS_ADMIN},
                        r["line"],
                    )
                )
                break
            seen.add(current)
            current = managers.get(current, "")
        for key in ("teams", "lead_of"):
            if led & set(r[key]):
                errors.append(
                    FieldError(
                        key,
                        _(
                            "names a team you lead, which would make you coach %(email)s; "
                            "%(needs_admin)s"
                        )
                        % {"email": r["email"], "needs_admin": NEEDS_ADMIN},
                        r["line"],
                    )
                )
    return errors


def _loops(start: str, managers: dict[str, str]) -> bool:
    seen = {start}
    current = managers.get(start)
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = managers.get(current)
    return False


@logged_import("people")
@transaction.atomic
def import_people(
    *,
    actor: Actor,
    text: str,
    source: str = "people.csv",
    progress: Any = None,
    invite: bool = False,
) -> int:
    """Import every row or none. Returns the number of people created. ``invite``: email
    each new person without an account a link to set their first password (sent only once
    the whole import is written)."""
    org = actor.organisation
    require(actor, "people.import", org)
    plan = plan_people(org, text, source, actor=actor)
    if not plan.ok:
        raise plan.fail()
    if any(r["role"] != Role.MEMBER for r in plan.rows):
        require(actor, "people.change_role", org)
    # an email that already has an account is invited, never attached
    with_account = set(
        User.objects.filter(email__in=[r["email"] for r in plan.rows]).values_list(
            "email", flat=True
        )
    )
    created = Person.objects.bulk_create(
        [Person(organisation=org, **{k: r[k] for k in PROFILE_FIELDS}) for r in plan.rows],
        batch_size=2000,
    )
    if progress:
        progress(len(created) // 2)
    ids = dict(Person.objects.filter(organisation=org).values_list("email", "id"))
    with_manager = []
    for person, r in zip(created, plan.rows, strict=True):
        if r["manager_email"]:
            person.manager_id = ids[r["manager_email"]]
            with_manager.append(person)
    Person.objects.bulk_update(with_manager, ["manager_id"], batch_size=2000)
    memberships = []
    for person, r in zip(created, plan.rows, strict=True):
        leads = set(r["lead_of"])
        for team_id in dict.fromkeys([*r["teams"], *r["lead_of"]]):
            role = TeamMembership.Role.LEAD if team_id in leads else TeamMembership.Role.MEMBER
            memberships.append(
                TeamMembership(organisation=org, team_id=team_id, person=person, role=role)
            )
    TeamMembership.objects.bulk_create(memberships, batch_size=5000)
    record(
        actor,
        org,
        "people.imported",
        None,
        source=source,
        count=len(created),
        with_manager=len(with_manager),
        memberships=len(memberships),
        leads=sum(1 for m in memberships if m.role == TeamMembership.Role.LEAD),
        invited=len(with_account),
    )
    for person in created:
        if person.email in with_account:
            invite_existing_account(actor, person)
        elif invite:
            send_sign_in_invite(actor=actor, person=person)
    if progress:
        progress(len(created))
    return len(created)


# ---------------------------------------------------------------- teams


def plan_teams(org: Organisation, text: str, source: str = "teams.csv") -> Plan:
    plan = Plan(kind="teams", source=source)
    rows = read_rows(text, TEAM_COLUMNS, {"name"}, plan)
    if not rows:
        return plan
    names = list(Team.objects.filter(organisation=org).values_list("name", flat=True))
    existing = {n.lower() for n in names}
    seen: dict[str, int] = {}
    for line, row in rows:
        name = row.get("name", "")
        out: dict[str, Any] = {
            "line": line,
            "name": name,
            "parent": row.get("parent", ""),
            "description": row.get("description", ""),
        }
        if not name:
            plan.errors.append(FieldError("name", _("is required"), line))
        elif name.lower() in seen:
            plan.errors.append(
                FieldError(
                    "name",
                    _("'%(name)s' appears twice (also line %(other)d)")
                    % {"name": name, "other": seen[name.lower()]},
                    line,
                )
            )
        elif name.lower() in existing:
            plan.errors.append(
                FieldError(
                    "name", _("a team called '%(name)s' already exists") % {"name": name}, line
                )
            )
        seen.setdefault(name.lower(), line)
        kind = (row.get("kind") or Team.Kind.TEAM).lower()
        if kind not in Team.Kind.values:
            plan.errors.append(
                FieldError(
                    "kind",
                    _("'%(value)s' is not one of %(allowed)s")
                    % {"value": kind, "allowed": ", ".join(Team.Kind.values)},
                    line,
                )
            )
        out["kind"] = kind
        plan.rows.append(out)
    parents = {r["name"].lower(): r["parent"].lower() for r in plan.rows if r["parent"]}
    for r in plan.rows:
        parent = r["parent"].lower()
        if not parent:
            continue
        if parent not in seen and parent not in existing:
            known = [*names, *(row["name"] for row in plan.rows if row["name"])]
            plan.errors.append(FieldError("parent", unknown_team(r["parent"], known), r["line"]))
        elif _loops(r["name"].lower(), parents):
            plan.errors.append(FieldError("parent", _("makes a loop of teams"), r["line"]))
    plan.errors.sort(key=lambda e: (e.line or 0, e.field))
    return plan


@logged_import("teams")
@transaction.atomic
def import_teams(
    *, actor: Actor, text: str, source: str = "teams.csv", progress: Any = None
) -> int:
    org = actor.organisation
    require(actor, "teams.import", org)
    plan = plan_teams(org, text, source)
    if not plan.ok:
        raise plan.fail()
    created = Team.objects.bulk_create(
        [
            Team(organisation=org, name=r["name"], kind=r["kind"], description=r["description"])
            for r in plan.rows
        ],
        batch_size=2000,
    )
    ids = {
        n.lower(): pk for n, pk in Team.objects.filter(organisation=org).values_list("name", "id")
    }
    with_parent = []
    for team, r in zip(created, plan.rows, strict=True):
        if r["parent"]:
            team.parent_id = ids[r["parent"].lower()]
            with_parent.append(team)
    Team.objects.bulk_update(with_parent, ["parent_id"], batch_size=2000)
    record(actor, org, "teams.imported", None, source=source, count=len(created))
    return len(created)


# ---------------------------------------------------------------- command-line importers

Importer = Callable[..., int]
CLI_IMPORTERS: dict[str, Importer] = {"people": import_people, "teams": import_teams}
# `ampwork import okrs FILE.csv` is the same as `ampwork okrs import FILE.csv`.


def register_importer(kind: str, importer: Importer) -> None:
    """Let ``ampwork import KIND FILE.csv`` reach another app's importer."""
    CLI_IMPORTERS[kind] = importer


class BundleResult(Protocol):
    """What a bundle importer answers: counts per entity, and notes."""

    @property
    def dry_run(self) -> bool: ...
    @property
    def counts(self) -> dict[str, dict[str, int]]: ...
    @property
    def notes(self) -> list[str]: ...


BundleImporter = Callable[..., BundleResult]  # (*, actor, path, dry_run) -> BundleResult
# imports of several files at once, from a zip or a directory (`ampwork import oneroster DIR`)
BUNDLE_IMPORTERS: dict[str, BundleImporter] = {}


def register_bundle_importer(kind: str, importer: BundleImporter) -> None:
    """Let ``ampwork import KIND DIR_OR_ZIP [--dry-run]`` reach another app's importer."""
    BUNDLE_IMPORTERS[kind] = importer
