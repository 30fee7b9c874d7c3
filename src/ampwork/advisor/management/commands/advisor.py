from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.advisor import selectors, traps
from ampwork.advisor.data import gather
from ampwork.advisor.models import Acknowledgement
from ampwork.core.cli import TranslatedCommand, gettext_lazy, machine_readable, organisation


class Command(TranslatedCommand):
    help = gettext_lazy(
        "The mistake detector: 'advisor findings [--org SLUG] [--format json]' — the three "
        "classic mistakes and the OKR failure modes found in the organisation's data, each "
        "with its evidence, source and next step."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("findings", help=gettext_lazy("list what the detector finds"))
        run.add_argument("--org", default="")
        run.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organisation(options["org"])
        # JSON is for machines: its findings' sentences in English, whatever the language
        with machine_readable(options["format"] == "json"):
            self._findings(org, json_format=options["format"] == "json")

    def _findings(self, org: Any, *, json_format: bool) -> None:
        report = traps.detect(selectors.facts(gather(org)))
        acked = set(Acknowledgement.objects.filter(organisation=org).values_list("key", flat=True))
        if json_format:
            self.stdout.write(
                json.dumps(
                    {
                        "organisation": org.slug,
                        "findings": [
                            {**f.as_dict(), "acknowledged": f.key in acked} for f in report.findings
                        ],
                    },
                    indent=1,
                    ensure_ascii=False,
                )
            )
            return
        if not report.findings:
            self.stdout.write(_("%(org)s: nothing found.") % {"org": org.slug})
            return
        self.stdout.write(
            ngettext("%(org)s: %(n)d finding(s)", "%(org)s: %(n)d finding(s)", len(report.findings))
            % {"org": org.slug, "n": len(report.findings)}
        )
        for f in report.findings:
            title = (
                _("%(title)s (acknowledged)") % {"title": f.title} if f.key in acked else f.title
            )
            self.stdout.write(f"\n{title} [{f.key}]")
            for line in f.evidence:
                self.stdout.write(f"  - {line}")
            self.stdout.write(_("  next step: %(step)s") % {"step": f.next_step})
