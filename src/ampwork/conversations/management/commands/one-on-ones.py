"""``ampwork one-on-ones list [--org SLUG] [--email E] [--format json]``: the 1:1 series
with their next meeting and how many talking points and action items are open — never a
note, shared or private. ``ampwork one-on-ones remind [--org SLUG] [--date D] [--dry-run]``:
the day-before reminders (run daily from cron)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.conversations import selectors, services
from ampwork.core.cli import (
    TranslatedCommand,
    day_option,
    gettext_lazy,
    organisation,
    organisations,
    queued_note,
)
from ampwork.core.models import Person
from ampwork.logs import work


class Command(TranslatedCommand):
    help = gettext_lazy(
        "1:1s: 'one-on-ones list [--org SLUG] [--email E] [--format json]' — each series "
        "with its next meeting and its open talking points and action items (never a note); "
        "'one-on-ones remind [--org SLUG] [--date YYYY-MM-DD] [--dry-run]' — email both "
        "people of each meeting planned for tomorrow, once (run it daily from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list", help=gettext_lazy("list the 1:1 series"))
        show.add_argument("--org", default="")
        show.add_argument(
            "--email", default="", help=gettext_lazy("Only this person's 1:1s (either side).")
        )
        show.add_argument("--format", choices=["text", "json"], default="text")
        remind = sub.add_parser(
            "remind", help=gettext_lazy("the day-before reminders of tomorrow's 1:1s")
        )
        remind.add_argument(
            "--org", default="", help=gettext_lazy("one organisation (default: all)")
        )
        remind.add_argument(
            "--date", default="", help=gettext_lazy("today, as YYYY-MM-DD (default: today)")
        )
        remind.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("list, send nothing")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            self._remind(options)
            return
        org = organisation(options["org"])
        person_id = None
        if options["email"]:
            person = Person.objects.filter(
                organisation=org, email__iexact=options["email"].strip()
            ).first()
            if person is None:
                raise CommandError(
                    _("--email: nobody with %(email)s in %(org)s")
                    % {"email": options["email"], "org": org.slug}
                )
            person_id = person.pk
        rows = selectors.series_overview(org.pk, person_id)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "organisation": org.slug,
                        "one_on_ones": [
                            {
                                "id": r.series.pk,
                                "kind": r.series.kind,
                                "cadence": r.series.cadence,
                                "person": r.series.person.name,
                                "lead": r.series.lead.name,
                                "next_meeting": r.next_meeting.date.isoformat(),
                                "open_points": r.open_points,
                                "open_actions": r.open_actions,
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
            self.stdout.write(_("%(org)s: no 1:1s.") % {"org": org.slug})
            return
        self.stdout.write(
            _("%(org)s: %(count)d 1:1 series") % {"org": org.slug, "count": len(rows)}
        )
        for r in rows:
            s = r.series
            points = ngettext(
                "%(count)d open talking point", "%(count)d open talking points", r.open_points
            ) % {"count": r.open_points}
            actions = ngettext(
                "%(count)d open action item", "%(count)d open action items", r.open_actions
            ) % {"count": r.open_actions}
            self.stdout.write(
                _(
                    "%(person)s with %(lead)s (%(kind)s, %(cadence)s): next %(date)s, "
                    "%(points)s, %(actions)s"
                )
                % {
                    "person": s.person.name,
                    "lead": s.lead.name,
                    "kind": s.get_kind_display().lower(),
                    "cadence": s.get_cadence_display().lower(),
                    "date": f"{r.next_meeting.date:%Y-%m-%d}",
                    "points": points,
                    "actions": actions,
                }
            )

    def _remind(self, options: dict[str, Any]) -> None:
        day = day_option(options["date"])
        orgs = organisations(options["org"])
        dry = options["dry_run"]
        with work("one_on_ones", "dry-run" if dry else "remind", organisations=len(orgs)) as counts:
            counts.update(sent=0)
            for org in orgs:
                done = services.send_reminders(org=org, today=day, dry_run=dry)
                counts["sent"] += len(done.sent)
                n = len(done.sent)
                if dry:
                    line = ngettext(
                        "%(org)s: would send %(count)d 1:1 reminder",
                        "%(org)s: would send %(count)d 1:1 reminders",
                        n,
                    )
                else:
                    line = ngettext(
                        "%(org)s: queued %(count)d 1:1 reminder",
                        "%(org)s: queued %(count)d 1:1 reminders",
                        n,
                    )
                self.stdout.write(line % {"org": org.slug, "count": n})
                if dry or options["verbosity"] > 1:
                    for email, meeting_id in done.sent:
                        self.stdout.write(
                            "  "
                            + _("meeting %(id)s → %(email)s") % {"id": meeting_id, "email": email}
                        )
        if not dry:
            self.stdout.write(queued_note())
