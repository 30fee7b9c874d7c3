"""Writes for alignment: linking an objective under a parent, without loops, and unlinking."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed
from ampwork.core.permissions import Actor, require
from ampwork.okrs import selectors
from ampwork.okrs.models import Objective, ObjectiveLink

from . import derived


@transaction.atomic
def link(
    *, actor: Actor, child: Objective, parent_id: int, kind: str = ObjectiveLink.Kind.CONTRIBUTES
) -> ObjectiveLink:
    """Align ``child`` under a parent objective of the same organisation, without loops."""
    require(actor, "objectives.edit", child)
    if kind not in ObjectiveLink.Kind.values:
        raise ValidationFailed.single("link_kind", _("must be contributes or supports"))
    # among the objectives the actor may see: a private one answers as a missing one
    parent = selectors.visible_objectives(actor).filter(pk=parent_id).first()
    if parent is None:
        raise ValidationFailed.single("parent_id", _("no such objective in this organisation"))
    if parent.pk == child.pk or child.pk in _ancestors(parent.pk):
        raise ValidationFailed.single("parent_id", _("would make a loop of objectives"))
    found, _created = ObjectiveLink.objects.update_or_create(
        organisation=actor.organisation, child=child, parent=parent, defaults={"kind": kind}
    )
    derived.refresh([parent.pk])
    return found


def _ancestors(objective_id: int) -> set[int]:
    seen: set[int] = set()
    frontier = {objective_id}
    while frontier:
        parents = (
            set(
                ObjectiveLink.objects.filter(child_id__in=frontier).values_list(
                    "parent_id", flat=True
                )
            )
            - seen
        )
        seen |= parents
        frontier = parents
    return seen


@transaction.atomic
def unlink(*, actor: Actor, child: Objective, parent_id: int) -> None:
    require(actor, "objectives.edit", child)
    ObjectiveLink.objects.filter(child=child, parent_id=parent_id).delete()
    derived.refresh([parent_id])
