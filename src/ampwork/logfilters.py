"""Logging filters: one-time pulse links never reach a log line.

Django logs every 4xx and 5xx response with its path (``django.request``), and the
development server logs every request line (``django.server``); a pulse link's path is
the secret itself. The filter cuts the token out of the message before any handler
writes it."""

from __future__ import annotations

import logging
import re

_LINK = re.compile(r"(/pulse/answer/)[^/\s\"'?#]+")


def hide_links(text: str) -> str:
    return _LINK.sub(r"\1…", text)


class HidePulseLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/pulse/answer/" in message:
            record.msg, record.args = hide_links(message), ()
        return True
