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


class OneOnOneIn(InSchema):
    with_id: Id
    relationship: Literal["manager", "report", "mentor", "mentee"]
    cadence: Cadence = "weekly"
    first_meeting: Day | None = None


class TalkingPointOut(Schema):
    id: int
    meeting_id: int
    author_id: int | None
    text: str
    evidence: str
    discussed: bool
    carried_from_id: int | None


class TalkingPointIn(InSchema):
    text: Text
    evidence: Annotated[str, Field(max_length=300)] = ""


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
