"""The webhooks API's input and output models (``/api/v1/webhooks``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from ampwork.apitools import InSchema

Url = Annotated[str, Field(min_length=1, max_length=500)]
EventList = Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=50)]
Description = Annotated[str, Field(max_length=200)]


class EndpointIn(InSchema):
    url: Url
    events: EventList
    description: Description = ""


class EndpointPatch(InSchema):
    url: Url | None = None
    events: EventList | None = None
    description: Description | None = None
    enabled: bool | None = None


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    enabled: bool
    failing_since: dt.datetime | None
    disabled_reason: str
    created_at: dt.datetime


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(description="whsec_…: shown only now (and when rotated)")


class SecretOut(Schema):
    secret: str


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    message_id: str
    event_type: str
    payload: dict[str, Any]
    status: str
    attempts: int
    status_code: int | None
    response_body: str
    error: str
    duration_ms: float | None
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None


class EventTypeOut(Schema):
    type: str
    description: str
