"""Structured logs: one event per line, human-readable ``key=value`` or JSON.

Every line ampwork writes about its own work is an *event*: a short dotted name
(``request``, ``import.finished``, ``mail.batch``, ``command.finished``…) and a few fields
from :data:`FIELDS`. :func:`event` refuses any other field name, and writes a string value
only if it is a short code (letters, digits, ``_.:/<>()?^$|-``; no spaces, no ``@``) —
anything else becomes ``<redacted>``. So a name, an email or a sentence cannot reach a log
line through an event by accident: a new field must be added to :data:`FIELDS` first,
where a reviewer sees it, and its values must come from the program, not from people.

Lines that other libraries write (Django's 5xx reports, waitress, django-axes…) go
through the same formatter, and every written line passes :func:`ampwork.logfilters.scrub`
(one-time pulse links and email addresses cut out) last.

``AMPWORK_LOG_FORMAT=json`` gives one JSON object per line (for a log shipper); anything
else gives ``time LEVEL logger event key=value …`` for a console. See docs/operations.md.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .core.errors import NotAllowed, ValidationFailed
from .logfilters import scrub

log = logging.getLogger("ampwork")
request_log = logging.getLogger("ampwork.request")

# The only field names an event may carry. Ids are opaque numbers (docs/operations.md);
# counts are numbers; the rest are codes from the program, never from what people typed.
FIELDS = frozenset(
    {
        "request_id",
        "method",
        "route",
        "status",
        "duration_ms",
        "org_id",
        "person_id",
        "command",
        "action",
        "kind",
        "result",
        "rows",
        "errors",
        "objects",
        "organisations",
        "sent",
        "failed",
        "skipped",
        "account",
        "address",
        "by",
        "failures",
        "error",
    }
)
# a code: what the program names (routes include regex patterns); no spaces, @ or quotes
_CODE = re.compile(r"[A-Za-z0-9_.:/<>()?^$|\\\-]{0,200}")
REDACTED = "<redacted>"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Answering a pulse is anonymous: its request lines carry no organisation and no person
# (a line "person 42 answered at 10:31" would say who answered, and when).
_ANONYMOUS_ROUTE = re.compile(r"^(pulse/(.+/)?answer/|api/v1/[a-z-]+/<\w+>/responses$)")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "ampwork_request_id", default=""
)

Value = str | int | float | bool | None


def _checked(value: Any) -> Value:
    """A value that is not a number or a code becomes ``<redacted>``: a log call never
    fails a request, and never writes what someone typed. (A field name outside
    :data:`FIELDS` is a programming error: :func:`event` raises, and tests meet it.)"""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and _CODE.fullmatch(value):
        return value
    return REDACTED


def event(
    logger: logging.Logger, name: str, /, *, level: int = logging.INFO, **fields: Any
) -> None:
    """Log the event ``name`` with ``fields`` (names from :data:`FIELDS`, plain values)."""
    if not _CODE.fullmatch(name):
        raise ValueError(f"log event name '{name[:40]}' must be a short code")
    unknown = set(fields) - FIELDS
    if unknown:  # checked even when the level is off, so tests meet it
        raise ValueError(f"log field '{min(unknown)}' is not in ampwork.logs.FIELDS")
    if not logger.isEnabledFor(level):
        return
    checked = {key: _checked(value) for key, value in fields.items()}
    logger.log(level, name, extra={"event": name, "fields": checked})


def account_hash(account: str) -> str:
    """An opaque, keyed digest of a sign-in name (an email): the same account gives the same
    12 characters, so repeated failures can be told apart, but the email cannot be read
    back or guessed from a list without the server's secret key."""
    key = settings.SECRET_KEY.encode()
    normalised = account.strip().lower().encode()
    return hmac.new(key, b"ampwork-log:" + normalised, hashlib.sha256).hexdigest()[:12]


# ---------------------------------------------------------------- formatting


def _time(record: logging.LogRecord) -> str:
    moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """time, level, logger, event, request_id, then the event's fields — or, for a line
    another library wrote, its message."""
    out: dict[str, Any] = {
        "time": _time(record),
        "level": record.levelname,
        "logger": record.name,
    }
    name = getattr(record, "event", None)
    if name:
        out["event"] = name
    else:
        out["event"] = "log"
        out["message"] = record.getMessage()
    request_id = current_request_id.get()
    if request_id:
        out["request_id"] = request_id
    if name:
        out.update(getattr(record, "fields", None) or {})
    return out


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        data = _fields(record)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exception"] = record.exc_text
        return scrub(json.dumps(data, ensure_ascii=False, default=str))


def _plain(value: Any) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or re.search(r"[\s\"=]", text) else text


class KeyValueFormatter(logging.Formatter):
    """``2026-12-01T09:00:00.000Z INFO ampwork.request request method=GET …`` for a console."""

    def format(self, record: logging.LogRecord) -> str:
        data = _fields(record)
        head = f"{data.pop('time')} {data.pop('level')} {data.pop('logger')} {data.pop('event')}"
        message = data.pop("message", None)
        parts = [head]
        if message is not None:
            parts.append(str(message))
        parts.extend(f"{key}={_plain(value)}" for key, value in data.items())
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return scrub(line)


# ---------------------------------------------------------------- requests


def _request_id(request: HttpRequest) -> str:
    """The id the trusted proxy sent (only if ``AMPWORK_REQUEST_ID_HEADER`` names its
    header and the value is a plain token), else a new one."""
    header = getattr(settings, "REQUEST_ID_HEADER", "")
    if header:
        given = request.headers.get(header, "")
        if _REQUEST_ID.fullmatch(given):
            return given
    return uuid.uuid4().hex


STATIC_ROUTE = "<static>"
# answered often and uneventfully: logged at DEBUG unless they fail
QUIET_ROUTES = frozenset({STATIC_ROUTE, "healthz", "readyz", "metrics"})


def _route(request: HttpRequest) -> str:
    """The URL pattern that answered (``pulse/answer/<str:token>/``), never the path: a path
    can hold a one-time link or an id."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.route) or "/"
    if request.path.startswith(str(settings.STATIC_URL)):
        return STATIC_ROUTE
    return "<unmatched>"


class RequestLogMiddleware:
    """First in ``MIDDLEWARE``: gives each request an id (``X-Request-ID`` on the answer,
    and ``request_id`` on every line logged while it runs) and logs one ``request`` event
    when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            route = _route(request)
            fields: dict[str, Any] = {}
            actor = getattr(request, "actor", None)
            if actor is not None and not _ANONYMOUS_ROUTE.match(route):
                fields["org_id"] = actor.organisation.pk
                fields["person_id"] = actor.person.pk if actor.person is not None else None
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            if route in QUIET_ROUTES and response.status_code < 400:
                level = logging.DEBUG  # stylesheets, scripts, health checks: not a line each
            event(
                request_log,
                "request",
                level=level,
                method=request.method if request.method in _METHODS else "OTHER",
                route=route,
                status=response.status_code,
                duration_ms=round((time.perf_counter() - start) * 1000, 1),
                **fields,
            )
            return response
        finally:
            current_request_id.reset(token)


# ---------------------------------------------------------------- background work and imports


_LEVELS = {"ok": logging.INFO, "partial": logging.WARNING, "refused": logging.WARNING}


@contextmanager
def work(command: str, action: str = "", **fields: Any) -> Iterator[dict[str, Any]]:
    """Log ``command.started`` and ``command.finished`` around a piece of background work (a
    cron command, a backup, a restore): its duration, the counts the caller put in the
    yielded dict, and ``result`` — ``ok``, ``partial`` (a count ``failed`` above 0),
    ``refused`` (bad input: ``ValidationFailed``) or ``failed`` (any other exception)."""
    names = {"command": command, **({"action": action} if action else {}), **fields}
    event(log.getChild("command"), "command.started", **names)
    counts: dict[str, Any] = {}
    start = time.perf_counter()
    result = "failed"
    try:
        yield counts
        result = "partial" if counts.get("failed") else "ok"
    except ValidationFailed:
        result = "refused"
        raise
    finally:
        event(
            log.getChild("command"),
            "command.finished",
            level=_LEVELS.get(result, logging.ERROR),
            **names,
            result=result,
            duration_ms=round((time.perf_counter() - start) * 1000, 1),
            **counts,
        )


F = TypeVar("F", bound=Callable[..., int])


def logged_import(kind: str | None = None) -> Callable[[F], F]:
    """Log ``import.finished`` for an importer ``(*, actor, text, source, …) -> rows``: its
    kind (given, or the importer's ``kind`` argument), organisation, rows written and
    result (``ok``, ``refused`` with the error count, ``not_allowed`` or ``failed``). The
    file's name is never logged: people name files after people."""

    def decorate(importer: F) -> F:
        @wraps(importer)
        def logged(*args: Any, **kwargs: Any) -> int:
            actor = kwargs.get("actor")
            org = getattr(actor, "organisation", None)
            fields: dict[str, Any] = {
                "kind": kind or str(kwargs.get("kind", "")),
                "org_id": getattr(org, "pk", None),
            }
            start = time.perf_counter()
            rows, result, level, errors = 0, "failed", logging.ERROR, None
            try:
                rows = importer(*args, **kwargs)
                result, level = "ok", logging.INFO
                return rows
            except ValidationFailed as exc:
                result, level, errors = "refused", logging.INFO, len(exc.errors)
                raise
            except NotAllowed:
                result, level = "not_allowed", logging.WARNING
                raise
            finally:
                if errors is not None:
                    fields["errors"] = errors
                event(
                    log.getChild("imports"),
                    "import.finished",
                    level=level,
                    **fields,
                    rows=rows,
                    result=result,
                    duration_ms=round((time.perf_counter() - start) * 1000, 1),
                )

        return logged  # type: ignore[return-value]

    return decorate
