"""``ampwork one-on-ones list [--org SLUG] [--email E] [--format json]``: the 1:1 series
with their next meeting and how many talking points and action items are open — never a
note, shared or private."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ampwork.conversations import selectors
from ampwork.core.cli import organisation
from ampwork.core.models import Person


class Command(BaseCommand):
    help = (
        "1:1s: 'one-on-ones list [--org SLUG] [--email E] [--format json]' — each series "
        "with its next meeting and its open talking points and action items (never a note)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list", help="list the 1:1 series")
        show.add_argument("--org", default="")
        show.add_argument("--email", default="", help="Only this person's 1:1s (either side).")
        show.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
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
