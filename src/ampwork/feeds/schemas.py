"""The calendar feed API's output models (its routes take no body)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class CalendarFeedOut(Schema):
    active: bool
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None


class CalendarFeedCreatedOut(Schema):
    url: str  # the private address, answered this once only (only its digest is stored)
