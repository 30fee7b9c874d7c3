"""What a chat message says: Slack blocks (Block Kit) and Teams Adaptive Cards (1.4, as
Teams Workflows posts them). Plain text goes through as text: Slack's ``mrkdwn`` is not
used for anything a person wrote, so a name or a thank-you cannot format or mention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

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
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


# ---------------------------------------------------------------- Slack


def slack_note(org: Organisation, note: Any) -> tuple[str, list[dict[str, Any]]]:
    """A notification as a direct message: its title, a button to its page; a due
    check-in also gets "Check in now" (the 30-second form, here in Slack)."""
    buttons = []
    if note.kind == "checkin_due":
        buttons.append(_button("Check in now", action=CHECK_IN_ACTION))
    buttons.append(_button("Open in ampwork", url=link(org, note.url)))
    return note.title, [_plain(note.title), {"type": "actions", "elements": buttons}]


def slack_checked_in(org: Organisation, titles: list[str]) -> tuple[str, list[dict[str, Any]]]:
    n = len(titles)
    text = f"Checked in on {n} key result{'' if n == 1 else 's'}: " + "; ".join(titles)
    return text, [
        _plain(text),
        {
            "type": "actions",
            "elements": [_button("See them in ampwork", url=link(org, "/okrs/check-in/"))],
        },
    ]


def slack_recognition(
    org: Organisation, author: Person, people: list[Person], body: str
) -> tuple[str, list[dict[str, Any]]]:
    text = f"{author.name} recognised {_names(people)}: “{body}”"
    return text, [
        _plain(text),
        {
            "type": "actions",
            "elements": [_button("Recognition in ampwork", url=link(org, "/mastery/recognition/"))],
        },
    ]


def _week_word(org: Organisation) -> str:
    return "reflections" if org.is_school else "reviews"


def slack_reminder(org: Organisation, week: dt.date) -> tuple[str, list[dict[str, Any]]]:
    text = (
        f"Weekly {_week_word(org)} for the week of {week:%-d %B} are due: a small win, what "
        "got in the way, next steps, and a check-in. /checkin does the check-in here."
    )
    return text, [
        _plain(text),
        {
            "type": "actions",
            "elements": [
                _button("Check in now", action=CHECK_IN_ACTION),
                _button("Write yours", url=link(org, "/mastery/review/")),
            ],
        },
    ]


def _digest_lines(data: dict[str, Any]) -> list[str]:
    lines = []
    for row in data.get("people", []):
        line = f"• {row.get('name', '')}: {row.get('state', '')}"
        flags = [str(f) for f in row.get("flags", [])]
        if flags:
            line += " (" + "; ".join(flags) + ")"
        lines.append(line)
    return lines


def _digest_title(org: Organisation, data: dict[str, Any]) -> str:
    week = dt.date.fromisoformat(str(data.get("week", ""))[:10])
    return (
        f"Your team's week of {week:%-d %B}: {int(data.get('written', 0))} of "
        f"{int(data.get('total', 0))} {_week_word(org)} written"
    )


def slack_digest(org: Organisation, data: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    title = _digest_title(org, data)
    return title, [
        _plain(title),
        _plain("\n".join(_digest_lines(data)) or "Nobody to show this week."),
        {
            "type": "actions",
            "elements": [_button("Your team in ampwork", url=link(org, "/mastery/"))],
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
    actions = [("Open in ampwork", link(org, note.url))]
    return adaptive([_text(note.title, weight="Bolder")], actions)


def teams_recognition(
    org: Organisation, author: Person, people: list[Person], body: str
) -> dict[str, Any]:
    return adaptive(
        [
            _text(f"{author.name} recognised {_names(people)}", weight="Bolder"),
            _text(f"“{body}”"),
        ],
        [("Recognition in ampwork", link(org, "/mastery/recognition/"))],
    )


def teams_reminder(org: Organisation, week: dt.date) -> dict[str, Any]:
    return adaptive(
        [
            _text(f"Weekly {_week_word(org)} for the week of {week:%-d %B}", weight="Bolder"),
            _text("A small win, what got in the way, next steps, and a check-in."),
        ],
        [
            ("Write yours", link(org, "/mastery/review/")),
            ("Check in", link(org, "/okrs/check-in/")),
        ],
    )


def teams_digest(org: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    body = [_text(_digest_title(org, data), weight="Bolder")]
    body += [_text(line, spacing="None") for line in _digest_lines(data)]
    return adaptive(body, [("Your team in ampwork", link(org, "/mastery/"))])
