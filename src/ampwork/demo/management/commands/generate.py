from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from ampwork.core.cli import TranslatedCommand, gettext_lazy
from ampwork.core.errors import ValidationFailed
from ampwork.core.l10n import list_separator
from ampwork.demo.services import generate


class Command(TranslatedCommand):
    help = gettext_lazy("Generate a synthetic organisation of N people for scale work.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--org", default="", help=gettext_lazy("Slug of the new organisation."))
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--okrs",
            action="store_true",
            help=gettext_lazy(
                "Also a cycle with 4 objectives, 12 key results and 96 check-ins per person."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = options["people"]
        columns = [
            *Progress.get_default_columns()[:1],
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ]
        with Progress(*columns, transient=False) as progress:
            task = progress.add_task(_("Generating people"), total=total)
            progress.advance(task, 1)  # the admin
            try:
                result = generate(
                    people=total,
                    slug=options["org"],
                    seed=options["seed"],
                    progress=lambda n: progress.advance(task, n),
                )
            except ValidationFailed as exc:
                raise CommandError(list_separator().join(exc.lines())) from None
            if options["okrs"]:
                from ampwork.okrs.generate import generate_okrs

                okr_task = progress.add_task(_("Generating OKRs"), total=total * 4)
                generate_okrs(
                    result.organisation,
                    seed=options["seed"],
                    progress=lambda n: progress.advance(okr_task, n),
                )
        self.stdout.write(
            _("Generated %(name)s (%(slug)s): %(people)s people in %(teams)s teams.")
            % {
                "name": result.organisation.name,
                "slug": result.organisation.slug,
                "people": f"{result.people:,}",
                "teams": f"{result.teams:,}",
            }
        )
        self.stdout.write(_("Admin password: %(password)s") % {"password": result.admin_password})
        self.stdout.write(result.admin_email)
