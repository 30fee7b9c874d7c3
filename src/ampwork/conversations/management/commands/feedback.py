"""``ampwork feedback requests [--org SLUG] [--format json]``: the 360 and upward feedback
requests with their kind, status and progress, as the web shows them — never an answer."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.conversations import feedback_selectors
from ampwork.core.cli import TranslatedCommand, gettext_lazy, machine_readable, organisation


def _status(row: feedback_selectors.RequestRow) -> str:
    return "closed" if row.closed else row.request.status


class Command(TranslatedCommand):
    help = gettext_lazy(
        "360 and upward feedback: 'feedback requests [--org SLUG] [--format json]' — each "
        "request with its kind, status and progress (never an answer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("requests", help=gettext_lazy("list the feedback requests"))
        show.add_argument("--org", default="")
        show.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organisation(options["org"])
        # JSON is for machines: its progress texts in English, whatever the language
        with machine_readable(options["format"] == "json"):
            self._requests(org, json_format=options["format"] == "json")

    def _requests(self, org: Any, *, json_format: bool) -> None:
        rows = feedback_selectors.all_requests(org.pk)
        if json_format:
            self.stdout.write(
                json.dumps(
                    {
                        "organisation": org.slug,
                        "requests": [
                            {
                                "id": r.request.pk,
                                "kind": r.request.kind,
                                "status": _status(r),
                                "receiver": r.request.receiver.name,
                                "requested_by": r.request.requested_by.name,
                                "due": r.request.due.isoformat(),
                                "asked": r.asked,
                                "answered": r.answered,
                                "progress": r.progress,
                            }
                            for r in rows
                        ],
                    },
                    indent=1,
                    ensure_ascii=False,
                )
            )
            return
        if not rows:
            self.stdout.write(_("%(org)s: no feedback requests.") % {"org": org.slug})
            return
        self.stdout.write(
            ngettext(
                "%(org)s: %(count)d feedback request(s)",
                "%(org)s: %(count)d feedback request(s)",
                len(rows),
            )
            % {"org": org.slug, "count": len(rows)}
        )
        for r in rows:
            q = r.request
            self.stdout.write(
                _("%(kind)s for %(name)s (%(status)s, due %(date)s): %(progress)s")
                % {
                    "kind": q.get_kind_display(),
                    "name": q.receiver.name,
                    "status": _status(r),
                    "date": f"{q.due:%Y-%m-%d}",
                    "progress": r.progress,
                }
            )
