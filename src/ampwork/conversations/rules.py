"""Who may do what with 1:1s: registered in the core permission table at start-up.

- Anyone in the organisation may start a 1:1 of their own — never one between two other
  people: the service makes the actor one of the two, so no role rule is needed (a rule
  every role passes would say nothing).
- A series, its meetings, agenda, action items and shared notes are the two participants'
  only: no role reads them, not admins, not people ops (others get a 404).
- A private note is read by its author alone: no role and no other person, ever — not the
  other participant, not admins, not people ops, not the API of anyone else, not the
  export. Each participant writes their own.
- A summary of a manager (teacher) 1:1 for the person's next manager: only the person
  switches it on or off, never the lead. While it is on, it is read by the person's
  current manager (``Person.manager``) when that is not the series' lead — the reporting
  line changed — and by nobody else: not the old lead through this route, not admins, not
  people ops. It never holds a private note.

360 and upward feedback (``feedback360.py``), granted to no role — not admins, not people
ops — only by the request itself:

- a request's progress (who was asked, how many answered): its receiver and whoever asked
  on their behalf (their manager, who proposes it; the receiver accepts before it is sent);
- answering: the people asked, while it is open;
- the answers: the receiver alone (upward ones only as the combined set, once shown);
- what the receiver shared: the receiver and their manager (``Person.manager``).
"""

from __future__ import annotations

from typing import Any

from ampwork.core.permissions import Actor, register

from .models import (
    ActionItem,
    FeedbackAsked,
    FeedbackRequest360,
    Meeting,
    OneOnOne,
    PrivateNote,
    TalkingPoint,
)

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


def the_person(actor: Actor, series: Any) -> bool:
    """The actor is the person (not the lead) of a manager (teacher) 1:1."""
    me = actor.person
    return (
        me is not None
        and isinstance(series, OneOnOne)
        and series.kind == OneOnOne.Kind.MANAGER
        and series.person_id == me.pk
    )


def next_manager(actor: Actor, series: Any) -> bool:
    """The actor is the person's current manager, not this series' lead, and the person
    shares the summary."""
    me = actor.person
    return (
        me is not None
        and isinstance(series, OneOnOne)
        and series.kind == OneOnOne.Kind.MANAGER
        and series.share_summary
        and me.pk not in (series.lead_id, series.person_id)
        and series.person.manager_id == me.pk
    )


def _request(obj: Any) -> FeedbackRequest360 | None:
    return obj if isinstance(obj, FeedbackRequest360) else None


def receiver(actor: Actor, obj: Any) -> bool:
    """The actor is the person the feedback is about."""
    me, request = actor.person, _request(obj)
    return me is not None and request is not None and request.receiver_id == me.pk


def receiver_or_requester(actor: Actor, obj: Any) -> bool:
    me, request = actor.person, _request(obj)
    return (
        me is not None
        and request is not None
        and me.pk in (request.receiver_id, request.requested_by_id)
    )


def receivers_manager(actor: Actor, obj: Any) -> bool:
    """The actor is the receiver's manager (their ``manager``), or the receiver."""
    me, request = actor.person, _request(obj)
    return (
        me is not None
        and request is not None
        and (request.receiver_id == me.pk or request.receiver.manager_id == me.pk)
    )


def asked(actor: Actor, obj: Any) -> bool:
    """The actor was asked to answer this request, and it was sent (not only proposed)."""
    me, request = actor.person, _request(obj)
    return (
        me is not None
        and request is not None
        and request.status != FeedbackRequest360.Status.PROPOSED
        and FeedbackAsked.objects.filter(request=request, person=me).exists()
    )


def install() -> None:
    register("feedback360.view", NOBODY, receiver_or_requester)
    register("feedback360.accept", NOBODY, receiver)
    register("feedback360.read_answers", NOBODY, receiver)
    register("feedback360.share", NOBODY, receiver)
    register("feedback360.read_shared", NOBODY, receivers_manager)
    register("feedback360.answer", NOBODY, asked)
    register("one_on_ones.view", NOBODY, participant)
    register("one_on_ones.edit", NOBODY, participant)
    register("one_on_ones.write_private_note", NOBODY, participant)
    register("one_on_ones.read_private_note", NOBODY, author)
    register("one_on_ones.share_summary", NOBODY, the_person)
    register("one_on_ones.read_summary", NOBODY, next_manager)
