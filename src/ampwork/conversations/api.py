"""REST routes for 1:1s, for their two participants only (anyone else gets a 404):
/one-on-ones (one's own series; start one), /one-on-ones/meetings/{id} (the agenda, action
items, shared notes and the reader's own private note), talking points and action items
(add, mark discussed, tick done), shared and private notes, and holding a meeting. A private
note is answered to its author alone. The person of a manager 1:1 switches sharing its
summary on or off (/one-on-ones/{id}/summary-sharing); their next manager reads it
(/one-on-ones/people/{id}/earlier), never with a private note."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from ampwork.apitools import Id, actor, responses
from ampwork.core.permissions import Actor

from . import schedule, selectors, services
from .models import ActionItem, Meeting, OneOnOne, TalkingPoint
from .schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    AgendaLinkOut,
    EarlierOut,
    MeetingOut,
    NotesIn,
    OneOnOneIn,
    OneOnOneOut,
    PersonRef,
    SummaryActionOut,
    SummaryMeetingOut,
    SummaryOut,
    SummaryPointOut,
    SummarySharingIn,
    TalkingPointIn,
    TalkingPointOut,
    TalkingPointPatch,
)

router = Router(tags=["one-on-ones"])


def _series(who: Actor, s: OneOnOne, next_meeting: Meeting) -> OneOnOneOut:
    return OneOnOneOut(
        id=s.pk,
        kind=s.kind,
        cadence=s.cadence,
        person=PersonRef(id=s.person.pk, name=s.person.name),
        lead=PersonRef(id=s.lead.pk, name=s.lead.name),
        relation=selectors.relation_of(who, s),
        next_meeting_id=next_meeting.pk,
        next_meeting_date=next_meeting.date,
        share_summary=s.share_summary,
    )


def _point(row: selectors.PointRow) -> TalkingPointOut:
    p, link = row.point, row.link
    return TalkingPointOut(
        id=p.pk,
        meeting_id=p.meeting_id,
        author_id=p.author_id,
        text=p.text,
        evidence=p.evidence,
        discussed=p.discussed,
        carried_from_id=p.carried_from_id,
        link=AgendaLinkOut(kind=link.kind, id=link.id, label=link.label, url=link.url)  # type: ignore[arg-type]
        if link
        else None,
        link_unavailable=row.gone,
    )


def _points(who: Actor, points: list[TalkingPoint]) -> list[TalkingPointOut]:
    return [_point(row) for row in selectors.point_rows(who, points)]


def _action(a: ActionItem) -> ActionItemOut:
    return ActionItemOut(
        id=a.pk,
        meeting_id=a.meeting_id,
        owner_id=a.owner_id,
        text=a.text,
        due=a.due,
        done=a.done,
        overdue=schedule.is_overdue(a.due, a.done, timezone.localdate()),
        carried_from_id=a.carried_from_id,
    )


def _meeting(who: Actor, meeting: Meeting) -> MeetingOut:
    note = selectors.own_private_note(who, meeting)
    return MeetingOut(
        id=meeting.pk,
        one_on_one_id=meeting.one_on_one_id,
        date=meeting.date,
        held=not meeting.is_open,
        shared_notes=meeting.shared_notes,
        my_private_note=note.text if note else "",
        talking_points=_points(who, selectors.points_of(meeting)),
        action_items=[
            _action(row.item) for row in selectors.actions_of(meeting, timezone.localdate())
        ],
    )


@router.get("/one-on-ones", response=responses(200, list[OneOnOneOut]))
def one_on_ones(request: HttpRequest) -> list[OneOnOneOut]:
    """Your own 1:1s (nobody else's, whatever your role), the next meeting first."""
    who = actor(request)
    return [_series(who, row.series, row.next_meeting) for row in selectors.my_series(who)]


@router.post("/one-on-ones", response=responses(201, OneOnOneOut))
def start(request: HttpRequest, payload: OneOnOneIn) -> Status[OneOnOneOut]:
    """Start a 1:1 with someone: ``relationship`` is what they are to you (your manager,
    your report, your mentor, your mentee). A manager 1:1 needs a reporting line; a mentor
    1:1 may be with anyone in the organisation."""
    who = actor(request)
    series = services.start(actor=who, **payload.model_dump())
    series = selectors.get_series(who, series.pk)
    return Status(201, _series(who, series, services.open_meeting_of(series)))


@router.get("/one-on-ones/meetings/{meeting_id}", response=responses(200, MeetingOut))
def meeting(request: HttpRequest, meeting_id: Id) -> MeetingOut:
    who = actor(request)
    return _meeting(who, selectors.get_meeting(who, meeting_id))


@router.post(
    "/one-on-ones/meetings/{meeting_id}/talking-points", response=responses(201, TalkingPointOut)
)
def add_point(
    request: HttpRequest, meeting_id: Id, payload: TalkingPointIn
) -> Status[TalkingPointOut]:
    """Add a talking point to the open meeting's agenda, optionally linked (``link``) to a
    key result, weekly review, 360 request (``feedback``) or skill that both people may
    open; a link to anything else is refused (422, naming ``link``)."""
    who = actor(request)
    found = selectors.get_meeting(who, meeting_id)
    link = (payload.link.kind, payload.link.id) if payload.link else None
    point = services.add_point(
        actor=who, meeting=found, text=payload.text, evidence=payload.evidence, link=link
    )
    return Status(201, _points(who, [point])[0])


@router.patch("/one-on-ones/talking-points/{point_id}", response=responses(200, TalkingPointOut))
def mark_point(request: HttpRequest, point_id: Id, payload: TalkingPointPatch) -> TalkingPointOut:
    """Mark a talking point discussed (or not)."""
    who = actor(request)
    found = selectors.get_point(who, point_id)
    return _points(who, [services.mark_point(actor=who, point=found, discussed=payload.discussed)])[
        0
    ]


@router.post(
    "/one-on-ones/meetings/{meeting_id}/action-items", response=responses(201, ActionItemOut)
)
def add_action(
    request: HttpRequest, meeting_id: Id, payload: ActionItemIn
) -> Status[ActionItemOut]:
    who = actor(request)
    found = selectors.get_meeting(who, meeting_id)
    item = services.add_action(actor=who, meeting=found, **payload.model_dump())
    return Status(201, _action(item))


@router.patch("/one-on-ones/action-items/{item_id}", response=responses(200, ActionItemOut))
def tick_action(request: HttpRequest, item_id: Id, payload: ActionItemPatch) -> ActionItemOut:
    """Tick an action item done (or not)."""
    who = actor(request)
    found = selectors.get_action(who, item_id)
    return _action(services.tick_action(actor=who, item=found, done=payload.done))


@router.put("/one-on-ones/meetings/{meeting_id}/shared-notes", response=responses(200, MeetingOut))
def shared_notes(request: HttpRequest, meeting_id: Id, payload: NotesIn) -> MeetingOut:
    """The notes both participants read."""
    who = actor(request)
    found = services.save_shared_notes(
        actor=who, meeting=selectors.get_meeting(who, meeting_id), text=payload.text
    )
    return _meeting(who, found)


@router.put("/one-on-ones/meetings/{meeting_id}/private-note", response=responses(200, MeetingOut))
def private_note(request: HttpRequest, meeting_id: Id, payload: NotesIn) -> MeetingOut:
    """Your own private note on the meeting: answered to you alone, ever."""
    who = actor(request)
    found = selectors.get_meeting(who, meeting_id)
    services.save_private_note(actor=who, meeting=found, text=payload.text)
    return _meeting(who, found)


@router.post("/one-on-ones/meetings/{meeting_id}/hold", response=responses(200, MeetingOut))
def hold(request: HttpRequest, meeting_id: Id) -> MeetingOut:
    """Hold the meeting: it closes, and the next one opens with every talking point not
    discussed and every action item not done carried over, once. Answers the next meeting
    (the same one when the meeting was held already)."""
    who = actor(request)
    following = services.hold(actor=who, meeting=selectors.get_meeting(who, meeting_id))
    return _meeting(who, selectors.get_meeting(who, following.pk))


@router.put("/one-on-ones/{one_on_one_id}/summary-sharing", response=responses(200, OneOnOneOut))
def summary_sharing(
    request: HttpRequest, one_on_one_id: Id, payload: SummarySharingIn
) -> OneOnOneOut:
    """The person of a manager (teacher) 1:1 — never the lead — shares a summary of it with
    their next manager (``share: true``) or stops (``false``). Off by default."""
    who = actor(request)
    series = services.set_summary_sharing(
        actor=who, series=selectors.get_series(who, one_on_one_id), share=payload.share
    )
    return _series(who, series, services.open_meeting_of(series))


@router.get("/one-on-ones/people/{person_id}/earlier", response=responses(200, EarlierOut))
def earlier(request: HttpRequest, person_id: Id) -> EarlierOut:
    """Earlier 1:1s a person shares with you, their manager now: each held meeting's date,
    talking points, action items and shared notes — never a private note. 404 unless you
    are their current manager, not the lead of that 1:1, and they share it."""
    who = actor(request)
    found = selectors.earlier_one_on_ones(who, person_id)
    return EarlierOut(
        person=PersonRef(id=found.person.pk, name=found.person.name),
        summaries=[
            SummaryOut(
                one_on_one_id=s.series.pk,
                lead=PersonRef(id=s.lead.pk, name=s.lead.name),
                meetings=[
                    SummaryMeetingOut(
                        date=m.date,
                        talking_points=[
                            SummaryPointOut(text=p.text, discussed=p.discussed) for p in m.points
                        ],
                        action_items=[
                            SummaryActionOut(
                                text=a.text,
                                owner=PersonRef(id=a.owner.pk, name=a.owner.name),
                                due=a.due,
                                done=a.done,
                            )
                            for a in m.actions
                        ],
                        shared_notes=m.shared_notes,
                    )
                    for m in s.meetings
                ],
            )
            for s in found.summaries
        ],
    )
