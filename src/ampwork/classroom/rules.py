"""Who may roster a school, and who looks after consent for student pulses.

- ``roster.import``: head teachers (the admin role). A roster sets who is a teacher and
  who a student, as only an admin may (``people.change_role``), and the importers of
  people and teams are staff only; a school has no people ops, so: its head teachers.
- ``consent.policy``: head teachers set the school's consent rule for student pulses and
  keep its list of sensitive topics.
- ``consent.record``: head teachers record a guardian's consent or opt-out for any
  student; a teacher for the students of the classes they lead — never another class's.
  The consent page of a round is for those who run it (``pulse.run``).
- ``goals.view``: a student's goals and their conference portfolio (the object is the
  student): the student, the teachers of their classes, head teachers — never another
  student, never a teacher of other classes.
- ``goals.write``: a student writes their own goals' starting point, action plan and
  celebration — nobody else writes them.
- ``goals.reply``: a teacher of the student's classes, or a head teacher, replies on a goal.
- ``goals.settings``: head teachers choose whether goals are listed purpose → mastery →
  autonomy.
"""

from __future__ import annotations

from typing import Any

from ampwork.core.models import Person, Role
from ampwork.core.permissions import ADMIN_ONLY, Actor, coaches, is_self, register


def teaches(actor: Actor, student: Any) -> bool:
    """A teacher (the manager role) leads a class the student is in (or manages them)."""
    return (
        actor.role == Role.MANAGER
        and actor.organisation.is_school
        and isinstance(student, Person)
        and coaches(actor, student)
    )


def self_or_teacher(actor: Actor, student: Any) -> bool:
    return is_self(actor, student) or teaches(actor, student)


def install() -> None:
    register("roster.import", ADMIN_ONLY)
    register("consent.policy", ADMIN_ONLY)
    register("consent.record", ADMIN_ONLY, teaches)
    register("goals.view", ADMIN_ONLY, self_or_teacher)
    register("goals.write", frozenset(), is_self)
    register("goals.reply", ADMIN_ONLY, teaches)
    register("goals.settings", ADMIN_ONLY)
