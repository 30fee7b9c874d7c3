"""Who may roster a school, and who looks after consent for student pulses.

- ``roster.import``: head teachers (the admin role). A roster sets who is a teacher and
  who a student, as only an admin may (``people.change_role``), and the importers of
  people and teams are staff only; a school has no people ops, so: its head teachers.
- ``consent.policy``: head teachers set the school's consent rule for student pulses and
  keep its list of sensitive topics.
- ``consent.record``: head teachers record a guardian's consent or opt-out for any
  student; a teacher for the students of the classes they lead — never another class's.
  The consent page of a round is for those who run it (``pulse.run``).
- ``privacy.view``: the students' privacy page — head teachers and teachers (a teacher sees
  only the classes they lead there).
- ``class.settings``: a class's age band and whether its students see the recognition
  feed: head teachers for every class; a teacher for the classes they lead.
- ``privacy.school``: the school-wide recognition opt-in and the retention policy (its dry
  run and its purge): head teachers.
"""

from __future__ import annotations

from typing import Any

from ampwork.core.models import Person, Role, Team
from ampwork.core.permissions import ADMIN_ONLY, Actor, coaches, leads_team, register


def teaches(actor: Actor, student: Any) -> bool:
    """A teacher (the manager role) leads a class the student is in (or manages them)."""
    return (
        actor.role == Role.MANAGER
        and actor.organisation.is_school
        and isinstance(student, Person)
        and coaches(actor, student)
    )


def leads_class(actor: Actor, team: Any) -> bool:
    """A teacher (the manager role) of a school leads this class."""
    return (
        actor.role == Role.MANAGER
        and actor.organisation.is_school
        and isinstance(team, Team)
        and leads_team(actor, team)
    )


def install() -> None:
    register("roster.import", ADMIN_ONLY)
    register("consent.policy", ADMIN_ONLY)
    register("consent.record", ADMIN_ONLY, teaches)
    register("privacy.view", ADMIN_ONLY, school={Role.ADMIN, Role.MANAGER})
    register("class.settings", ADMIN_ONLY, leads_class)
    register("privacy.school", ADMIN_ONLY)
