"""Who may do what with the advisor: registered in the core permission table at start-up.

- Admins, people ops and managers (teachers) read the advisor: the checklist, findings,
  readiness and incentives. Admins and people ops see the whole organisation's findings
  and the organisation section of the home dashboard; managers what concerns their teams.
- The coaching dashboard on the home page is for everyone but members, and for members
  who lead a team.
- Admins tick checklist items by hand; team leads (teachers) their own team's items.
- Admins and people ops record incentives; in a school, head teachers and teachers do.
"""

from __future__ import annotations

from typing import Any

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation, Role
from ampwork.core.permissions import ADMIN_ONLY, STAFF, TEACHERS, Actor, leads_team, register

READERS = frozenset({Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER})


def leads_any_team(actor: Actor, org: Any) -> bool:
    """A member who leads a team coaches it: they get the coaching dashboard."""
    return (
        isinstance(org, Organisation)
        and actor.person is not None
        and bool(core_selectors.led_teams(actor.person))
    )


def install() -> None:
    register("advisor.view", READERS)
    register("advisor.all_findings", STAFF)
    register("advisor.dashboard", READERS, leads_any_team)
    register("advisor.tick", ADMIN_ONLY, leads_team)
    register("incentives.edit", STAFF, school=TEACHERS)
