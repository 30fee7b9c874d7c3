from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ampwork.classroom import retention_services
from ampwork.core.cli import day_option, organisations
from ampwork.core.permissions import Actor


class Command(BaseCommand):
    help = (
        "A school's data: 'classroom retention [--dry-run]' purges the reflections, pulse "
        "invitations and consent records of students who left longer ago than the school's "
        "retention policy says (every school, or --org); --dry-run only counts. From cron, daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keep = sub.add_parser(
            "retention", help="Purge what students who left long enough ago left behind."
        )
        keep.add_argument("--org", default="", help="Only this school (by slug).")
        keep.add_argument("--dry-run", action="store_true", help="Count, write nothing.")
        keep.add_argument("--date", default="", help="As if today were this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = day_option(options["date"])
        found = organisations(options["org"])
        if options["org"] and not found[0].is_school:
            raise CommandError(f"--org: '{options['org']}' is not a school")
        for org in found:
            if not org.is_school:
                continue
            actor = Actor.system(org)
            if options["dry_run"]:
                plan = retention_services.dry_run(actor=actor, today=today)
                verb = "would purge"
            else:
                plan = retention_services.purge(actor=actor, today=today)
                verb = "purged"
            if plan.months is None:
                self.stdout.write(f"{org.slug}: no retention policy: nothing purged.")
                continue
            counts = ", ".join(f"{n} {label.lower()}" for label, n in plan.counts.items())
            self.stdout.write(
                f"{org.slug}: {len(plan.due)} students who left {plan.months} months ago or "
                f"more; {verb}: {counts}."
            )
            if plan.waiting:
                self.stdout.write(
                    f"{org.slug}: {plan.waiting} invitations wait until their rounds close."
                )
            if plan.in_class:
                self.stdout.write(
                    f"{org.slug}: {plan.in_class} inactive students are still in a class: kept "
                    "(a disabled sign-in is no leaving; remove them from their classes)."
                )
            if plan.unknown_day:
                self.stdout.write(
                    f"{org.slug}: {plan.unknown_day} students left before leaving days were "
                    "recorded: kept (make them active and inactive again to start the clock)."
                )
