from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ampwork.core import imports as core_imports
from ampwork.core.cli import fail, organisation
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation
from ampwork.core.permissions import Actor
from ampwork.okrs import imports, selectors
from ampwork.okrs.services import derived


class Command(BaseCommand):
    help = (
        "OKRs as CSV, one row per key result: 'okrs import FILE.csv' (all or nothing) and "
        "'okrs export [--cycle NAME]'; 'okrs verify [--fix]' checks (and repairs) the "
        "stored progress, roll-ups and scores of every cycle against a recomputation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Create objectives and key results from a CSV.")
        load.add_argument("file")
        load.add_argument("--org", default="")
        dump = sub.add_parser("export", help="Write objectives and key results as CSV.")
        dump.add_argument("--org", default="")
        dump.add_argument("--cycle", default="", help="Only this cycle (by name).")
        dump.add_argument("--output", "-o", default="-")
        check = sub.add_parser(
            "verify",
            help="Check every cycle's stored progress, roll-ups and scores against a "
            "computation from scratch; exit 1 if any differs.",
        )
        check.add_argument("--org", default="", help="Only this organisation (by slug).")
        check.add_argument("--fix", action="store_true", help="Store the right numbers.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options["org"], options["fix"])
            return
        actor = Actor.system(organisation(options["org"]))
        if options["action"] == "import":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                text = core_imports.decode(path.read_bytes(), str(path))
                count = imports.import_okrs(actor=actor, text=text, source=str(path))
            except ValidationFailed as exc:
                raise fail(exc) from None
            self.stdout.write(f"Imported {count} objectives from {path}.")
            return
        qs = selectors.visible_objectives(actor)
        if options["cycle"]:
            qs = qs.filter(cycle__name=options["cycle"])
            if not qs.exists():
                raise CommandError(f"--cycle: no objectives in a cycle called {options['cycle']}")
        rows = imports.export_rows(
            qs.select_related("cycle", "owner_person", "owner_team")
            .prefetch_related(
                "parent_links__parent", "key_results__milestones", "key_results__owner"
            )
            .order_by("cycle__start", "id")
        )
        if options["output"] == "-":
            sys.stdout.write(rows)
        else:
            Path(options["output"]).write_text(rows, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")

    def _verify(self, slug: str, fix: bool) -> None:
        orgs = [organisation(slug)] if slug else list(Organisation.objects.order_by("slug"))
        wrong = 0
        for org in orgs:
            with transaction.atomic():
                found = derived.verify(org.pk, fix=fix)
            wrong += len(found.mismatches)
            verdict = (
                "every stored number matches"
                if not found.mismatches
                else f"{len(found.mismatches)} stored numbers differ"
                + (", fixed" if found.fixed else "")
            )
            self.stdout.write(
                f"{org.slug}: {_count(found.cycles, 'cycle')}, "
                f"{_count(found.objectives, 'objective')}, "
                f"{_count(found.key_results, 'key result')}: {verdict}."
            )
            for line in found.mismatches[:20]:
                self.stdout.write(f"  {line}")
            if len(found.mismatches) > 20:
                self.stdout.write(f"  … and {len(found.mismatches) - 20} more")
        if wrong and not fix:
            raise CommandError(
                f"{wrong} stored numbers differ from a recomputation: "
                "run 'ampwork okrs verify --fix'."
            )


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"
