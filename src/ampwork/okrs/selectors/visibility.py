"""Who may see which objective, and references to objectives and key results
checked against that rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, can

from ..models import Cycle, KeyResult, Objective, ObjectiveLink


def visible_objectives(actor: Actor) -> QuerySet[Objective]:
    """Objectives the actor may see: shared ones, and private ones they have a stake in."""
    qs = Objective.objects.filter(organisation=actor.organisation)
    if can(actor, "objectives.view_private"):
        return qs
    me = actor.person
    shared = Q(visibility=Objective.Visibility.ORGANISATION)
    if me is None:
        return qs.filter(shared)
    reports = core_selectors.reports_of(me)
    return qs.filter(
        shared
        | Q(owner_person=me)
        | Q(author=me)
        | Q(owner_person_id__in=reports)
        | Q(owner_team_id__in=core_selectors.led_teams(me))
    )


def get_objective(actor: Actor, pk: int) -> Objective:
    objective = (
        visible_objectives(actor)
        .filter(pk=pk)
        .select_related("cycle", "owner_person", "owner_team", "author")
        .first()
    )
    if objective is None:
        raise NotFound(_("no such objective"))
    return objective


def get_key_result(actor: Actor, pk: int) -> KeyResult:
    key_result = (
        KeyResult.objects.filter(objective__in=visible_objectives(actor), pk=pk)
        .select_related("objective__cycle", "owner")
        .first()
    )
    if key_result is None:
        raise NotFound(_("no such key result"))
    return key_result


def visible_key_results(actor: Actor, ids: Sequence[int] | set[int]) -> list[KeyResult]:
    """Those of these key results whose objective the actor may see. One query."""
    return list(
        KeyResult.objects.filter(objective__in=visible_objectives(actor), pk__in=list(ids)).only(
            "pk", "title", "objective_id"
        )
    )


def may_see(actor: Actor, objective: Objective | None) -> bool:
    """Whether the actor may see this (already loaded) objective: the rule of
    :func:`visible_objectives` for one object, with no query unless it is private."""
    if objective is None or objective.organisation_id != actor.organisation.pk:
        return False
    if objective.visibility == Objective.Visibility.ORGANISATION:
        return True
    return can(actor, "objectives.view_private", objective)


def only_visible(actor: Actor, objectives: Any) -> list[Objective]:
    """The objectives (already loaded, e.g. prefetched) that the actor may see."""
    return [o for o in objectives if may_see(actor, o)]


def hide_unseen(actor: Actor, rows: list[Any]) -> list[Any]:
    """Blank the ``objective`` and ``key_result`` a record points to where the reader may
    not see them, so a private objective's title never reaches a page or the API. Load
    the rows with ``select_related("objective", "key_result__objective")``."""
    for row in rows:
        if row.objective_id is not None and not may_see(actor, row.objective):
            row.objective = None
        if row.key_result_id is not None and not may_see(actor, row.key_result.objective):
            row.key_result = None
    return rows


def seen_links(actor: Actor, links: Sequence[ObjectiveLink]) -> list[ObjectiveLink]:
    """The alignment links whose both ends the reader may see: a private objective aligned
    with a shared one shows neither its title nor its id to anyone else. Load the links
    with ``select_related("parent", "child")`` (as :func:`evaluate` does)."""
    return [link for link in links if may_see(actor, link.parent) and may_see(actor, link.child)]


def referenced(
    actor: Actor, objective_id: int | None = None, key_result_id: int | None = None
) -> tuple[Objective | None, KeyResult | None]:
    """The objective and key result another record points to, among those the writer may
    see: a ValidationFailed naming the field when one is not there. A private objective
    the writer may not see (or its key results) answers exactly as a missing one, so a
    reference can neither leak nor probe it."""
    objectives, key_results = referenced_many(
        actor,
        [objective_id] if objective_id is not None else [],
        [key_result_id] if key_result_id is not None else [],
        fields=("objective_id", "key_result_id"),
    )
    return (objectives[0] if objectives else None, key_results[0] if key_results else None)


def referenced_many(
    actor: Actor,
    objective_ids: Sequence[int],
    key_result_ids: Sequence[int] = (),
    *,
    fields: tuple[str, str] = ("objective_ids", "key_result_ids"),
) -> tuple[list[Objective], list[KeyResult]]:
    """Several references at once, in the order given, checked as :func:`referenced`."""
    visible = visible_objectives(actor)
    objectives: list[Objective] = []
    if objective_ids:
        found = {o.pk: o for o in visible.filter(pk__in=set(objective_ids))}
        for pk in dict.fromkeys(objective_ids):
            if pk not in found:
                raise ValidationFailed.single(fields[0], _("no objective %(id)s") % {"id": pk})
            objectives.append(found[pk])
    key_results: list[KeyResult] = []
    if key_result_ids:
        found_krs = {
            k.pk: k
            for k in KeyResult.objects.filter(
                organisation=actor.organisation, objective__in=visible, pk__in=set(key_result_ids)
            )
        }
        for pk in dict.fromkeys(key_result_ids):
            if pk not in found_krs:
                raise ValidationFailed.single(fields[1], _("no key result %(id)s") % {"id": pk})
            key_results.append(found_krs[pk])
    return objectives, key_results


def open_objectives_of(person: Person) -> list[Objective]:
    """A person's own objectives in cycles not yet closed: what their own work (a project,
    a learning goal) can serve."""
    return list(
        Objective.objects.filter(owner_person=person)
        .exclude(cycle__status=Cycle.Status.CLOSED)
        .order_by("title")[:50]
    )
