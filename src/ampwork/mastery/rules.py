"""Who may do what with mastery: registered in the core permission table at start-up.

- Weekly reviews are read by their author, the author's managers and team leads (their
  coaches), and admins; coaches and admins reply — never to their own.
- Skills are named by admins and people ops; in a school by head teachers and teachers.
- A person rates their own skills; their coaches and admins rate them too.
- A team's mastery pages are for its leads and admins.
- ``recognition.feed``: who always sees the public recognition feed — everyone, but in a
  school only staff; a student (an under-18) sees it only once a teacher opted their class
  in, or a head teacher the whole school (classroom's privacy settings).
- ``recognition.give``: who may post recognition — everyone, but in a school a student only
  while their feed is open (a student who cannot read the feed does not write to it).
"""

from __future__ import annotations

from typing import Any

from ampwork.core.permissions import (
    ADMIN_ONLY,
    ALL_ROLES,
    STAFF,
    TEACHERS,
    Actor,
    coaches,
    is_self,
    leads_team,
    register,
)


def self_or_coach(actor: Actor, person: Any) -> bool:
    return is_self(actor, person) or coaches(actor, person)


def feed_open(actor: Actor, _organisation: Any) -> bool:
    """The actor's recognition feed is open to them (a school's student, once opened)."""
    from . import selectors

    return actor.person is not None and not selectors.feed_closed(actor)


def install() -> None:
    register("reviews.view", ADMIN_ONLY, self_or_coach)
    register("reviews.reply", ADMIN_ONLY, coaches)
    register("skills.define", STAFF, school=TEACHERS)
    register("skills.rate", ADMIN_ONLY, self_or_coach)
    register("mastery.team", ADMIN_ONLY, leads_team)
    register("recognition.feed", ALL_ROLES, school=TEACHERS)
    register("recognition.give", ALL_ROLES, feed_open, school=TEACHERS)
