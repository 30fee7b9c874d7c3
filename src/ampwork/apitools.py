"""Shared API pieces: strict input models, ids, error bodies, the current actor.

Input models are plain Pydantic models that forbid unknown fields, refuse anything but a
JSON object, and reject NUL bytes anywhere (PostgreSQL cannot store them).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ampwork.core.permissions import Actor

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date like 2026-03-31")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value[:40]}' is not a date like 2026-03-31") from None


def _iso_moment(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date and time like 2026-03-31T09:00:00+00:00")
    try:
        found = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"'{value[:40]}' is not a date and time like 2026-03-31T09:00:00+00:00"
        ) from None
    if found.tzinfo is None:
        raise ValueError("needs a time zone, like 2026-03-31T09:00:00+00:00")
    if not 1900 <= found.year <= 9000:
        raise ValueError("must be between the years 1900 and 9000")
    return found


# Input bodies are validated strictly (no "1" for 1, no 0 for a date, no false for 0.0);
# dates arrive as ISO strings in JSON, so they are parsed before the strict check.
Day = Annotated[dt.date, BeforeValidator(_iso_date)]
Moment = Annotated[dt.datetime, BeforeValidator(_iso_moment)]


def _nul_at(value: Any, path: str = "") -> str | None:
    """The dotted path of the first text holding a NUL byte ("" for the body), or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items: Any = ()
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{path}.{k}" if path else str(k)
            if isinstance(k, str) and "\x00" in k:
                return where
            found = _nul_at(v, where)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    for i, v in items:
        found = _nul_at(v, f"{path}[{i}]")
        if found is not None:
            return found
    return None


class InSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _object_without_nul(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        where = _nul_at(data)
        if where is not None:
            raise ValueError(f"{where}: text must not contain NUL bytes")
        return data


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """422: what is wrong, field by field (``loc`` ends with the field's name)."""

    detail: list[ErrorItem]


class MessageOut(BaseModel):
    detail: str


ERRORS: dict[int, Any] = {
    400: MessageOut,
    401: MessageOut,
    403: MessageOut,
    404: MessageOut,
    422: ValidationErrorOut,
}


def actor(request: HttpRequest) -> Actor:
    """The authenticated actor of an API request (set by the API's auth classes)."""
    return request.auth  # type: ignore[attr-defined]


class Pages(LimitOffsetPagination):
    """limit/offset pages, with the offset bounded so it always fits a database integer."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=10**12)
