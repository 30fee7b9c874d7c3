from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ampwork.advisor import services
from ampwork.core import mail
from ampwork.core.cli import organisations
from ampwork.logs import work


class Command(BaseCommand):
    help = (
        "The weekly digest: 'digest send [--org SLUG] [--dry-run]' — one email per manager "
        "and admin with their dashboard's numbers, what changed since last week and the "
        "findings they can see. Once a week each: a second run sends nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="send this week's digests")
        send.add_argument("--org", default="", help="one organisation (default: all)")
        send.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = organisations(options["org"])
        verb = "would send" if options["dry_run"] else "sent"
        action = "dry-run" if options["dry_run"] else "send"
        failed = 0
        with work("digest", action, organisations=len(orgs)) as counts:
            counts.update(sent=0, failed=0)
            for org in orgs:
                try:
                    sent = services.send_digests(org=org, dry_run=options["dry_run"])
                except mail.NotDelivered as exc:
                    sent, failed = exc.sent, failed + exc.failed
                counts["sent"] += len(sent)
                counts["failed"] = failed
                self.stdout.write(
                    f"{org.slug}: {verb} {len(sent)} digest{'' if len(sent) == 1 else 's'}"
                )
                if options["dry_run"] or options["verbosity"] > 1:
                    for email in sent:
                        self.stdout.write(f"  → {email}")
        if failed:
            raise CommandError(str(mail.NotDelivered(failed, None)))
