"""Weekly emails that go out once each, without holding the database while the mail server
talks.

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

import logging
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction

from ampwork.logs import event

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Letter:
    """A message and the row (``model`` created with ``fields``) that says it was sent."""

    message: EmailMessage
    model: type[models.Model]
    fields: dict[str, Any]


@dataclass
class Delivery:
    sent: list[Letter] = field(default_factory=list)
    failed: list[Letter] = field(default_factory=list)


class NotDelivered(Exception):
    """Some messages of a batch were not taken by the mail server (the rest were sent and
    recorded). ``sent`` is what the caller would have returned."""

    def __init__(self, failed: int, sent: Any) -> None:
        one = failed == 1
        super().__init__(
            f"{failed} email{'' if one else 's'} could not be sent; "
            f"{'it is' if one else 'they are'} not marked sent, so the next run sends "
            f"{'it' if one else 'them'}"
        )
        self.failed = failed
        self.sent = sent


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
        connection = get_connection()
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
                    once(letter.model, **letter.fields)  # False: another run recorded it too
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
