from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from ampwork.core.cli import TranslatedCommand, fail, gettext_lazy, machine_readable
from ampwork.core.errors import ValidationFailed
from ampwork.core.imports import decode
from ampwork.core.l10n import list_separator, written
from ampwork.fairness import audit, csvinput, gate


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Pay audit of a CSV file, no database needed: 'fairness audit FILE.csv "
        "[--group-column gender] [--reference male] [--comparison female] "
        "[--format table|json]'. Columns: docs/fairness.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("audit", help=gettext_lazy("Audit a pay file."))
        run.add_argument("file")
        run.add_argument("--group-column", default="gender")
        run.add_argument("--reference", default="male")
        run.add_argument("--comparison", default="female")
        run.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file") % {"path": path})
        try:
            records = csvinput.read(
                decode(path.read_bytes(), str(path)),
                str(path),
                group_column=options["group_column"],
            )
        except ValidationFailed as exc:
            raise fail(exc) from None
        reference, comparison = options["reference"].lower(), options["comparison"].lower()
        found = audit.groups_of(records)
        for name in (reference, comparison):
            if name not in found:
                raise CommandError(
                    _(
                        "--%(option)s: no one in %(path)s has %(column)s = %(value)s "
                        "(found: %(found)s)"
                    )
                    % {
                        "option": "reference" if name == reference else "comparison",
                        "path": path,
                        "column": options["group_column"],
                        "value": name,
                        "found": ", ".join(found) or _("none"),
                    }
                )
        if options["format"] == "json":  # for machines: its reasons in English, always
            with machine_readable():
                result = audit.audit(records, reference, comparison)
                self.stdout.write(json.dumps(result, indent=1, default=str))
            return
        result = audit.audit(records, reference, comparison)
        self._table(result, reference, comparison, options["group_column"])

    def _table(self, result: dict[str, Any], reference: str, comparison: str, column: str) -> None:
        console = Console(file=self.stdout, width=100)  # type: ignore[arg-type]
        raw, adj = result["raw_gap"], result["adjusted_gap"]
        console.print(
            _("[bold]Pay audit[/bold] of %(n)s people: %(n_ref)s %(ref)s, %(n_cmp)s %(cmp)s")
            % {
                "n": result["n"],
                "n_ref": result["groups"][reference],
                "ref": reference,
                "n_cmp": result["groups"][comparison],
                "cmp": comparison,
            }
        )
        left_out = audit.left_out_text(result["left_out"], column)
        if left_out:
            console.print(
                _("%(left_out)s (checked against band, market and peers all the same)")
                % {"left_out": left_out}
            )
        console.print(
            _("Raw gap (%(ref)s − %(cmp)s) / %(ref)s: mean %(mean)s, median %(median)s")
            % {
                "ref": reference,
                "cmp": comparison,
                "mean": written(f"{raw['mean']:.1f}", percent=True),
                "median": written(f"{raw['median']:.1f}", percent=True),
            }
        )
        if adj:
            lo, hi = adj["ci95"]
            # rounded as the gate words it: an amber 4.96% never prints as +5.0%
            shown = gate.percent_text(Decimal(repr(float(adj["percent"]))), threshold=gate.GAP_RED)
            console.print(
                _(
                    "Adjusted gap for %(cmp)s: %(shown)s (95%% CI %(low)s to %(high)s); in log "
                    "points %(points)s, SE %(se)s, 95%% CI [%(lo)s, %(hi)s]; n = %(n)s, "
                    "controls: %(controls)s"
                )
                % {
                    "cmp": comparison,
                    "shown": shown,
                    "low": gate.percent_text(gate.log_points_percent(lo)),
                    "high": gate.percent_text(gate.log_points_percent(hi)),
                    "points": f"{adj['log_points']:+.4f}",
                    "se": f"{adj['se']:.4f}",
                    "lo": f"{lo:+.4f}",
                    "hi": f"{hi:+.4f}",
                    "n": adj["n"],
                    "controls": ", ".join(adj["controls"]) or _("none"),
                }
            )
            robust = ", ".join(
                _("%(name)s SE %(se)s") % {"name": name, "se": f"{value['se']:.4f}"}
                if value
                else _("%(name)s undefined (leverage 1)") % {"name": name}
                for name, value in adj["robust"].items()
            )
            missing = ", ".join(f"{n} {why}" for why, n in adj["left_out"].items())
            console.print(
                _("  robust: %(robust)s; left out of the regression (complete cases): %(missing)s")
                % {"robust": robust, "missing": missing}
                if missing
                else _("  robust: %(robust)s") % {"robust": robust}
            )
        else:
            console.print(_("Adjusted gap: not enough data to estimate it."))
        table = Table(title=_("Flagged"), show_lines=False)
        for column in ("employee", "reasons", "lift to", "cost"):
            table.add_column(column)
        costs = {p["employee_id"]: p for p in result["remediation"]["people"]}
        for flag in result["flags"]:
            cost = costs[flag["employee_id"]]
            table.add_row(
                flag["employee_id"],
                list_separator().join(flag["reasons"]),
                f"{cost['to']:,.0f}",
                f"{cost['cost']:,.0f}",
            )
        console.print(table)
        console.print(
            _("Remediation: %(n)s people, total %(total)s")
            % {"n": len(result["flags"]), "total": f"{result['remediation']['total']:,.0f}"}
        )
        flagged = [c for c in result["categories"] if c["flag"]]
        if flagged:
            console.print(
                _(
                    "Categories with a mean gap of 5%% or more in basic or total pay (EU Directive "
                    "2023/970 art. 10): %(categories)s"
                )
                % {
                    "categories": ", ".join(
                        _("%(role)s %(level)s (basic %(basic)s, total %(total)s)")
                        % {
                            "role": c["role"],
                            "level": c["level"],
                            "basic": written(f"{c['basic_mean_gap']:.1f}", percent=True),
                            "total": written(f"{c['total_mean_gap']:.1f}", percent=True),
                        }
                        for c in flagged
                    )
                }
            )
