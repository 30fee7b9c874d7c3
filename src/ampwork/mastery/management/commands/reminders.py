from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core.cli import TranslatedCommand, day_option, gettext_lazy, organisations, queued_note
from ampwork.logs import work
from ampwork.mastery import services


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Weekly emails: 'reminders send [--org SLUG] [--date YYYY-MM-DD] [--dry-run]' — "
        "everyone whose review of this week is not written yet gets one reminder, and each "
        "manager (teacher) a digest of their people's reviews and flags. Run it once a week "
        "(say, Friday afternoon) from cron; running it twice sends nothing new. The "
        "background worker (ampwork worker) sends them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help=gettext_lazy("send this week's reminders and digests"))
        send.add_argument("--org", default="", help=gettext_lazy("one organisation (default: all)"))
        send.add_argument(
            "--date", default="", help=gettext_lazy("a day of the week to remind about")
        )
        send.add_argument("--dry-run", action="store_true", help=gettext_lazy("list, send nothing"))

    def handle(self, *args: Any, **options: Any) -> None:
        day = day_option(options["date"])
        orgs = organisations(options["org"])
        action = "dry-run" if options["dry_run"] else "send"
        with work("reminders", action, organisations=len(orgs)) as counts:
            counts.update(sent=0)
            for org in orgs:
                sent = services.send_reminders(org=org, today=day, dry_run=options["dry_run"])
                counts["sent"] += len(sent.reminders) + len(sent.digests)
                values = {
                    "org": org.slug,
                    "reminders": ngettext(
                        "%(count)d review reminder",
                        "%(count)d review reminders",
                        len(sent.reminders),
                    )
                    % {"count": len(sent.reminders)},
                    "digests": ngettext("%(count)d digest", "%(count)d digests", len(sent.digests))
                    % {"count": len(sent.digests)},
                }
                if options["dry_run"]:
                    line = _("%(org)s: would send %(reminders)s and %(digests)s") % values
                else:
                    line = _("%(org)s: queued %(reminders)s and %(digests)s") % values
                self.stdout.write(line)
                if options["dry_run"] or options["verbosity"] > 1:
                    for email in sent.reminders:
                        self.stdout.write("  " + _("reminder → %(email)s") % {"email": email})
                    for email in sent.digests:
                        self.stdout.write("  " + _("digest → %(email)s") % {"email": email})
        if not options["dry_run"]:
            self.stdout.write(queued_note())
