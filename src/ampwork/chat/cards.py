"""What a chat message says: Slack blocks (Block Kit) and Teams Adaptive Cards (1.4, as
Teams Workflows posts them). Plain text goes through as text: Slack's ``mrkdwn`` is not
used for anything a person wrote, so a name or a thank-you cannot format or mention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core import l10n
from ampwork.core.l10n import list_separator
from ampwork.core.models import Organisation, Person

CHECK_IN_ACTION = "open_checkin"


def link(org: Organisation, path: str) -> str:
    sep = "&" if "?" in path else "?"
    return f"{settings.BASE_URL}{path}{sep}org={org.slug}"


def fallback(text: str) -> str:
    """A message's ``text`` (what notifications and screen readers show) with the three
    characters Slack reads as markup escaped, as its docs ask: no mention, no link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "plain_text", "text": text[:3000]}}


def _button(text: str, url: str | None = None, action: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": text}}
    if url is not None:
        button["url"] = url
        button["action_id"] = "open_link"  # Slack answers its click; nothing to do
    if action is not None:
        button["action_id"] = action
        button["style"] = "primary"
    return button


def _names(people: list[Person]) -> str:
    names = [p.name for p in people]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return _("%(first)s and %(last)s") % {"first": names[0], "last": names[1]}
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


# ---------------------------------------------------------------- Slack


def slack_note(org: Organisation, note: Any) -> tuple[str, list[dict[str, Any]]]:
    """A notification as a direct message: its title, a button to its page; a due
    check-in also gets "Check in now" (the 30-second form, here in Slack)."""
    buttons = []
    if note.kind == "checkin_due":
        buttons.append(_button(_("Check in now"), action=CHECK_IN_ACTION))
    buttons.append(_button(_("Open in ampwork"), url=link(org, note.url)))
    title = str(note.title)
    return title, [_plain(title), {"type": "actions", "elements": buttons}]


def slack_checked_in(org: Organisation, titles: list[str]) -> tuple[str, list[dict[str, Any]]]:
    n = len(titles)
    text = ngettext(
        "Checked in on %(count)d key result: %(titles)s",
        "Checked in on %(count)d key results: %(titles)s",
        n,
    ) % {"count": n, "titles": list_separator().join(titles)}
    return text, [
        _plain(text),
        {
            "type": "actions",
            "elements": [_button(_("See them in ampwork"), url=link(org, "/okrs/check-in/"))],
        },
    ]


def slack_recognition(
    org: Organisation, author: Person, people: list[Person], body: str
) -> tuple[str, list[dict[str, Any]]]:
    text = _("%(author)s recognised %(names)s: “%(body)s”") % {
        "author": author.name,
        "names": _names(people),
        "body": body,
    }
    return text, [
        _plain(text),
        {
            "type": "actions",
            "elements": [
                _button(_("Recognition in ampwork"), url=link(org, "/mastery/recognition/"))
            ],
        },
    ]


def _day(week: dt.date) -> str:
    return l10n.format_day(week, "day_month_long")


def slack_reminder(org: Organisation, week: dt.date) -> tuple[str, list[dict[str, Any]]]:
    if org.is_school:
        text = _(
            "Weekly reflections for the week of %(date)s are due: a small win, what "
            "got in the way, next steps, and a check-in. /checkin does the check-in here."
        )
    else:
        text = _(
            "Weekly reviews for the week of %(date)s are due: a small win, what "
            "got in the way, next steps, and a check-in. /checkin does the check-in here."
        )
    text = text % {"date": _day(week)}
    return text, [
        _plain(text),
        {
            "type": "actions",
            "elements": [
                _button(_("Check in now"), action=CHECK_IN_ACTION),
                _button(_("Write yours"), url=link(org, "/mastery/review/")),
            ],
        },
    ]


def _digest_lines(data: dict[str, Any]) -> list[str]:
    lines = []
    for row in data.get("people", []):
        line = "• " + l10n.labelled(row.get("name", ""), row.get("state", ""))
        flags = [str(f) for f in row.get("flags", [])]
        if flags:
            line += " (" + l10n.list_separator().join(flags) + ")"
        lines.append(line)
    return lines


def _digest_title(org: Organisation, data: dict[str, Any]) -> str:
    week = dt.date.fromisoformat(str(data.get("week", ""))[:10])
    values = {
        "date": _day(week),
        "written": int(data.get("written", 0)),
        "total": int(data.get("total", 0)),
    }
    if org.is_school:
        return _("Your team's week of %(date)s: %(written)d of %(total)d reflections written") % (
            values
        )
    return _("Your team's week of %(date)s: %(written)d of %(total)d reviews written") % values


def slack_digest(org: Organisation, data: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    title = _digest_title(org, data)
    return title, [
        _plain(title),
        _plain("\n".join(_digest_lines(data)) or _("Nobody to show this week.")),
        {
            "type": "actions",
            "elements": [_button(_("Your team in ampwork"), url=link(org, "/mastery/"))],
        },
    ]


# ---------------------------------------------------------------- Teams


def adaptive(body: list[dict[str, Any]], actions: list[tuple[str, str]]) -> dict[str, Any]:
    """A Workflows webhook message carrying one Adaptive Card."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                    "actions": [
                        {"type": "Action.OpenUrl", "title": title, "url": url}
                        for title, url in actions
                    ],
                },
            }
        ],
    }


def _text(text: str, **style: Any) -> dict[str, Any]:
    """Text as it is: a RichTextBlock's TextRun is never read as Markdown (a TextBlock's
    text is: ``[a link](…)`` in a thank-you would become a link posted by the Flow bot)."""
    run = {"type": "TextRun", "text": text}
    if style.pop("weight", None) == "Bolder":
        run["weight"] = "Bolder"
    return {"type": "RichTextBlock", "inlines": [run], **style}


def teams_note(org: Organisation, note: Any) -> dict[str, Any]:
    actions = [(_("Open in ampwork"), link(org, note.url))]
    return adaptive([_text(str(note.title), weight="Bolder")], actions)


def teams_recognition(
    org: Organisation, author: Person, people: list[Person], body: str
) -> dict[str, Any]:
    return adaptive(
        [
            _text(
                _("%(author)s recognised %(names)s")
                % {"author": author.name, "names": _names(people)},
                weight="Bolder",
            ),
            _text(f"“{body}”"),
        ],
        [(_("Recognition in ampwork"), link(org, "/mastery/recognition/"))],
    )


def teams_reminder(org: Organisation, week: dt.date) -> dict[str, Any]:
    return adaptive(
        [
            _text(
                (
                    _("Weekly reflections for the week of %(date)s")
                    if org.is_school
                    else _("Weekly reviews for the week of %(date)s")
                )
                % {"date": _day(week)},
                weight="Bolder",
            ),
            _text(_("A small win, what got in the way, next steps, and a check-in.")),
        ],
        [
            (_("Write yours"), link(org, "/mastery/review/")),
            (_("Check in"), link(org, "/okrs/check-in/")),
        ],
    )


def teams_digest(org: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    body = [_text(_digest_title(org, data), weight="Bolder")]
    body += [_text(line, spacing="None") for line in _digest_lines(data)]
    return adaptive(body, [(_("Your team in ampwork"), link(org, "/mastery/"))])
