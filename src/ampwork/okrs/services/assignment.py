"""Writes for assigning one objective template to every active member of a team."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Person, Team
from ampwork.core.permissions import Actor, can
from ampwork.core.services import record
from ampwork.okrs.models import Cycle, Objective

from . import derived
from .key_results import check_key_result, make_key_result
from .objectives import check_choices


@transaction.atomic
def assign_template(
    *,
    actor: Actor,
    cycle: Cycle,
    team: Team,
    title: str,
    description: str = "",
    kind: str = Objective.Kind.COMMITTED,
    key_results: Sequence[dict[str, Any]] = (),
) -> list[Objective]:
    """Give every active member of a team their own copy of one objective.

    The copies are authored by whoever assigns them (an admin or a lead of the team), so
    they count as set top-down in the autonomy index.
    """
    if (
        team.organisation_id != actor.organisation.pk
        or cycle.organisation_id != team.organisation_id
    ):
        raise ValidationFailed.single("team_id", _("no such team in this organisation"))
    if not can(actor, "objectives.assign", team):
        raise NotAllowed(_("Only admins and the team's leads assign objectives to a team."))
    if not cycle.is_open:
        raise ValidationFailed.single("cycle_id", _("%(cycle)s is closed") % {"cycle": cycle.name})
    if not title.strip():
        raise ValidationFailed.single("title", _("is required"))
    check_choices({"kind": kind})
    for spec in key_results:
        check_key_result(spec)
    members = list(Person.objects.filter(memberships__team=team, active=True).order_by("name"))
    if not members:
        raise ValidationFailed.single(
            "team_id", _("%(team)s has no active members") % {"team": team.name}
        )
    copies = []
    for person in members:
        objective = Objective.objects.create(
            organisation=actor.organisation,
            cycle=cycle,
            owner_kind=Objective.OwnerKind.PERSON,
            owner_person=person,
            author=actor.person,
            title=title.strip(),
            description=description,
            kind=kind,
        )
        for position, spec in enumerate(key_results):
            make_key_result(objective, person, position, spec)
        copies.append(objective)
    derived.refresh([o.pk for o in copies])
    record(
        actor,
        actor.organisation,
        "objectives.assigned",
        team,
        title=title.strip(),
        count=len(copies),
    )
    return copies
