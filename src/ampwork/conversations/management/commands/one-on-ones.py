"""``ampwork one-on-ones list [--org SLUG] [--email E] [--format json]``: the 1:1 series
with their next meeting and how many talking points and action items are open — never a
note, shared or private. ``ampwork one-on-ones remind [--org SLUG] [--date D] [--dry-run]``:
the day-before reminders (run daily from cron)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ampwork.conversations import selectors, services
from ampwork.core.cli import day_option, organisation, organisations, queued_note
from ampwork.core.models import Person
from ampwork.logs import work


class Command(BaseCommand):
    help = (
        "1:1s: 'one-on-ones list [--org SLUG] [--email E] [--format json]' — each series "
        "with its next meeting and its open talking points and action items (never a note); "
        "'one-on-ones remind [--org SLUG] [--date YYYY-MM-DD] [--dry-run]' — email both "
        "people of each meeting planned for tomorrow, once (run it daily from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list", help="list the 1:1 series")
        show.add_argument("--org", default="")
        show.add_argument("--email", default="", help="Only this person's 1:1s (either side).")
        show.add_argument("--format", choices=["text", "json"], default="text")
        remind = sub.add_parser("remind", help="the day-before reminders of tomorrow's 1:1s")
        remind.add_argument("--org", default="", help="one organisation (default: all)")
        remind.add_argument("--date", default="", help="today, as YYYY-MM-DD (default: today)")
        remind.add_argument("--dry-run", action="store_true", help="list, send nothing")

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
                raise CommandError(f"--email: nobody with {options['email']} in {org.slug}")
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
            self.stdout.write(f"{org.slug}: no 1:1s.")
            return
        self.stdout.write(f"{org.slug}: {len(rows)} 1:1 series")
        for r in rows:
            s = r.series
            self.stdout.write(
                f"{s.person.name} with {s.lead.name} ({s.get_kind_display().lower()}, "
                f"{s.get_cadence_display().lower()}): next {r.next_meeting.date:%Y-%m-%d}, "
                f"{r.open_points} open talking point{'' if r.open_points == 1 else 's'}, "
                f"{r.open_actions} open action item{'' if r.open_actions == 1 else 's'}"
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
                self.stdout.write(
                    f"{org.slug}: {'would send' if dry else 'queued'} {n} 1:1 reminder"
                    f"{'' if n == 1 else 's'}"
                )
                if dry or options["verbosity"] > 1:
                    for email, meeting_id in done.sent:
                        self.stdout.write(f"  meeting {meeting_id} → {email}")
        if not dry:
            self.stdout.write(queued_note())
