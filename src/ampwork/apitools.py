"""Shared API pieces: strict input models, ids, pages, error bodies, the current actor.

Input models are plain Pydantic models that forbid unknown fields, refuse anything but a
JSON object, and reject NUL bytes anywhere (PostgreSQL cannot store them).

An app's API is ``<app>/schemas.py`` (its input models, subclasses of ``InSchema``, and its
output models, ninja ``Schema``) and ``<app>/api.py`` (thin handlers); every route declares
``response=responses(<status>, <OutSchema>)`` so the OpenAPI document names its answer and
its errors. Ids are ``Id`` (in paths, queries and bodies) or ``parse_id`` (text from a
form); lists are paginated with ``@paginate(Pages)``, or, for a page built by hand from the
ids in it, with ``limit: Limit`` and ``offset: Offset`` query fields and ``window``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ampwork.core.permissions import Actor

MAX_ID = 2**63 - 1


def _digits(value: Any) -> Any:
    """A whole number written in a path or query string as digits only: "0.0", " 5" and
    "1e1" are refused (pydantic's lax parsing would take the first two), so what the
    schema says (an integer) is what is accepted. It goes after ``Field`` in an
    ``Annotated``: before it, the schema would lose the field's bounds."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError(_("must be a whole number written with digits only"))
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_digits)]
"""A row's id: a positive integer that fits a database's 64-bit integer."""

MAX_OFFSET = 10**12
Limit = Annotated[
    int, Field(ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT), BeforeValidator(_digits)
]
"""How many rows a page holds (1 to ``NINJA_PAGINATION_MAX_LIMIT``)."""
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET), BeforeValidator(_digits)]
"""How many rows to skip, bounded so that it always fits a database integer."""


def parse_id(raw: object) -> int | None:
    """An id typed into a form or a query string, or None if it is not one: only ASCII
    digits (``"²"`` is a digit to ``str.isdigit`` but not to ``int``), no sign, no spaces,
    and within ``Id``'s range — so a hand-edited form never reaches the database with a
    number it cannot hold."""
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(_("must be a date like 2026-03-31"))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("'%(value)s' is not a date like 2026-03-31") % {"value": value[:40]}
        ) from None


def _iso_moment(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(_("must be a date and time like 2026-03-31T09:00:00+00:00"))
    try:
        found = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("'%(value)s' is not a date and time like 2026-03-31T09:00:00+00:00")
            % {"value": value[:40]}
        ) from None
    if found.tzinfo is None:
        raise ValueError(_("needs a time zone, like 2026-03-31T09:00:00+00:00"))
    if not 1900 <= found.year <= 9000:
        raise ValueError(_("must be between the years 1900 and 9000"))
    # in UTC: an offset such as -18:12 is valid ISO 8601 but out of PostgreSQL's range
    return found.astimezone(dt.UTC)


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
            raise ValueError(_("the request body must be a JSON object"))
        where = _nul_at(data)
        if where is not None:
            raise ValueError(_("%(field)s: text must not contain NUL bytes") % {"field": where})
        for name, field in cls.model_fields.items():
            raw = data.get(field.alias or name)
            limit = _max_length(field.metadata)
            # measured as sent: surrounding spaces are stripped only after this check, so a
            # text padded past the documented maxLength is refused, as the schema says
            if isinstance(raw, str) and limit is not None and len(raw) > limit:
                raise ValueError(
                    _("%(field)s: at most %(limit)d characters") % {"field": name, "limit": limit}
                )
        return data


def _max_length(metadata: list[Any]) -> int | None:
    for item in metadata:
        limit = getattr(item, "max_length", None)
        if isinstance(limit, int):
            return limit
    return None


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


def responses(ok: int, schema: Any, also: dict[int, Any] | None = None) -> dict[int, Any]:
    """A route's documented answers: ``schema`` with status ``ok`` (``None`` for 204), the
    error bodies every route may give (400, 401, 403, 404, 422), and ``also`` (other
    statuses, e.g. ``{409: MessageOut}``)."""
    return {ok: schema, **ERRORS, **(also or {})}


def actor(request: HttpRequest) -> Actor:
    """The authenticated actor of an API request (set by the API's auth classes)."""
    auth: Actor = request.auth  # type: ignore[attr-defined]
    return auth


class Pages(LimitOffsetPagination):
    """limit/offset pages (``@paginate(Pages)``), with the offset bounded so it always fits
    a database integer. The answer is ``{"items": [...], "count": n}``."""

    class Input(Schema):
        limit: Limit = settings.NINJA_PAGINATION_PER_PAGE
        offset: Offset = 0


class Paged(Protocol):
    """A query with a page's bounds (``limit: Limit``, ``offset: Offset``)."""

    limit: int
    offset: int


def window(query: Paged) -> slice:
    """The rows of one page, for a list that builds its page by hand from a query with
    ``limit: Limit`` and ``offset: Offset`` fields: ``queryset[window(filters)]``."""
    return slice(query.offset, query.offset + query.limit)
