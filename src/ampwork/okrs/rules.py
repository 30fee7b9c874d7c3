"""Who may do what with OKRs: registered in the core permission table at start-up.

- Everyone sees objectives shared with the organisation; a private objective is seen by its
  owner, its author, the owner's managers (up the reporting line), the leads of an owning
  team, and admins.
- Everyone writes and edits their own objectives; managers also their reports' and the
  teams they lead; admins everything, including the organisation's own objectives.
- Admins and team leads give every member of a team a copy of one objective.
- Admins, managers and people ops open a cycle's dashboard.
- A check-in is made by the key result's owner or by whoever may edit its objective.
- Cycles are opened and closed by admins.
"""

from __future__ import annotations

from typing import Any

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Role
from ampwork.core.permissions import ADMIN_ONLY, ALL_ROLES, Actor, leads_team, register

from .models import CheckIn, KeyResult, Objective

# roles whose reports' objectives are theirs to set and edit too
FOR_REPORTS = frozenset({Role.ADMIN, Role.MANAGER})


def _owns(actor: Actor, objective: Objective) -> bool:
    me = actor.person
    if me is None:
        return False
    if objective.owner_kind == Objective.OwnerKind.PERSON:
        if objective.owner_person_id == me.pk:
            return True
        return actor.role in FOR_REPORTS and core_selectors.manages(
            me,
            objective.owner_person_id,  # type: ignore[arg-type]
        )
    if objective.owner_kind == Objective.OwnerKind.TEAM:
        return objective.owner_team_id in core_selectors.led_teams(me)
    return False


def may_edit_objective(actor: Actor, objective: Any) -> bool:
    if isinstance(objective, KeyResult):
        objective = objective.objective
    return isinstance(objective, Objective) and _owns(actor, objective)


def may_see_private(actor: Actor, objective: Any) -> bool:
    if not isinstance(objective, Objective):
        return False
    me = actor.person
    if me is not None and objective.author_id == me.pk:
        return True
    return _owns(actor, objective) or (
        me is not None
        and objective.owner_kind == Objective.OwnerKind.PERSON
        and core_selectors.manages(me, objective.owner_person_id)  # type: ignore[arg-type]
    )


def may_check_in(actor: Actor, obj: Any) -> bool:
    key_result = obj.key_result if isinstance(obj, CheckIn) else obj
    if not isinstance(key_result, KeyResult):
        return False
    me = actor.person
    if me is not None and key_result.owner_id == me.pk:
        return True
    return may_edit_objective(actor, key_result.objective)


def install() -> None:
    register("okrs.view", ALL_ROLES)
    register("okrs.dashboard", {Role.ADMIN, Role.MANAGER, Role.PEOPLE_OPS})
    register("objectives.for_reports", FOR_REPORTS)
    register("objectives.assign", ADMIN_ONLY, leads_team)
    register("cycles.edit", ADMIN_ONLY)
    register("objectives.edit", ADMIN_ONLY, may_edit_objective)
    register("objectives.view_private", ADMIN_ONLY, may_see_private)
    register("key_results.check_in", ADMIN_ONLY, may_check_in)
