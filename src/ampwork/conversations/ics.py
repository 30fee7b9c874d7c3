"""A calendar invitation (RFC 5545) for the next 1:1: one all-day event. Pure: no Django.

Written by hand rather than with a library: one event of five properties. Text values are
escaped (backslash, semicolon, comma, new line) and every line is folded at 75 octets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Invitation:
    uid: str  # stable for one meeting, so a calendar updates the event rather than adding one
    day: dt.date
    summary: str
    description: str
    stamp: dt.datetime  # when the file was made, in UTC


def escape(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon and comma escaped, line
    breaks as ``\\n``; other control characters dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(ch for ch in text if ch == "\t" or (ord(ch) >= 32 and ord(ch) != 127))


def fold(line: str) -> str:
    """Lines longer than 75 octets folded (RFC 5545, 3.1): CRLF and one space, never
    inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def calendar_file(invitation: Invitation) -> str:
    """The .ics text of one invitation, lines ended by CRLF."""
    start = invitation.day
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ampwork//one-on-ones//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape(invitation.uid)}",
        f"DTSTAMP:{invitation.stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(invitation.summary)}",
        f"DESCRIPTION:{escape(invitation.description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
