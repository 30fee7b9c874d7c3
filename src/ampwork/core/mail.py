"""Email, sent by the background worker, once each, without holding the database while the
mail server talks.

Nothing is sent inside a web request or a cron command: they :func:`queue` their letters,
one task (:func:`send_letters`) per batch, and the worker (``ampwork worker``,
``core/worker.py``) sends them with :func:`deliver`. The task's arguments are sealed
(AES-GCM, a key derived from the server's secret key): a one-time pulse link or an
invitation never sits readable in the task table. A letter the server refused is tried
again by a new task after a wait that doubles (``core/backoff.py``'s ``MAIL``); a letter
whose "sent" row appears meanwhile (another run sent it) is skipped.

A weekly command decides who gets what with reads (:func:`sent_already` skips whoever has
this week's row), then :func:`deliver` sends each message and, after the mail server has
taken it, writes the row saying so in a short transaction of its own. No transaction is
open while connecting or sending, so a slow mail server never holds SQLite's single write
lock (or a PostgreSQL row lock) and the web pages keep writing meanwhile.

Semantics: **at least once**. A message is marked sent only after the server accepted it:
a message the server refused, or a run that stops on a failure, leaves no row, and the
next run sends it. A crash between the server accepting a message and its row being
written resends that one message on the next run — never more than one per crash. Two
runs started at the same moment could each send to the same people; the unique row
still records it once. A cron job runs one at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django_tasks import task

from ampwork.core import backoff, sealing, worker
from ampwork.logs import event

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Letter:
    """A message and the row (``model`` created with ``fields``) that says it was sent."""

    message: EmailMessage
    model: type[models.Model] | None = None  # None: nothing records it (a one-off notice)
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Delivery:
    sent: list[Letter] = field(default_factory=list)
    failed: list[Letter] = field(default_factory=list)


def sent_already(model: type[models.Model], **key: Any) -> bool:
    """Whether the row saying this was sent exists (``key``: the row's unique fields)."""
    return bool(model._default_manager.filter(**key).exists())


def once(model: type[models.Model], **fields: Any) -> bool:
    """Create the row saying this was sent; False if an equal row exists already."""
    try:
        with transaction.atomic():
            model._default_manager.create(**fields)
    except IntegrityError:
        return False
    return True


CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
NOTICE_BACKEND = "ampwork.mail.NoticeFileBackend"

# What a mail server (or the way to it) raises for one message or the connection.
FAILURES = (smtplib.SMTPException, OSError)


def deliver(
    letters: Sequence[Letter], *, kind: str, org_id: int | None = None, skipped: int = 0
) -> Delivery:
    """Send each letter over one connection and record it once the server has taken it.

    Call with no transaction open. A message the server refuses is logged (its kind and
    the error's class, never the address) and left unrecorded; the others still go.
    ``skipped`` (those sent already this week) only goes into the log line."""
    done = Delivery()
    start = time.perf_counter()
    if letters:
        # never to the console: a one-time link would land in the server's log
        console = settings.EMAIL_BACKEND == CONSOLE_BACKEND
        connection = get_connection(NOTICE_BACKEND if console else None)
        try:
            connection.open()
        except FAILURES as exc:
            done.failed.extend(letters)
            _failed(kind, org_id, exc)
        else:
            try:
                for letter in letters:
                    try:
                        taken = connection.send_messages([letter.message])
                    except FAILURES as exc:
                        taken = 0
                        _failed(kind, org_id, exc)
                    if not taken:
                        done.failed.append(letter)
                        continue
                    if letter.model is not None:  # False: another run recorded it too
                        once(letter.model, **letter.fields)
                    done.sent.append(letter)
            finally:
                connection.close()
    event(
        log,
        "mail.batch",
        level=logging.WARNING if done.failed else logging.INFO,
        kind=kind,
        org_id=org_id,
        sent=len(done.sent),
        failed=len(done.failed),
        skipped=skipped,
        duration_ms=round((time.perf_counter() - start) * 1000, 1),
    )
    return done


def _failed(kind: str, org_id: int | None, exc: BaseException) -> None:
    event(
        log,
        "mail.failed",
        level=logging.WARNING,
        kind=kind,
        org_id=org_id,
        error=type(exc).__name__,
    )


# ---------------------------------------------------------------- through the worker


def queue(
    letters: Sequence[Letter],
    *,
    kind: str,
    org_id: int | None = None,
    skipped: int = 0,
    run_after: dt.datetime | None = None,
) -> int:
    """Hand ``letters`` to the background worker as one task; returns how many. Call it
    where the letters' rows are committed (a transaction's ``on_commit``, or none open).
    ``run_after``: not before then (a person's quiet hours) — where the backend can wait."""
    if letters:
        sender = send_letters
        if run_after is not None and worker.defers():
            sender = send_letters.using(run_after=run_after)
        sender.enqueue(
            sealed=seal([_pack(letter) for letter in letters]),
            kind=kind,
            org_id=org_id,
            skipped=skipped,
            attempt=1,
        )
    event(log, "mail.queued", kind=kind, org_id=org_id, sent=len(letters), skipped=skipped)
    return len(letters)


def queue_on_commit(messages: Sequence[EmailMessage], *, kind: str, org_id: int | None) -> None:
    """Queue plain messages (no "sent" row) once the open transaction commits."""
    letters = [Letter(message) for message in messages]
    if letters:
        transaction.on_commit(lambda: queue(letters, kind=kind, org_id=org_id), robust=True)


# email goes before webhook deliveries (priority 0): a queue of slow receivers never
# holds up pulse links and invitations
MAIL_PRIORITY = 10


@task(priority=MAIL_PRIORITY)
def send_letters(*, sealed: str, kind: str, org_id: int | None, skipped: int, attempt: int) -> int:
    """The worker's half of :func:`queue`: send what is not sent yet; retry the refused."""
    letters = [_unpack(item) for item in unseal(sealed)]
    due = [
        letter
        for letter in letters
        if letter.model is None or not sent_already(letter.model, **_key(letter))
    ]
    done = deliver(due, kind=kind, org_id=org_id, skipped=skipped + len(letters) - len(due))
    if done.failed:
        again = {
            "sealed": seal([_pack(letter) for letter in done.failed]),
            "kind": kind,
            "org_id": org_id,
            "skipped": 0,
        }
        worker.retry(send_letters, backoff.MAIL, attempt, again, kind=kind)
    return len(done.sent)


PURPOSE = "ampwork.mail"  # the key's purpose and the boxes' context (as before sealing.py)


def seal(data: Any) -> str:
    """JSON, sealed (``core.sealing``) for the task table: pulse links, invitations."""
    return sealing.seal(data, purpose=PURPOSE, context=PURPOSE)


def unseal(sealed: str) -> Any:
    return sealing.unseal(sealed, purpose=PURPOSE, context=PURPOSE)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    return value


def _pack(letter: Letter) -> dict[str, Any]:
    m = letter.message
    record = None
    if letter.model is not None:
        names = {f.name: f.attname for f in letter.model._meta.concrete_fields}
        record = {
            "model": letter.model._meta.label,
            "fields": {names.get(k, k): _plain(v) for k, v in letter.fields.items()},
        }
    return {
        "subject": m.subject,
        "body": m.body,
        "from": m.from_email,
        "to": list(m.to),
        "cc": list(m.cc),
        "bcc": list(m.bcc),
        "reply_to": list(m.reply_to),
        "headers": dict(m.extra_headers),
        "record": record,
    }


def _unpack(item: dict[str, Any]) -> Letter:
    message = EmailMessage(
        subject=item["subject"],
        body=item["body"],
        from_email=item["from"],
        to=item["to"],
        cc=item["cc"],
        bcc=item["bcc"],
        reply_to=item["reply_to"],
        headers=item["headers"],
    )
    record = item["record"]
    if record is None:
        return Letter(message)
    return Letter(message, apps.get_model(record["model"]), record["fields"])


def _key(letter: Letter) -> dict[str, Any]:
    """The letter's row's unique fields (what says it was sent), by column name."""
    assert letter.model is not None
    for constraint in letter.model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            columns = {f.name: f.attname for f in letter.model._meta.concrete_fields}
            names = [columns[f] for f in constraint.fields]
            return {name: letter.fields[name] for name in names}
    return letter.fields
