from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.autonomy import rules, selectors, services
from ampwork.autonomy.models import LedgerEntry
from ampwork.core import csvexport
from ampwork.core.cli import (
    TranslatedCommand,
    gettext_lazy,
    machine_readable,
    organisation,
    organisations,
)
from ampwork.core.models import Person


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Autonomy as CSV: 'autonomy export [--org SLUG] [--history] [-o FILE]' — each "
        "person's current level per T, or (with --history) every ledger entry. "
        "'autonomy shipit-notices [--org SLUG]' (daily): notify everyone of ShipIt days "
        "that start tomorrow or are running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        dump = sub.add_parser("export")
        dump.add_argument("--org", default="")
        dump.add_argument("--history", action="store_true")
        dump.add_argument("--output", "-o", default="-")
        notices = sub.add_parser("shipit-notices")
        notices.add_argument(
            "--org", default="", help=gettext_lazy("one organisation (default: all)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "shipit-notices":
            for one in organisations(options["org"]):
                told = services.announce_shipit(org=one)
                self.stdout.write(
                    ngettext(
                        "%(org)s: %(n)d ShipIt notice(s)",
                        "%(org)s: %(n)d ShipIt notice(s)",
                        len(told),
                    )
                    % {"org": one.slug, "n": len(told)}
                )
            return
        org = organisation(options["org"])
        to_file = options["output"] != "-"
        with contextlib.ExitStack() as stack:
            out = (
                stack.enter_context(Path(options["output"]).open("w", encoding="utf-8", newline=""))
                if to_file
                else sys.stdout
            )
            with machine_readable():
                self._write(csvexport.writer(out), org, history=options["history"])
        if to_file:
            self.stderr.write(_("Wrote %(file)s") % {"file": options["output"]})

    def _write(self, writer: Any, org: Any, *, history: bool) -> None:
        if history:
            writer.writerow(
                ["when", "person_email", "team", "t", "level", "why", "guardrails", "changed_by"]
            )
            for e in (
                LedgerEntry.objects.filter(organisation=org)
                .select_related("person", "team", "changed_by")
                .order_by("created_at", "id")
            ):
                writer.writerow(
                    [
                        e.created_at.isoformat(),
                        e.person.email if e.person else "",
                        e.team.name if e.team else "",
                        e.t,
                        e.level,
                        e.why,
                        e.guardrails,
                        e.changed_by.email if e.changed_by else "",
                    ]
                )
        else:
            people = list(
                Person.objects.filter(organisation=org, active=True).order_by("name", "id")
            )
            levels = selectors.levels_for(org, [p.pk for p in people])
            writer.writerow(["email", "name", *rules.TS])
            for p in people:
                writer.writerow([p.email, p.name, *(levels[p.pk][t] for t in rules.TS)])
