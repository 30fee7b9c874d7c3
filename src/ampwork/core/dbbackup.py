"""Whole-database backups: an online copy of SQLite, ``pg_dump`` for PostgreSQL.

``ampwork export`` is the portable backup (one organisation, or SQLite ⇄ PostgreSQL); this
is the operator's one: every table, as the database engine copies it.

- SQLite: :meth:`sqlite3.Connection.backup` copies the database in one step inside a read
  transaction, so the copy is consistent even while the server writes (WAL or not), and
  the copy is a single file (rollback journal, no ``-wal``/``-shm``) checked with
  ``PRAGMA quick_check``.
- PostgreSQL: ``pg_dump --format=custom`` (one snapshot), connection parameters from the
  settings passed in the environment (the password as ``PGPASSWORD``, never an argument).

Both write to a temporary file next to the output and rename it at the end: an output
file is complete or absent, never half-written.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _

# Django's engines and wrappers of them (django_prometheus.db.backends.postgresql…)
SQLITE = ".sqlite3"
POSTGRESQL = ".postgresql"

# OPTIONS of a PostgreSQL database that libpq also reads from the environment
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup that could not be made; the message says why (for the operator)."""


def backup(database: Mapping[str, Any], output: Path, *, force: bool = False) -> str:
    """Write a backup of ``database`` (a Django ``DATABASES`` entry) to ``output``.

    Returns the kind written (``sqlite`` or ``pg_dump``). Raises :class:`BackupError`.
    """
    engine = str(database.get("ENGINE", ""))
    if output.exists() and not force:
        raise BackupError(
            _("%(path)s already exists: choose another name, or add --force") % {"path": output}
        )
    if not output.parent.is_dir():
        raise BackupError(_("%(path)s is not a folder") % {"path": output.parent})
    if engine.endswith(SQLITE):
        backup_sqlite(Path(str(database.get("NAME", ""))), output)
        return "sqlite"
    if engine.endswith(POSTGRESQL):
        backup_postgresql(database, output)
        return "pg_dump"
    raise BackupError(
        _(
            "cannot back up a database of engine %(engine)s: ampwork backup knows "
            "SQLite and PostgreSQL ('ampwork export' works with any)"
        )
        % {"engine": engine or "(none)"}
    )


@contextmanager
def _replacing(output: Path) -> Iterator[Path]:
    """A temporary path next to ``output``, renamed to it if the block succeeds."""
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    os.close(fd)
    part = Path(name)
    try:
        yield part
        part.replace(output)
    finally:
        part.unlink(missing_ok=True)


def backup_sqlite(source: Path, output: Path) -> None:
    """A consistent copy of the SQLite database ``source``, safe while others write."""
    if not str(source) or str(source) == ":memory:" or str(source).startswith("file:"):
        raise BackupError(
            _("cannot back up the SQLite database %(path)s: not a file")
            % {"path": source or "(none)"}
        )
    if not source.is_file():
        raise BackupError(_("the SQLite database %(path)s does not exist") % {"path": source})
    if source.resolve() == output.resolve():
        raise BackupError(_("the backup cannot overwrite the database itself"))
    with _replacing(output) as part:
        try:
            # read-only: a wrong path fails instead of creating an empty database
            src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
            try:
                dest = sqlite3.connect(part)
                try:
                    src.backup(dest)  # pages=-1: one step, one read transaction
                    dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                    check = dest.execute("PRAGMA quick_check").fetchone()
                finally:
                    dest.close()
            finally:
                src.close()
        except sqlite3.Error as exc:
            raise BackupError(
                _("SQLite could not copy %(path)s: %(problem)s") % {"path": source, "problem": exc}
            ) from None
        if not check or check[0] != "ok":
            raise BackupError(
                _("the copy of %(path)s failed its check: %(check)s")
                % {"path": source, "check": check}
            )


def pg_environment(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq's environment variables for ``database`` (PGHOST, PGPASSWORD…)."""
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
    }
    options = database.get("OPTIONS") or {}
    for option, variable in _PG_OPTIONS.items():
        values[variable] = options.get(option)
    return {key: str(value) for key, value in values.items() if value not in (None, "")}


def backup_postgresql(database: Mapping[str, Any], output: Path) -> None:
    """``pg_dump --format=custom`` of ``database`` into ``output``."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            _(
                "pg_dump was not found on PATH: install PostgreSQL's client programs "
                "(Debian: apt-get install postgresql-client) with the server's major version"
            )
        )
    if not database.get("NAME"):
        raise BackupError(_("the PostgreSQL database has no name (AMPWORK_DATABASE_URL)"))
    env = {**os.environ, **pg_environment(database)}
    with _replacing(output) as part:
        try:
            done = subprocess.run(
                [pg_dump, "--format=custom", "--no-password", "--file", str(part)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise BackupError(_("pg_dump could not run: %(problem)s") % {"problem": exc}) from None
        if done.returncode != 0:
            message = " ".join(done.stderr.split())[-600:] or f"exit code {done.returncode}"
            raise BackupError(_("pg_dump failed: %(problem)s") % {"problem": message})


def row_counts(alias: str = "default") -> dict[str, int]:
    """Every table of the database and its number of rows (for comparing a restore)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts: dict[str, int] = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts
