"""Summaries of a whole organisation, computed once when their data changes.

Pages that summarise everyone — the fairness overview, the admin's and a lead's home, the
advisor, a pulse round's results — would otherwise evaluate the whole organisation on
every request (seconds at 10,000 people). Instead each keeps its result in the cache
(Django's ``default`` cache) together with the *data versions* it was computed from, and
computes again only when one of those versions has moved.

**Data versions.** Every statement that writes to one of ampwork's tables — ``INSERT``,
``UPDATE`` or ``DELETE``, through the ORM, in bulk or as raw SQL — is seen by a database
execute-wrapper (installed on every connection), which adds one row to
:class:`~ampwork.core.models.DataChange` for the app that owns the table, in the same
transaction. An app's version is the number of its rows and the latest one's id, so it
moves exactly when that app's data does, becomes visible when the write commits, and goes
back if the write is rolled back (a summary is never computed inside a write that is then
rolled back: pages that summarise only read). Nothing has to remember to invalidate
anything; a per-process cache stays correct because the versions live in the shared
database. Tables whose writes no summary reads (the audit log, sign-in bookkeeping,
sessions, API tokens' last use) are not tracked, so opening a page that logs its own
view does not invalidate it.

**Freshness.** A summary whose data has not changed is exact. A summary that took at least
``SLOW`` to compute (a large organisation) is reused for up to ``MAX_AGE`` after its data
changed, so a steady stream of check-ins does not make every visit pay for a recomputation;
such a page says "as of" when (``Fresh.stale``). Never when people or teams changed (who
may see what), never inside another summary's computation, and never to the person who
made the change: after a web form of theirs changed something (:class:`WroteMiddleware`
remembers when, in their session), their next pages compute afresh. Dates that a summary
depends on (today) belong in its key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from .perf import gc_paused
from .permissions import Actor

T = TypeVar("T")

#: the apps whose writes are versioned (their labels: ``surveys`` is the pulse app)
APPS = ("core", "okrs", "surveys", "fairness", "mastery", "autonomy", "purpose", "advisor")
#: every app above: for summaries that read from all of them
EVERYTHING = APPS
#: written on reads or sign-ins, and read by no summary
UNTRACKED = frozenset({"core_auditevent", "core_user", "core_apitoken", "core_datachange"})
SLOW = dt.timedelta(seconds=1)
MAX_AGE = dt.timedelta(minutes=2)
TIMEOUT = 24 * 3600  # seconds an unused summary stays in the cache
PRUNE_EVERY = 1000

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_tables: dict[str, str] | None = None


def _app_of(table: str) -> str | None:
    global _tables
    if _tables is None:
        _tables = {
            m._meta.db_table: m._meta.app_label
            for m in django_apps.get_models(include_auto_created=True)
            if m._meta.app_label in APPS
        }
    if table in UNTRACKED:
        return None
    return _tables.get(table)


def written_app(sql: str) -> str | None:
    """The tracked app whose table ``sql`` writes to, or None (a read, or untracked)."""
    match = _WRITE.match(sql)
    return _app_of(match.group(1)) if match else None


def _ready(connection: BaseDatabaseWrapper) -> bool:
    """Whether the DataChange table exists on this connection (not during early migrations)."""
    if getattr(connection, "_ampwork_changes", False):
        return True
    with connection.cursor() as cursor:
        present = "core_datachange" in connection.introspection.table_names(cursor)
    # only a table found is remembered: another process may migrate while this one runs
    connection._ampwork_changes = present  # type: ignore[attr-defined]
    return present


def note_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """The execute-wrapper: run the statement, then record a change of its app in the same
    transaction — on PostgreSQL one of its own around both when the statement would commit
    by itself (autocommit), so that the change and its record commit together."""
    app = written_app(sql)
    connection = context["connection"]
    if app is None or not _ready(connection):
        return execute(sql, params, many, context)
    alone = connection.get_autocommit()
    if alone and connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            result = execute(sql, params, many, context)
            _record(connection, app, prune=True)
        return result
    # SQLite cannot commit while another statement of the connection is still being read
    # (a write inside a loop over a query), and writes one at a time: there the record
    # follows its statement at once, by itself
    result = execute(sql, params, many, context)
    _record(connection, app, prune=alone)
    return result


def _record(connection: BaseDatabaseWrapper, app: str, *, prune: bool) -> None:
    """One row for the app's new version; and one time in ``PRUNE_EVERY``, in a short
    transaction of the wrapper's own (never inside a long import: the rows it deletes stay
    locked until commit), forget the changes that are no longer any app's latest."""
    # a cursor of its own: the statement's cursor still holds its result (RETURNING)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_datachange (app) VALUES (%s)", [app])
        if prune and secrets.randbelow(PRUNE_EVERY) == 0:
            cursor.execute(PRUNE)


