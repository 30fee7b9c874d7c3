"""CSV for people to open in spreadsheets, safe from formula injection.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
some also after a tab or carriage return), so a name like ``=HYPERLINK(…)`` typed into
ampwork could act when an admin opens an export. As the OWASP "CSV Injection" page
recommends, such cells are written with a single quote in front (``'=HYPERLINK(…)``),
which spreadsheets show as text; the csv module quotes separators and double quotes.
Plain numbers (``-5``, ``+1.5``, ``-2e3``) cannot be formulas and are written as they are.

Every CSV export writes through :func:`writer`; imports read cells back with
:func:`unescape`, so an exported file imports to the same values.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape(value: Any) -> Any:
    """The cell as it may be written: text that a spreadsheet would run gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    # quotes already in front ('=…) get one more, so that unescape() gives them back
    if text.lstrip("'").startswith(TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def unescape(text: str) -> str:
    """A cell read from a file: undo :func:`escape` (a ' before a formula character)."""
    if text.startswith("'") and text.lstrip("'").startswith(TRIGGERS):
        return text[1:]
    return text


class Writer:
    """``csv.writer`` whose every cell goes through :func:`escape`."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([escape(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: IO[str], **options: Any) -> Writer:
    return Writer(out, **options)


def text(rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer(out).writerows(rows)
    return out.getvalue()


def response(filename: str, rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV download of ``rows``."""
    reply = HttpResponse(text(rows), content_type="text/csv")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
