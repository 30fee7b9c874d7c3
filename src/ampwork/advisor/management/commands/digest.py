from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import ngettext

from ampwork.advisor import services
from ampwork.core.cli import TranslatedCommand, gettext_lazy, organisations, queued_note
from ampwork.logs import work


class Command(TranslatedCommand):
    help = gettext_lazy(
        "The weekly digest: 'digest send [--org SLUG] [--dry-run]' — one email per manager "
        "and admin with their dashboard's numbers, what changed since last week and the "
        "findings they can see. Once a week each: a second run sends nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help=gettext_lazy("send this week's digests"))
        send.add_argument("--org", default="", help=gettext_lazy("one organisation (default: all)"))
        send.add_argument("--dry-run", action="store_true", help=gettext_lazy("list, send nothing"))

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = organisations(options["org"])
        action = "dry-run" if options["dry_run"] else "send"
        with work("digest", action, organisations=len(orgs)) as counts:
            counts.update(sent=0)
            for org in orgs:
                sent = services.send_digests(org=org, dry_run=options["dry_run"])
                counts["sent"] += len(sent)
                said = (
                    ngettext(
                        "%(org)s: would send %(n)d digest",
                        "%(org)s: would send %(n)d digests",
                        len(sent),
                    )
                    if options["dry_run"]
                    else ngettext(
                        "%(org)s: queued %(n)d digest", "%(org)s: queued %(n)d digests", len(sent)
                    )
                )
                self.stdout.write(said % {"org": org.slug, "n": len(sent)})
                if options["dry_run"] or options["verbosity"] > 1:
                    for email in sent:
                        self.stdout.write(f"  → {email}")
        if not options["dry_run"]:
            self.stdout.write(queued_note())
