from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext

from ampwork.core.cli import TranslatedCommand, gettext_lazy, machine_readable, organisation
from ampwork.purpose import selectors, themes


class Command(TranslatedCommand):
    help = gettext_lazy(
        "The themes of people's purpose statements: 'purpose themes [--org SLUG] [--format json]'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser(
            "themes", help=gettext_lazy("Find the common themes (local, deterministic).")
        )
        run.add_argument("--org", default="")
        run.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organisation(options["org"])
        # JSON is for machines: why themes are suppressed in English, whatever the language
        with machine_readable(options["format"] == "json"):
            self._themes(org, json_format=options["format"] == "json")

    def _themes(self, org: Any, *, json_format: bool) -> None:
        found = themes.find(
            selectors.theme_input(org.pk), org.anonymity_min_group, language=org.default_language
        )
        if json_format:
            self.stdout.write(
                json.dumps(
                    {
                        "organisation": org.slug,
                        "authors": found.authors,
                        "suppressed": found.suppressed,
                        "themes": [t.__dict__ for t in found.themes],
                    },
                    indent=1,
                )
            )
            return
        if not found.themes:
            self.stdout.write(gettext("No themes: %(why)s.") % {"why": found.suppressed})
            return
        self.stdout.write(
            gettext("%(themes)d themes across %(authors)d statements:")
            % {"themes": len(found.themes), "authors": found.authors}
        )
        for theme in found.themes:
            self.stdout.write(f"  {theme.share:>4.0%}  {theme.label}")
            for quote in theme.quotes:
                self.stdout.write(f"        “{quote}”")
