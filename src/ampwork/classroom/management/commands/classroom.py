from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext

from ampwork.classroom import retention_services
from ampwork.core.cli import TranslatedCommand, day_option, gettext_lazy, organisations
from ampwork.core.permissions import Actor


class Command(TranslatedCommand):
    help = gettext_lazy(
        "A school's data: 'classroom retention [--dry-run]' purges the reflections, pulse "
        "invitations and consent records of students who left longer ago than the school's "
        "retention policy says (every school, or --org); --dry-run only counts. From cron, daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keep = sub.add_parser(
            "retention",
            help=gettext_lazy("Purge what students who left long enough ago left behind."),
        )
        keep.add_argument("--org", default="", help=gettext_lazy("Only this school (by slug)."))
        keep.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Count, write nothing.")
        )
        keep.add_argument(
            "--date", default="", help=gettext_lazy("As if today were this day (YYYY-MM-DD).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = day_option(options["date"])
        found = organisations(options["org"])
        if options["org"] and not found[0].is_school:
            raise CommandError(
                gettext("--org: '%(org)s' is not a school") % {"org": options["org"]}
            )
        for org in found:
            if not org.is_school:
                continue
            actor = Actor.system(org)
            if options["dry_run"]:
                plan = retention_services.dry_run(actor=actor, today=today)
                verb = gettext("would purge")
            else:
                plan = retention_services.purge(actor=actor, today=today)
                verb = gettext("purged")
            if plan.months is None:
                self.stdout.write(
                    gettext("%(org)s: no retention policy: nothing purged.") % {"org": org.slug}
                )
                continue
            counts = ", ".join(f"{n} {gettext(label).lower()}" for label, n in plan.counts.items())
            self.stdout.write(
                gettext(
                    "%(org)s: %(due)d students who left %(months)d months ago or more; "
                    "%(verb)s: %(counts)s."
                )
                % {
                    "org": org.slug,
                    "due": len(plan.due),
                    "months": plan.months,
                    "verb": verb,
                    "counts": counts,
                }
            )
            if plan.waiting:
                self.stdout.write(
                    gettext("%(org)s: %(n)d invitations wait until their rounds close.")
                    % {"org": org.slug, "n": plan.waiting}
                )
            if plan.in_class:
                self.stdout.write(
                    gettext(
                        "%(org)s: %(n)d inactive students are still in a class: kept "
                        "(a disabled sign-in is no leaving; remove them from their classes)."
                    )
                    % {"org": org.slug, "n": plan.in_class}
                )
            if plan.unknown_day:
                self.stdout.write(
                    gettext(
                        "%(org)s: %(n)d students left before leaving days were recorded: kept "
                        "(make them active and inactive again to start the clock)."
                    )
                    % {"org": org.slug, "n": plan.unknown_day}
                )
