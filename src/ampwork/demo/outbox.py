"""The demo's outbox: mail kept as files and shown on an admin page, never printed.

``ampwork demo`` sends mail through :class:`OutboxBackend`: each message becomes one
``.eml`` file in the outbox folder (``outbox`` in the data directory), and the terminal gets
one line per batch — how many emails, their subject and where to read them::

    ampwork: 59 emails “AMP Pulse December 2026: two minutes, anonymous” → outbox: http://127.0.0.1:8000/demo/outbox/

A batch is what one connection sent, from opening to closing (a pulse's invitations are
one ``send_mass_mail``; the weekly mail is sent one by one over one open connection). The
outbox page (``demo.views.outbox``) reads the folder back with :func:`letters`.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

BACKEND = "ampwork.demo.outbox.OutboxBackend"


def folder() -> Path | None:
    """The outbox folder while the demo's outbox backend sends the mail, else None."""
    where = getattr(settings, "DEMO_OUTBOX_DIR", None)
    if settings.EMAIL_BACKEND != BACKEND or not where:
        return None
    return Path(where)


def default_folder() -> Path:
    """Where the demo keeps its outbox: ``outbox`` in the data directory."""
    return Path(settings.DATA_DIR) / "outbox"


def page_url(base: str | None = None) -> str:
    """The outbox page at ``base``, by default the address the demo serves (``BASE_URL``)."""
    return f"{base or settings.BASE_URL}{reverse('demo:outbox')}"


def batch_line(subjects: Sequence[str], url: str) -> str:
    """The one line a batch of emails gets on the terminal: never an address or a body."""
    count = len(subjects)
    distinct = list(dict.fromkeys(subjects))
    what = f"“{distinct[0]}”" if distinct else ""
    if len(distinct) > 1:
        others = len(distinct) - 1
        what = ngettext(
            "%(first)s and %(count)d other subject",
            "%(first)s and %(count)d other subjects",
            others,
        ) % {"first": what, "count": others}
    emails = ngettext("%(count)d email", "%(count)d emails", count) % {"count": count}
    return _("ampwork: %(emails)s %(what)s → outbox: %(url)s") % {
        "emails": emails,
        "what": what,
        "url": url,
    }


class OutboxBackend(BaseEmailBackend):
    """Writes each message to ``<outbox>/<time>-<id>.eml``; one terminal line per batch."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        where = getattr(settings, "DEMO_OUTBOX_DIR", None) or default_folder()
        self.folder = Path(where)
        self._opened = False
        self._subjects: list[str] = []
        self._lock = threading.Lock()

    def open(self) -> bool:
        if self._opened:
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        self._opened = True
        return True

    def close(self) -> None:
        self._opened = False
        self._notice()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        sent = 0
        with self._lock:
            opened_here = self.open()
            try:
                for message in email_messages:
                    self._write(message)
                    self._subjects.append(str(message.subject))
                    sent += 1
            except OSError:
                if not self.fail_silently:
                    raise
            finally:
                if opened_here:
                    self.close()
        return sent

    def _write(self, message: EmailMessage) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        path.write_bytes(message.message().as_bytes())

    def _notice(self) -> None:
        subjects, self._subjects = self._subjects, []
        if subjects:
            sys.stderr.write(batch_line(subjects, page_url()) + "\n")
            sys.stderr.flush()


@dataclass(frozen=True)
class Letter:
    """One message of the outbox, as the page shows it."""

    key: str
    sent: dt.datetime | None
    sender: str
    to: list[str]
    subject: str
    body: str


def read(path: Path) -> Letter:
    with path.open("rb") as handle:
        parsed = BytesParser(policy=policy.default).parse(handle)
    assert isinstance(parsed, ParsedMessage)
    part = parsed.get_body(preferencelist=("plain",))
    body = part.get_content() if isinstance(part, ParsedMessage) else ""
    try:
        sent = parsedate_to_datetime(str(parsed["Date"])) if parsed["Date"] else None
    except (TypeError, ValueError):
        sent = None
    return Letter(
        key=path.stem,
        sent=sent,
        sender=str(parsed["From"] or ""),
        to=[address for _, address in getaddresses([str(v) for v in parsed.get_all("To", [])])],
        subject=str(parsed["Subject"] or ""),
        body=str(body),
    )


def letters(where: Path, *, to: Iterable[str] | None = None) -> list[Letter]:
    """The outbox's messages, newest first; with ``to``, only those addressed to one of
    these addresses (an organisation's people: each admin sees their own organisation's)."""
    if not where.is_dir():
        return []
    wanted = None if to is None else {address.lower() for address in to}
    found = []
    for path in sorted(where.glob("*.eml"), reverse=True):
        letter = read(path)
        if wanted is None or any(address.lower() in wanted for address in letter.to):
            found.append(letter)
    return found
