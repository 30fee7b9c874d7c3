"""Who may do what with 1:1s: registered in the core permission table at start-up.

- Anyone in the organisation may start a 1:1 of their own — never one between two other
  people: the service makes the actor one of the two, so no role rule is needed (a rule
  every role passes would say nothing).
- A series, its meetings, agenda, action items and shared notes are the two participants'
  only: no role reads them, not admins, not people ops (others get a 404).
- A private note is read by its author alone: no role and no other person, ever — not the
  other participant, not admins, not people ops, not the API of anyone else, not the
  export. Each participant writes their own.
"""

from __future__ import annotations

from typing import Any

from ampwork.core.permissions import Actor, register

from .models import ActionItem, Meeting, OneOnOne, PrivateNote, TalkingPoint

NOBODY: frozenset[str] = frozenset()


def _series(obj: Any) -> OneOnOne | None:
    if isinstance(obj, OneOnOne):
        return obj
    if isinstance(obj, Meeting):
        return obj.one_on_one
    if isinstance(obj, TalkingPoint | ActionItem):
        return obj.meeting.one_on_one
    return None


def participant(actor: Actor, obj: Any) -> bool:
    """The actor is one of the two people of the 1:1 the object belongs to."""
    me = actor.person
    series = _series(obj)
    return me is not None and series is not None and me.pk in (series.person_id, series.lead_id)


def author(actor: Actor, note: Any) -> bool:
    """The actor wrote this private note."""
    me = actor.person
    return me is not None and isinstance(note, PrivateNote) and note.author_id == me.pk


def install() -> None:
    register("one_on_ones.view", NOBODY, participant)
    register("one_on_ones.edit", NOBODY, participant)
    register("one_on_ones.write_private_note", NOBODY, participant)
    register("one_on_ones.read_private_note", NOBODY, author)
