from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import ngettext

from ampwork.core import backup, services
from ampwork.core.cli import TranslatedCommand, gettext_lazy, machine_readable, organisation
from ampwork.core.models import Organisation
from ampwork.logs import work


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Export an organisation (or, without --org, every organisation) as one JSON "
        "document; 'ampwork import FILE.json' restores it into an empty database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", default="")
        parser.add_argument(
            "--output", "-o", default="-", help=gettext_lazy("File to write (default stdout).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = (
            [organisation(options["org"])]
            if options["org"]
            else list(Organisation.objects.order_by("slug"))
        )
        with work("export", "backup", organisations=len(orgs)) as counts:
            with machine_readable():
                document = backup.export([o.pk for o in orgs], [o.slug for o in orgs])
            counts["objects"] = len(document["objects"])
            text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
            if options["output"] == "-":
                sys.stdout.write(text + "\n")
            else:
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
                count = len(document["objects"])
                self.stderr.write(
                    ngettext(
                        "Wrote %(count)d object to %(path)s",
                        "Wrote %(count)d objects to %(path)s",
                        count,
                    )
                    % {"count": count, "path": options["output"]}
                )
            for org in orgs:
                services.record(None, org, "organisation.exported", org)
