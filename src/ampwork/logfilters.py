"""Logging filters: one-time pulse links and email addresses never reach a log line.

Django logs every 4xx and 5xx response with its path (``django.request``), and the
development server logs every request line (``django.server``); a pulse link's path is
the secret itself. django-axes names the account (an email) in its warnings, and a
database error can quote a row. The filter cuts links and addresses out of the message
before any handler writes it; ampwork's formatters (``ampwork.logs``) pass every written
line, tracebacks included, through :func:`scrub` once more."""

from __future__ import annotations

import logging
import re

_LINK = re.compile(r"(/pulse/answer/)[^/\s\"'?#]+")
# Wide on purpose: anything shaped like local@domain.tld goes, quoted or not.
_EMAIL = re.compile(r"[^\s\"'<>(){}\[\],;:=@]+@[^\s\"'<>(){}\[\],;:=@]+\.[A-Za-z]{2,}")


def hide_links(text: str) -> str:
    return _LINK.sub(r"\1…", text)


def hide_emails(text: str) -> str:
    return _EMAIL.sub("<email>", text)


def scrub(text: str) -> str:
    """``text`` without one-time pulse links and email addresses."""
    if "/pulse/answer/" in text:
        text = hide_links(text)
    if "@" in text:
        text = hide_emails(text)
    return text


class HidePulseLinks(logging.Filter):
    """Cut one-time pulse links and email addresses out of a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
