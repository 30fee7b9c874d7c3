"""The 1:1 API's input and output models. No output model has a field for anyone's private
note but the reader's own (``MeetingOut.my_private_note``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Day, Id, InSchema

Text = Annotated[str, Field(min_length=1, max_length=500)]
Cadence = Literal["weekly", "fortnightly", "monthly"]


class PersonRef(Schema):
    id: int
    name: str


class OneOnOneOut(Schema):
    id: int
    kind: str
    cadence: str
    person: PersonRef
    lead: PersonRef
    relation: str  # what the other person is to the reader: manager, report, mentor, mentee
    next_meeting_id: int
    next_meeting_date: dt.date
    # the person's choice: a summary for their next manager (``share_summary`` route)
    share_summary: bool


class OneOnOneIn(InSchema):
    with_id: Id
    relationship: Literal["manager", "report", "mentor", "mentee"]
    cadence: Cadence = "weekly"
    first_meeting: Day | None = None


AgendaLinkKind = Literal["key_result", "review", "feedback", "skill"]


class AgendaLinkOut(Schema):
    kind: AgendaLinkKind
    id: int
    label: str  # its title, as the reader may see it
    url: str  # its page


class TalkingPointOut(Schema):
    id: int
    meeting_id: int
    author_id: int | None
    text: str
    evidence: str
    discussed: bool
    carried_from_id: int | None
    # what the point is about, if the reader may open it; ``link_unavailable`` when there
    # is a link the reader may no longer open (its title is not answered)
    link: AgendaLinkOut | None
    link_unavailable: bool


class AgendaLinkIn(InSchema):
    kind: AgendaLinkKind
    id: Id


class TalkingPointIn(InSchema):
    text: Text
    evidence: Annotated[str, Field(max_length=300)] = ""
    # a key result, weekly review, 360 request (``feedback``) or skill both people may open
    link: AgendaLinkIn | None = None


class TalkingPointPatch(InSchema):
    discussed: bool


class ActionItemOut(Schema):
    id: int
    meeting_id: int
    owner_id: int
    text: str
    due: dt.date | None
    done: bool
    overdue: bool
    carried_from_id: int | None


class ActionItemIn(InSchema):
    text: Text
    owner_id: Id
    due: Day | None = None


class ActionItemPatch(InSchema):
    done: bool


class MeetingOut(Schema):
    id: int
    one_on_one_id: int
    date: dt.date
    held: bool
    shared_notes: str
    my_private_note: str  # the reader's own; nobody else's is ever answered
    talking_points: list[TalkingPointOut]
    action_items: list[ActionItemOut]


class NotesIn(InSchema):
    text: Annotated[str, Field(max_length=10_000)]


class SummarySharingIn(InSchema):
    share: bool


class SummaryActionOut(Schema):
    text: str
    owner: PersonRef
    due: dt.date | None
    done: bool


class SummaryPointOut(Schema):
    text: str
    discussed: bool


class SummaryMeetingOut(Schema):
    """A held meeting in a summary: no private note, ever."""

    date: dt.date
    talking_points: list[SummaryPointOut]
    action_items: list[SummaryActionOut]
    shared_notes: str


class SummaryOut(Schema):
    one_on_one_id: int
    lead: PersonRef
    meetings: list[SummaryMeetingOut]


class EarlierOut(Schema):
    person: PersonRef
    summaries: list[SummaryOut]


# 360 and upward feedback. No output model has an author field for upward answers, and
# the reader's manager gets only the answers the receiver shared (never their authors).

Answer = Annotated[str, Field(max_length=3000)]


class FeedbackRequestIn(InSchema):
    kind: Literal["360", "upward"] = "360"
    asked_ids: Annotated[list[Id], Field(min_length=1, max_length=20)]
    due: Day
    receiver_id: Id | None = None  # someone you manage: they accept before it is sent
    skill_id: Id | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class FeedbackRequestOut(Schema):
    id: int
    kind: str
    status: str  # proposed (waiting for the receiver's consent) | open | closed
    receiver: PersonRef
    requested_by: PersonRef
    due: dt.date
    skill: str | None
    note: str
    asked: int
    answered: int
    progress: str  # "3 of 5 answered", and for upward below the minimum that it is hidden
    closed: bool


class FeedbackAnswersIn(InSchema):
    strengths: Answer = ""
    start: Answer = ""
    stop: Answer = ""
    skill: Answer = ""


class FeedbackAnswerOut(Schema):
    id: int | None  # None for upward answers
    question: str
    text: str
    author: str | None  # the writer of an attributed answer, to the receiver only
    shared: bool


class FeedbackQuestionOut(Schema):
    key: str
    text: str
    answers: list[FeedbackAnswerOut]


class FeedbackResultsOut(Schema):
    request: FeedbackRequestOut
    reader_is_receiver: bool
    hidden_reason: str  # why upward answers are not shown, or ""
    questions: list[FeedbackQuestionOut]


class FeedbackShareIn(InSchema):
    answer_ids: Annotated[list[Id], Field(max_length=200)] = []
    whole: bool = False  # upward: share the combined answers as a whole


class FeedbackDecisionIn(InSchema):
    accept: bool
