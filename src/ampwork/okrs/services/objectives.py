"""Writes for objectives: who owns one, creating, changing and deleting it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed, only
from ampwork.core.models import Person, Team
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.okrs.models import Cycle, Objective, ObjectiveLink

from . import derived, published
from .alignment import link

OBJECTIVE_FIELDS = ("title", "description", "kind", "work_style", "visibility", "status")


def _owner(
    actor: Actor, owner_kind: str, owner_team_id: int | None, owner_person_id: int | None
) -> tuple[Team | None, Person | None]:
    org = actor.organisation
    team = person = None
    if owner_kind == Objective.OwnerKind.TEAM:
        team = Team.objects.filter(organisation=org, pk=owner_team_id or 0).first()
        if team is None:
            raise ValidationFailed.single("owner_team_id", _("no such team in this organisation"))
    elif owner_kind == Objective.OwnerKind.PERSON:
        pid = (
            owner_person_id
            if owner_person_id is not None
            else (actor.person.pk if actor.person else None)
        )
        person = Person.objects.filter(organisation=org, pk=pid or 0, active=True).first()
        if person is None:
            raise ValidationFailed.single("owner_person_id", _("no such active person here"))
    elif owner_kind != Objective.OwnerKind.ORGANISATION:
        raise ValidationFailed.single("owner_kind", _("must be organisation, team or person"))
    return team, person


def check_choices(fields: dict[str, Any]) -> None:
    """Refuse a kind, work style, visibility or status that is not one of the model's choices."""
    choices = {
        "kind": Objective.Kind,
        "work_style": Objective.WorkStyle,
        "visibility": Objective.Visibility,
        "status": Objective.Status,
    }
    for name, enum in choices.items():
        if name in fields and fields[name] not in enum.values:
            raise ValidationFailed.single(
                name, _("must be one of %(choices)s") % {"choices": ", ".join(enum.values)}
            )


@transaction.atomic
def create_objective(
    *,
    actor: Actor,
    cycle: Cycle,
    title: str,
    owner_kind: str = "person",
    owner_team_id: int | None = None,
    owner_person_id: int | None = None,
    description: str = "",
    kind: str = Objective.Kind.COMMITTED,
    work_style: str = Objective.WorkStyle.HEURISTIC,
    visibility: str = Objective.Visibility.ORGANISATION,
    parent_id: int | None = None,
    link_kind: str = ObjectiveLink.Kind.CONTRIBUTES,
) -> Objective:
    org = actor.organisation
    if cycle.organisation_id != org.pk:
        raise ValidationFailed.single("cycle_id", _("no such cycle in this organisation"))
    if not cycle.is_open:
        raise ValidationFailed.single("cycle_id", _("%(cycle)s is closed") % {"cycle": cycle.name})
    title = title.strip()
    if not title:
        raise ValidationFailed.single("title", _("is required"))
    check_choices({"kind": kind, "work_style": work_style, "visibility": visibility})
    team, person = _owner(actor, owner_kind, owner_team_id, owner_person_id)
    objective = Objective(
        organisation=org,
        cycle=cycle,
        owner_kind=owner_kind,
        owner_team=team,
        owner_person=person,
        author=actor.person,
        title=title,
        description=description,
        kind=kind,
        work_style=work_style,
        visibility=visibility,
    )
    # May the actor own this? Checked on the unsaved objective: same rule as editing it.
    require(actor, "objectives.edit", objective)
    objective.save()
    derived.refresh([objective.pk])
    if parent_id is not None:
        link(actor=actor, child=objective, parent_id=parent_id, kind=link_kind)
    published.objective("objective.created", objective)
    return objective


@transaction.atomic
def update_objective(*, actor: Actor, objective: Objective, **changes: Any) -> Objective:
    require(actor, "objectives.edit", objective)
    only(changes, OBJECTIVE_FIELDS)
    if "title" in changes:
        changes["title"] = str(changes["title"]).strip()
        if not changes["title"]:
            raise ValidationFailed.single("title", _("is required"))
    check_choices(changes)
    was, seen = objective.status, objective.visibility != Objective.Visibility.PRIVATE
    for field, value in changes.items():
        setattr(objective, field, value)
    if changes:
        objective.save(update_fields=list(changes))
        published.objective("objective.updated", objective)
        if seen and objective.visibility == Objective.Visibility.PRIVATE:
            published.made_private(objective)
        closed = (Objective.Status.DONE, Objective.Status.DROPPED)
        if objective.status in closed and was not in closed:
            published.objective("objective.closed", objective)
    return objective


@transaction.atomic
def delete_objective(*, actor: Actor, objective: Objective) -> None:
    require(actor, "objectives.edit", objective)
    record(actor, actor.organisation, "objective.deleted", objective, title=objective.title)
    remove_objectives(Objective.objects.filter(pk=objective.pk))


def team_holds_objectives(team: Team) -> bool:
    """Whether the team owns objectives (SCIM never deletes such a team: core.services)."""
    return Objective.objects.filter(owner_team=team).exists()


def team_objectives_removed(team: Team) -> None:
    """A team is being deleted: its objectives go with it (core.services.delete_team)."""
    remove_objectives(Objective.objects.filter(owner_team=team))


def remove_objectives(objectives: QuerySet[Objective]) -> None:
    """Delete objectives (with their key results, check-ins and links), then store the
    derived numbers of the objectives they counted in."""
    parents = set(
        ObjectiveLink.objects.filter(child__in=objectives.values("id")).values_list(
            "parent_id", flat=True
        )
    )
    ids = set(objectives.values_list("id", flat=True))
    Objective.objects.filter(pk__in=sorted(ids)).delete()
    derived.refresh(parents - ids)