PRUNE = (
    "DELETE FROM core_datachange WHERE id NOT IN (SELECT MAX(id) FROM core_datachange GROUP BY app)"
)


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: watch this connection's writes."""
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(note_writes)


def migrated(**kwargs: Any) -> None:
    """``post_migrate`` receiver: read the models' tables again."""
    global _tables
    _tables = None


Version = tuple[tuple[str, int, int], ...]


def versions(depends: Iterable[str]) -> Version:
    """The data version of each app in ``depends`` — how many changes it has and its latest
    change's id — in one query. The count matters on PostgreSQL, where a transaction can
    commit a lower id after a higher one: the latest id alone would not move."""
    from django.db.models import Count, Max

    from .models import DataChange

    wanted = sorted(set(depends))
    rows = {
        app: (n, m)
        for app, n, m in DataChange.objects.filter(app__in=wanted)
        .values("app")
        .annotate(n=Count("id"), m=Max("id"))
        .values_list("app", "n", "m")
    }
    return tuple((app, *rows.get(app, (0, 0))) for app in wanted)


@dataclass(frozen=True)
class Fresh(Generic[T]):
    """A summary and when it was computed; ``stale`` when its data has changed since (only
    for slow summaries, for at most ``MAX_AGE``)."""

    value: T
    computed_at: dt.datetime
    stale: bool = False


def reader_key(actor: Actor, today: dt.date) -> tuple[Any, ...]:
    """The key of a summary that depends on who reads it: organisation, person, role, day,
    and whether the two-factor policy holds them back (a summary never crosses the two)."""
    person = actor.person.pk if actor.person is not None else None
    return (actor.organisation.pk, person, actor.role, actor.two_factor_ok, today)


def cache_key(name: str, key: Iterable[Any]) -> str:
    # a summary may hold text written for people (findings, labels): one per language
    language = translation.get_language()
    digest = hashlib.sha256(repr((name, language, *key)).encode()).hexdigest()[:32]
    return f"ampwork:summary:{name}:{digest}"


def summary(
    name: str, key: Iterable[Any], depends: Iterable[str], compute: Callable[[], T]
) -> Fresh[T]:
    """``compute()`` once for these data versions (see the module's docstring). ``key``
    holds everything else the value depends on: the organisation, the reader when the
    value depends on who reads it, today's date.

    A slow summary may be served late (``Fresh.stale``), but never when people or teams
    changed (``core``: who leads or manages whom, who may see what — a lead removed from a
    team must not go on seeing it), never inside another summary's computation (the outer
    one would store the late value as exact), and never to the person who made the change.
    """
    current = versions(depends)
    where = cache_key(name, key)
    entry = cache.get(where)
    now = timezone.now()
    if entry is not None:
        seen, computed_at, took, value = entry
        if seen == current:
            return Fresh(value, computed_at)
        if (
            took >= SLOW.total_seconds()
            and now - computed_at < MAX_AGE
            and _same_people(seen, current)
            and not _computing.get()
            and not _wrote_since(computed_at)
        ):
            return Fresh(value, computed_at, stale=True)
    started = time.perf_counter()
    token = _computing.set(True)
    try:
        with gc_paused():  # a summary builds an object per person or objective: see perf
            value = compute()
    finally:
        _computing.reset(token)
    took = time.perf_counter() - started
    cache.set(where, (current, now, took, value), TIMEOUT)
    return Fresh(value, now)


_computing: ContextVar[bool] = ContextVar("ampwork_computing", default=False)


def _same_people(seen: Version, current: Version) -> bool:
    """Whether people and teams (the ``core`` app) are as they were, if the summary reads
    them."""
    return [v for v in seen if v[0] == "core"] == [v for v in current if v[0] == "core"]


# ---------------------------------------------------------------- the reader's own writes

WROTE = "ampwork_wrote_at"
_request: ContextVar[HttpRequest | None] = ContextVar("ampwork_request", default=None)


def _wrote_since(computed_at: dt.datetime) -> bool:
    """Whether the person reading changed something after ``computed_at`` (their session,
    read only here: pages that need no summary never touch it)."""
    request = _request.get()
    session = getattr(request, "session", None)
    wrote = session.get(WROTE) if session is not None else None
    return wrote is not None and wrote >= computed_at.timestamp()


class WroteMiddleware:
    """Remembers in the session when this person last changed something through a web
    form (a successful POST), so that the summaries they see next are never older than
    their own change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if (
            session is not None
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and response.status_code < 400
            and request.user.is_authenticated
        ):
            session[WROTE] = time.time()
        return response
