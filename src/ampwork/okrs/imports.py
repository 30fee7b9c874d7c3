"""CSV import and export of objectives with their key results (one row per key result).

The export's columns are the import's, so a file exported from one organisation imports
into another (the people, teams and cycles named must exist there).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core import csvexport
from ampwork.core.errors import FieldError, ValidationFailed
from ampwork.core.imports import Plan, read_rows
from ampwork.core.models import Person, Team
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.logs import logged_import

from . import services
from .models import Cycle, KeyResult, Objective

COLUMNS = {
    "cycle": "Cycle name (required; the cycle must exist and be open)",
    "objective": "Objective title (required); rows with the same cycle, objective and owner "
    "make one objective",
    "owner_email": "Owner's email; leave empty with owner_team empty for the organisation",
    "owner_team": "Owning team's name (instead of owner_email)",
    "kind": "committed (default) or aspirational",
    "work_style": "heuristic (default) or algorithmic",
    "visibility": "organisation (default) or private",
    "parent_objective": "Title of an objective in the same cycle it contributes to",
    "key_result": "Key result title (empty for an objective without key results yet)",
    "kr_kind": "numeric (default), boolean, milestones or range",
    "start": "Start value (numeric)",
    "target": "Target value (numeric)",
    "unit": "Unit, e.g. %",
    "low": "Low end (range)",
    "high": "High end (range)",
    "weight": "Weight in the objective (default 1)",
    "milestones": "Milestones separated by ';' (milestones)",
    "kr_owner_email": "Key result owner's email (default: the objective's owner)",
    "current": "Where the key result stands now: recorded as today's check-in",
}
NUMBERS = ("start", "target", "low", "high", "weight", "current")


def plan(actor: Actor, text: str, source: str = "okrs.csv") -> Plan:
    result = Plan(kind="okrs", source=source)
    rows = read_rows(text, COLUMNS, {"cycle", "objective"}, result)
    if not rows:
        return result
    org = actor.organisation
    cycles = {c.name.lower(): c for c in Cycle.objects.filter(organisation=org)}
    people = {
        e.lower(): pk
        for e, pk in Person.objects.filter(organisation=org, active=True).values_list("email", "id")
    }
    teams = {
        n.lower(): pk for n, pk in Team.objects.filter(organisation=org).values_list("name", "id")
    }
    choices = {
        "kind": Objective.Kind.values,
        "work_style": Objective.WorkStyle.values,
        "visibility": Objective.Visibility.values,
        "kr_kind": KeyResult.Kind.values,
    }
    titles: dict[str, set[str]] = {}
    for line, row in rows:
        errors: list[FieldError] = []
        out: dict[str, Any] = {"line": line, **row}
        cycle = cycles.get(row.get("cycle", "").lower())
        if cycle is None:
            errors.append(
                FieldError(
                    "cycle", _("no cycle called '%(name)s'") % {"name": row.get("cycle")}, line
                )
            )
        elif not cycle.is_open:
            errors.append(
                FieldError("cycle", _("%(cycle)s is closed") % {"cycle": cycle.name}, line)
            )
        out["cycle_obj"] = cycle
        if not row.get("objective"):
            errors.append(FieldError("objective", _("is required"), line))
        for column, known in choices.items():
            if row.get(column) and row[column] not in known:
                errors.append(
                    FieldError(
                        column,
                        _("'%(value)s' is not one of %(choices)s")
                        % {"value": row[column], "choices": ", ".join(known)},
                        line,
                    )
                )
        for column in NUMBERS:
            if row.get(column):
                try:
                    out[column] = float(row[column])
                except ValueError:
                    errors.append(
                        FieldError(
                            column, _("'%(value)s' is not a number") % {"value": row[column]}, line
                        )
                    )
                    continue
                if out[column] != out[column] or abs(out[column]) > 1e12:
                    errors.append(FieldError(column, _("is not a usable number"), line))
            else:
                out[column] = None
        for column in ("owner_email", "kr_owner_email"):
            if row.get(column) and row[column].lower() not in people:
                errors.append(
                    FieldError(
                        column,
                        _("nobody active has the email %(email)s") % {"email": row[column]},
                        line,
                    )
                )
        if row.get("owner_team") and row["owner_team"].lower() not in teams:
            errors.append(
                FieldError(
                    "owner_team", _("unknown team '%(name)s'") % {"name": row["owner_team"]}, line
                )
            )
        if row.get("owner_email") and row.get("owner_team"):
            errors.append(
                FieldError("owner_team", _("give owner_email or owner_team, not both"), line)
            )
        out["owner_person_id"] = people.get(row.get("owner_email", "").lower())
        out["owner_team_id"] = teams.get(row.get("owner_team", "").lower())
        out["kr_owner_id"] = people.get(row.get("kr_owner_email", "").lower())
        result.errors.extend(errors)
        result.rows.append(out)
        if cycle is not None:
            titles.setdefault(cycle.name.lower(), set()).add(row.get("objective", "").lower())
    existing = {
        (c.lower(), t.lower())
        for c, t in Objective.objects.filter(organisation=org).values_list("cycle__name", "title")
    }
    for out in result.rows:
        parent = out.get("parent_objective", "").lower()
        cycle_name = out.get("cycle", "").lower()
        if (
            parent
            and parent not in titles.get(cycle_name, set())
            and (cycle_name, parent) not in existing
        ):
            result.errors.append(
                FieldError(
                    "parent_objective",
                    _("no objective '%(title)s' in %(cycle)s")
                    % {"title": out["parent_objective"], "cycle": out.get("cycle")},
                    out["line"],
                )
            )
    result.errors.sort(key=lambda e: (e.line or 0, e.field))
    return result


@logged_import("okrs")
@transaction.atomic
def import_okrs(*, actor: Actor, text: str, source: str = "okrs.csv", progress: Any = None) -> int:
    """Create the objectives and key results of a file, all or nothing. Returns objectives."""
    require(actor, "cycles.edit", actor.organisation)
    checked = plan(actor, text, source)
    if not checked.ok:
        raise checked.fail()
    made: dict[tuple[int, str, str], Objective] = {}
    parents: list[tuple[Objective, str]] = []
    try:
        for row in checked.rows:
            key = (
                row["cycle_obj"].pk,
                row["objective"].lower(),
                row.get("owner_email", "").lower() or row.get("owner_team", "").lower(),
            )
            objective = made.get(key)
            if objective is None:
                owner_kind = (
                    "person"
                    if row["owner_person_id"]
                    else "team"
                    if row["owner_team_id"]
                    else "organisation"
                )
                objective = services.create_objective(
                    actor=actor,
                    cycle=row["cycle_obj"],
                    title=row["objective"],
                    owner_kind=owner_kind,
                    owner_person_id=row["owner_person_id"],
                    owner_team_id=row["owner_team_id"],
                    kind=row.get("kind") or "committed",
                    work_style=row.get("work_style") or "heuristic",
                    visibility=row.get("visibility") or "organisation",
                )
                made[key] = objective
                if row.get("parent_objective"):
                    parents.append((objective, row["parent_objective"]))
            if row.get("key_result"):
                key_result = services.create_key_result(
                    actor=actor,
                    objective=objective,
                    title=row["key_result"],
                    kind=row.get("kr_kind") or "numeric",
                    start=row["start"] if row["start"] is not None else 0.0,
                    target=row["target"] if row["target"] is not None else 1.0,
                    unit=row.get("unit", ""),
                    low=row["low"],
                    high=row["high"],
                    weight=row["weight"] if row["weight"] is not None else 1.0,
                    owner_id=row["kr_owner_id"],
                    milestones=[
                        (m, 1.0) for m in row.get("milestones", "").split(";") if m.strip()
                    ],
                )
                if row["current"] is not None and key_result.kind in ("numeric", "range"):
                    services.check_in(actor=actor, key_result=key_result, value=row["current"])
        for objective, title in parents:
            parent = (
                Objective.objects.filter(
                    organisation=actor.organisation, cycle=objective.cycle, title__iexact=title
                )
                .order_by("id")
                .first()
            )
            services.link(actor=actor, child=objective, parent_id=parent.pk)  # type: ignore[union-attr]
    except ValidationFailed as exc:
        line = next((r["line"] for r in checked.rows), None)
        raise ValidationFailed(
            [FieldError(e.field, e.message, e.line or line) for e in exc.errors], source
        ) from None
    record(actor, actor.organisation, "okrs.imported", None, source=source, count=len(made))
    return len(made)


def export_rows(objectives: Iterable[Objective]) -> str:
    """The CSV of objectives (with cycle, owners, parents and key results prefetched)."""
    out = io.StringIO()
    writer = csvexport.writer(out)
    writer.writerow(list(COLUMNS))
    for o in objectives:
        parent = next((link.parent.title for link in o.parent_links.all()), "")
        base = [
            o.cycle.name,
            o.title,
            o.owner_person.email if o.owner_person else "",
            o.owner_team.name if o.owner_team else "",
            o.kind,
            o.work_style,
            o.visibility,
            parent,
        ]
        krs: list[KeyResult | None] = [*o.key_results.all()] or [None]
        for kr in krs:
            if kr is None:
                writer.writerow([*base, *[""] * 10, ""])
                continue
            writer.writerow(
                [
                    *base,
                    kr.title,
                    kr.kind,
                    f"{kr.start:g}",
                    f"{kr.target:g}",
                    kr.unit,
                    "" if kr.low is None else f"{kr.low:g}",
                    "" if kr.high is None else f"{kr.high:g}",
                    f"{kr.weight:g}",
                    ";".join(m.title for m in kr.milestones.all()),
                    kr.owner.email if kr.owner else "",
                    "" if kr.current is None else f"{kr.current:g}",
                ]
            )
    return out.getvalue()
