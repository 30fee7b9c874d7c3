"""The notification centre's API models (``/api/v1/notifications``,
``/api/v1/notification-preferences``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Id, InSchema

from .models import Notification

Code = Annotated[str, Field(min_length=1, max_length=40)]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", max_length=5)]


class NotificationOut(Schema):
    id: int
    kind: str
    title: str = Field(description="What it says, in the language of the request")
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return obj.text


class NotificationsReadIn(InSchema):
    ids: Annotated[list[Id], Field(max_length=500)] = []
    all: bool = False


class NotificationsReadOut(Schema):
    marked: int


class NotificationPreferenceIn(InSchema):
    kind: Code
    channel: Code
    enabled: bool


class NotificationPreferencesIn(InSchema):
    preferences: Annotated[list[NotificationPreferenceIn], Field(max_length=200)] = []
    quiet_start: Clock | None = Field(None, description="HH:MM, server time; null: none")
    quiet_end: Clock | None = None


class NotificationPreferenceOut(Schema):
    kind: str
    label: str
    channel: str
    enabled: bool


class NotificationPreferencesOut(Schema):
    preferences: list[NotificationPreferenceOut]
    channels: list[str]
    quiet_start: str | None
    quiet_end: str | None
