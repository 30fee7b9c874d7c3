"""Who may do what with autonomy: registered in the core permission table at start-up.
(``rules.py`` beside this file is the pure autonomy maths, not permissions.)

- A person sees their own ledger; their managers, team leads and admins see it too, and a
  team's grid is seen by its leads and admins.
- Managers and team leads widen others' autonomy — never their own; admins anyone's.
- Admins and managers (teachers) get the teams they lead listed on their own page.
- Managers (teachers), people ops and admins run ShipIt days; the outcome of a ShipIt
  project is recorded by its team or by whoever runs ShipIt days.
"""

from __future__ import annotations

from typing import Any

from ampwork.core.models import Person, Role, Team
from ampwork.core.permissions import ADMIN_ONLY, Actor, coaches, is_self, leads_team, register

from .models import Proposal

RUNNERS = frozenset({Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER})


def _leads(actor: Actor, obj: Any) -> bool:
    if isinstance(obj, Team):
        return leads_team(actor, obj)
    return isinstance(obj, Person) and coaches(actor, obj)


def may_view(actor: Actor, obj: Any) -> bool:
    """A person sees their own ledger; their managers and team leads see it too."""
    return is_self(actor, obj) or _leads(actor, obj)


def may_manage(actor: Actor, obj: Any) -> bool:
    """Managers and team leads widen others' autonomy — never their own."""
    return not is_self(actor, obj) and _leads(actor, obj)


def in_the_team(actor: Actor, proposal: Any) -> bool:
    """A ShipIt project's team records what came of it."""
    me = actor.person
    return (  # members.all(): the event page has them prefetched
        me is not None
        and isinstance(proposal, Proposal)
        and any(m.pk == me.pk for m in proposal.members.all())
    )


def install() -> None:
    register("autonomy.view", ADMIN_ONLY, may_view)
    register("autonomy.manage", ADMIN_ONLY, may_manage)
    register("autonomy.lead", {Role.ADMIN, Role.MANAGER})
    register("autonomy.shipit", RUNNERS)
    register("shipit.follow_up", RUNNERS, in_the_team)
