"""Give the notifications stored before message keys their key and parameters where their
text is one of the known ones, in any language ampwork speaks ("Ann gave you feedback",
"Ann hat dir Feedback gegeben"), so that they too are written in the reader's language.
Notices with a date in their text (a pulse open until…, a weekly review due…) are not
read back — the date is written without its year — and keep their text, as does any text
that matches no pattern (a name cut at 200 characters, a wording of an older release).
Backwards: nothing to undo (the previous release reads ``title`` only)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import translation

# kind → (message key, msgid, or (singular, plural) for a count)
KNOWN: dict[str, list[tuple[str, str | tuple[str, str]]]] = {
    "review_answered": [("review_replied", "%(name)s replied to your weekly review")],
    "feedback_received": [("feedback_given", "%(name)s gave you feedback")],
    "feedback_requested": [("feedback_requested", "%(name)s asks for your feedback")],
    "recognition": [("recognised", "%(name)s recognised you")],
    "autonomy_decided": [
        ("autonomy_granted", "Your autonomy step (%(t)s, level %(level)s) was granted"),
        ("autonomy_deferred", "Your autonomy step (%(t)s, level %(level)s) was deferred"),
    ],
    "manager_finding": [
        ("findings_open", "The advisor has open findings for you"),
        (
            "findings",
            (
                "The advisor has %(count)d open finding for you",
                "The advisor has %(count)d open findings for you",
            ),
        ),
    ],
    "shipit_phase": [
        ("shipit_tomorrow", "%(name)s starts tomorrow"),
        ("shipit_started", "%(name)s has started"),
    ],
}
GROUPS = {"name": r"(?P<name>.+)", "t": r"(?P<t>.*?)", "level": r"(?P<level>\d+)"}
BATCH = 500


def _pattern(text: str) -> re.Pattern[str]:
    escaped = re.escape(text)
    for name, group in GROUPS.items():
        escaped = escaped.replace(re.escape(f"%({name})s"), group)
    escaped = escaped.replace(re.escape("%(count)d"), r"(?P<count>\d+)")
    return re.compile(escaped)


def patterns() -> dict[str, list[tuple[str, re.Pattern[str], set[str]]]]:
    """kind → (key, pattern, the words for "nobody known") in every language."""
    found: dict[str, list[tuple[str, re.Pattern[str], set[str]]]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            nobody = {
                translation.gettext("Someone"),
                translation.gettext("ShipIt day"),
            }
            for kind, entries in KNOWN.items():
                for key, msgid in entries:
                    if isinstance(msgid, tuple):
                        texts = {translation.ngettext(*msgid, n) for n in (1, 2)}
                    else:
                        texts = {translation.gettext(msgid)}
                    found.setdefault(kind, []).extend(
                        (key, _pattern(text), nobody) for text in sorted(texts)
                    )
    return found


def read_back(kind: str, title: str, known: Any) -> tuple[str, dict[str, Any]] | None:
    """The key and parameters that write ``title`` again, or None."""
    for key, pattern, nobody in known.get(kind, []):
        match = pattern.fullmatch(title)
        if match is None:
            continue
        params: dict[str, Any] = {}
        for name, value in match.groupdict().items():
            if name in ("count", "level"):
                params[name] = int(value)
            elif name == "name":
                params[name] = None if value in nobody else value
            else:
                params[name] = value
        return key, params
    return None


def convert(apps: Any, schema_editor: Any = None) -> int:
    """Key the rows that can be read back; how many."""
    notification = apps.get_model("notifications", "Notification")
    known = patterns()
    done = 0
    rows = notification.objects.filter(message="", kind__in=list(KNOWN)).only("kind", "title")
    after = None
    while True:
        # a page read whole before it is written (SQLite cannot write a table safely while
        # a query over it is still being read), the next one after its last id
        page = list((rows if after is None else rows.filter(pk__gt=after)).order_by("pk")[:BATCH])
        if not page:
            return done
        after = page[-1].pk
        batch = []
        for row in page:
            found = read_back(row.kind, row.title, known)
            if found is not None:
                row.message, row.params = found
                batch.append(row)
        if batch:
            notification.objects.bulk_update(batch, ["message", "params"])
            done += len(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_message_key"),
    ]

    operations = [
        migrations.RunPython(convert, migrations.RunPython.noop, elidable=True),
    ]
