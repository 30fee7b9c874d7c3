from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from ampwork.core.cli import fail
from ampwork.core.errors import ValidationFailed
from ampwork.core.imports import decode
from ampwork.fairness import audit, csvinput, gate


class Command(BaseCommand):
    help = (
        "Pay audit of a CSV file, no database needed: 'fairness audit FILE.csv "
        "[--group-column gender] [--reference male] [--comparison female] "
        "[--format table|json]'. Columns: docs/fairness.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("audit", help="Audit a pay file.")
        run.add_argument("file")
        run.add_argument("--group-column", default="gender")
        run.add_argument("--reference", default="male")
        run.add_argument("--comparison", default="female")
        run.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
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
                    f"--{'reference' if name == reference else 'comparison'}: "
                    f"no one in {path} has {options['group_column']} = {name} "
                    f"(found: {', '.join(found) or 'none'})"
                )
        result = audit.audit(records, reference, comparison)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=1, default=str))
            return
        self._table(result, reference, comparison, options["group_column"])

    def _table(self, result: dict[str, Any], reference: str, comparison: str, column: str) -> None:
        console = Console(file=self.stdout, width=100)  # type: ignore[arg-type]
        raw, adj = result["raw_gap"], result["adjusted_gap"]
        console.print(
            f"[bold]Pay audit[/bold] of {result['n']} people: "
            f"{result['groups'][reference]} {reference}, "
            f"{result['groups'][comparison]} {comparison}"
        )
        left_out = audit.left_out_text(result["left_out"], column)
        if left_out:
            console.print(left_out + " (checked against band, market and peers all the same)")
        console.print(
            f"Raw gap ({reference} − {comparison}) / {reference}: "
            f"mean {raw['mean']:.1f}%, median {raw['median']:.1f}%"
        )
        if adj:
            lo, hi = adj["ci95"]
            # rounded as the gate words it: an amber 4.96% never prints as +5.0%
            shown = gate.percent_text(Decimal(repr(float(adj["percent"]))), threshold=gate.GAP_RED)
            console.print(
                f"Adjusted gap for {comparison}: {shown} "
                f"(95% CI {gate.percent_text(gate.log_points_percent(lo))} to "
                f"{gate.percent_text(gate.log_points_percent(hi))}); in log points "
                f"{adj['log_points']:+.4f}, SE {adj['se']:.4f}, 95% CI [{lo:+.4f}, {hi:+.4f}]; "
                f"n = {adj['n']}, controls: {', '.join(adj['controls']) or 'none'}"
            )
            robust = ", ".join(
                f"{name} SE {value['se']:.4f}" if value else f"{name} undefined (leverage 1)"
                for name, value in adj["robust"].items()
            )
            missing = ", ".join(f"{n} {why}" for why, n in adj["left_out"].items())
            console.print(
                f"  robust: {robust}"
                + (f"; left out of the regression (complete cases): {missing}" if missing else "")
            )
        else:
            console.print("Adjusted gap: not enough data to estimate it.")
        table = Table(title="Flagged", show_lines=False)
        for column in ("employee", "reasons", "lift to", "cost"):
            table.add_column(column)
        costs = {p["employee_id"]: p for p in result["remediation"]["people"]}
        for flag in result["flags"]:
            cost = costs[flag["employee_id"]]
            table.add_row(
                flag["employee_id"],
                "; ".join(flag["reasons"]),
                f"{cost['to']:,.0f}",
                f"{cost['cost']:,.0f}",
            )
        console.print(table)
        console.print(
            f"Remediation: {len(result['flags'])} people, total "
            f"{result['remediation']['total']:,.0f}"
        )
        flagged = [c for c in result["categories"] if c["flag"]]
        if flagged:
            console.print(
                "Categories with a mean gap of 5% or more in basic or total pay (EU Directive "
                "2023/970 art. 10): "
                + ", ".join(
                    f"{c['role']} {c['level']} (basic {c['basic_mean_gap']:.1f}%, "
                    f"total {c['total_mean_gap']:.1f}%)"
                    for c in flagged
                )
            )
