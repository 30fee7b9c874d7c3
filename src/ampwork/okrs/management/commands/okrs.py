from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core import imports as core_imports
from ampwork.core.cli import TranslatedCommand, fail, gettext_lazy, machine_readable, organisation
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation
from ampwork.core.permissions import Actor
from ampwork.okrs import imports, selectors
from ampwork.okrs.services import derived


class Command(TranslatedCommand):
    help = gettext_lazy(
        "OKRs as CSV, one row per key result: 'okrs import FILE.csv' (all or nothing) and "
        "'okrs export [--cycle NAME]'; 'okrs verify [--fix]' checks (and repairs) the "
        "stored progress, roll-ups and scores of every cycle against a recomputation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help=gettext_lazy("Create objectives and key results from a CSV.")
        )
        load.add_argument("file")
        load.add_argument("--org", default="")
        dump = sub.add_parser(
            "export", help=gettext_lazy("Write objectives and key results as CSV.")
        )
        dump.add_argument("--org", default="")
        dump.add_argument("--cycle", default="", help=gettext_lazy("Only this cycle (by name)."))
        dump.add_argument("--output", "-o", default="-")
        check = sub.add_parser(
            "verify",
            help=gettext_lazy(
                "Check every cycle's stored progress, roll-ups and scores against a "
                "computation from scratch; exit 1 if any differs."
            ),
        )
        check.add_argument(
            "--org", default="", help=gettext_lazy("Only this organisation (by slug).")
        )
        check.add_argument(
            "--fix", action="store_true", help=gettext_lazy("Store the right numbers.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options["org"], options["fix"])
            return
        actor = Actor.system(organisation(options["org"]))
        if options["action"] == "import":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("%(path)s: no such file") % {"path": path})
            try:
                text = core_imports.decode(path.read_bytes(), str(path))
                count = imports.import_okrs(actor=actor, text=text, source=str(path))
            except ValidationFailed as exc:
                raise fail(exc) from None
            self.stdout.write(
                ngettext(
                    "Imported %(count)d objective from %(path)s.",
                    "Imported %(count)d objectives from %(path)s.",
                    count,
                )
                % {"count": count, "path": path}
            )
            return
        qs = selectors.visible_objectives(actor)
        if options["cycle"]:
            qs = qs.filter(cycle__name=options["cycle"])
            if not qs.exists():
                raise CommandError(
                    _("--cycle: no objectives in a cycle called %(name)s")
                    % {"name": options["cycle"]}
                )
        objectives = (
            qs.select_related("cycle", "owner_person", "owner_team")
            .prefetch_related(
                "parent_links__parent", "key_results__milestones", "key_results__owner"
            )
            .order_by("cycle__start", "id")
        )
        with machine_readable():
            rows = imports.export_rows(objectives)
        if options["output"] == "-":
            sys.stdout.write(rows)
        else:
            Path(options["output"]).write_text(rows, encoding="utf-8")
            self.stderr.write(_("Wrote %(path)s") % {"path": options["output"]})

    def _verify(self, slug: str, fix: bool) -> None:
        orgs = [organisation(slug)] if slug else list(Organisation.objects.order_by("slug"))
        wrong = 0
        for org in orgs:
            with transaction.atomic():
                found = derived.verify(org.pk, fix=fix)
            wrong += len(found.mismatches)
            differ = len(found.mismatches)
            if not differ:
                verdict = _("every stored number matches")
            elif found.fixed:
                verdict = ngettext(
                    "%(count)d stored number differs, fixed",
                    "%(count)d stored numbers differ, fixed",
                    differ,
                ) % {"count": differ}
            else:
                verdict = ngettext(
                    "%(count)d stored number differs", "%(count)d stored numbers differ", differ
                ) % {"count": differ}
            counts = {
                "cycles": ngettext("%(count)s cycle", "%(count)s cycles", found.cycles)
                % {"count": f"{found.cycles:,}"},
                "objectives": ngettext(
                    "%(count)s objective", "%(count)s objectives", found.objectives
                )
                % {"count": f"{found.objectives:,}"},
                "key_results": ngettext(
                    "%(count)s key result", "%(count)s key results", found.key_results
                )
                % {"count": f"{found.key_results:,}"},
            }
            self.stdout.write(
                _("%(org)s: %(cycles)s, %(objectives)s, %(key_results)s: %(verdict)s.")
                % {"org": org.slug, "verdict": verdict, **counts}
            )
            for line in found.mismatches[:20]:
                self.stdout.write(f"  {line}")
            if len(found.mismatches) > 20:
                self.stdout.write(
                    "  " + _("… and %(count)d more") % {"count": len(found.mismatches) - 20}
                )
        if wrong and not fix:
            raise CommandError(
                ngettext(
                    "%(count)d stored number differs from a recomputation: "
                    "run 'ampwork okrs verify --fix'.",
                    "%(count)d stored numbers differ from a recomputation: "
                    "run 'ampwork okrs verify --fix'.",
                    wrong,
                )
                % {"count": wrong}
            )
