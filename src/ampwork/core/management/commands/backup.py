from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from ampwork.core import dbbackup
from ampwork.core.cli import TranslatedCommand, gettext_lazy
from ampwork.logs import work


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Back up the whole database: an online copy of SQLite (safe while the server runs) "
        "or pg_dump --format=custom for PostgreSQL. See docs/operations.md#database-backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="", help=gettext_lazy("File to write."))
        parser.add_argument(
            "--force", action="store_true", help=gettext_lazy("Overwrite the output file.")
        )
        parser.add_argument(
            "--counts",
            action="store_true",
            help=gettext_lazy(
                "Write nothing: print every table and its number of rows (to compare a "
                "restored copy with its original)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["counts"]:
            try:
                tables = dbbackup.row_counts()
            except DatabaseError as exc:
                raise CommandError(
                    _("cannot count the rows: %(problem)s") % {"problem": exc}
                ) from None
            for table, rows in tables.items():
                self.stdout.write(f"{table}\t{rows}")
            return
        if not options["output"]:
            raise CommandError(_("name the file to write: ampwork backup --output FILE"))
        output = Path(options["output"])
        database = connections["default"].settings_dict
        with work("backup", "database") as counts:
            try:
                kind = dbbackup.backup(database, output, force=options["force"])
            except dbbackup.BackupError as exc:
                counts["error"] = "backup_error"
                raise CommandError(str(exc)) from None
            counts["kind"] = kind
        self.stderr.write(
            _("Wrote a %(kind)s backup to %(path)s (%(size)s bytes)")
            % {"kind": kind, "path": output, "size": f"{output.stat().st_size:,}"}
        )
