"""Who may do what with pulses: registered in the core permission table at start-up.

- Admins and people ops create, open, close and export pulses and read every group's
  results (each only at or above the anonymity minimum); managers read the teams they
  lead.
- In a school, teachers also create and run pulses for the classes they lead — never for
  the whole school, nor for a class they do not lead: ``pulse.for_team`` (may a new round
  be for this team?) and ``pulse.run`` (may this round be opened, closed, reminded, and
  its shared link and QR code be seen?). A round is a teacher's to run only when they lead
  every team it is for. Students run none, even a team they lead.
- Exporting a round's results as CSV (``pulse.export``): whoever sees the results, except
  that the organisation's two-factor policy holds admins and people ops back until they
  have set up two-factor sign-in.
- Seeing a round's shared link is ``pulse.run``: whoever may not run the round never sees
  its link on any page — they answer only by being given it.
"""

from __future__ import annotations

from typing import Any

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Role, Team
from ampwork.core.permissions import (
    ALL_ROLES,
    STAFF,
    Actor,
    leads_team,
    register,
    roles_for,
)

from .models import Round

# in a school, teachers (the manager role) create pulses too: for the classes they lead
CREATORS_IN_SCHOOL = STAFF | {Role.MANAGER}


def _runs_class_pulses(actor: Actor) -> bool:
    """The actor's role may create pulses, in this organisation (a teacher in a school)."""
    return actor.role in roles_for(actor.organisation, "pulse.create")


def leads_class(actor: Actor, team: Any) -> bool:
    """A teacher may make a pulse for a class (team) they lead."""
    return isinstance(team, Team) and _runs_class_pulses(actor) and leads_team(actor, team)


def runs_round(actor: Actor, round: Any) -> bool:
    """A teacher runs a round that is for classes only, each of which they lead."""
    if not isinstance(round, Round) or actor.person is None or not _runs_class_pulses(actor):
        return False
    teams = set(round.teams.values_list("id", flat=True))
    return bool(teams) and teams <= core_selectors.led_teams(actor.person)


def install() -> None:
    register("pulse.manage", STAFF)
    # the CSV of a round's results (what the page shows each role), held back from admins
    # and people ops by the organisation's two-factor policy until they have set it up
    register("pulse.export", ALL_ROLES, two_factor=True)
    register("pulse.team_results", {Role.MANAGER})
    register("pulse.create", STAFF, school=CREATORS_IN_SCHOOL)
    register("pulse.for_team", STAFF, leads_class)
    register("pulse.run", STAFF, runs_round)
