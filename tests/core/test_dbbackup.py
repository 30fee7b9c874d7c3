"""`ampwork backup`: an online SQLite copy, pg_dump for PostgreSQL, and its error paths."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections

from ampwork.core import dbbackup
from tests.factories import PersonFactory

ROWS = 3000


def _sqlite(path: Path) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def _make_db(path: Path) -> sqlite3.Connection:
    """A WAL database whose rows are still in the WAL file (not checkpointed), with a
    writer left open: the copy must read them from there."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT NOT NULL)")
    conn.execute("CREATE TABLE other (id INTEGER PRIMARY KEY)")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO item (id, label) VALUES (?, ?)", ((i, f"item {i}") for i in range(ROWS))
    )
    conn.execute("INSERT INTO other (id) VALUES (1)")
    conn.execute("COMMIT")
    return conn


def _rows(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as copy:
        count, total = copy.execute("SELECT COUNT(*), SUM(id) FROM item").fetchone()
        others = copy.execute("SELECT COUNT(*) FROM other").fetchone()[0]
    return count, total, others


def test_the_sqlite_copy_holds_every_committed_row(tmp_path: Path) -> None:
    source = tmp_path / "ampwork.sqlite3"
    writer = _make_db(source)
    assert (tmp_path / "ampwork.sqlite3-wal").stat().st_size > 0  # rows not checkpointed
    output = tmp_path / "backup.sqlite3"

    assert dbbackup.backup(_sqlite(source), output) == "sqlite"

    writer.close()
    assert _rows(output) == (ROWS, ROWS * (ROWS - 1) // 2, 1)
    with sqlite3.connect(output) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not (tmp_path / "backup.sqlite3-wal").exists()
    assert stat.S_IMODE(output.stat().st_mode) == 0o600  # it holds password hashes
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_the_sqlite_copy_is_consistent_while_a_writer_is_mid_transaction(
    tmp_path: Path,
) -> None:
    source = tmp_path / "ampwork.sqlite3"
    writer = _make_db(source)
    writer.execute("BEGIN IMMEDIATE")  # the server holds the write lock…
    writer.execute("DELETE FROM item WHERE id < 1000")
    writer.execute("INSERT INTO other (id) VALUES (2)")
    output = tmp_path / "backup.sqlite3"

    dbbackup.backup(_sqlite(source), output)  # …and the backup neither waits nor sees it

    assert _rows(output) == (ROWS, ROWS * (ROWS - 1) // 2, 1)
    writer.execute("COMMIT")
    writer.close()
    again = tmp_path / "again.sqlite3"
    dbbackup.backup(_sqlite(source), again)
    assert _rows(again) == (ROWS - 1000, sum(range(1000, ROWS)), 2)


def test_an_existing_output_is_kept_unless_forced(tmp_path: Path) -> None:
    source = tmp_path / "ampwork.sqlite3"
    _make_db(source).close()
    output = tmp_path / "backup.sqlite3"
    output.write_text("yesterday's backup")

    with pytest.raises(dbbackup.BackupError, match=r"already exists.*--force"):
        dbbackup.backup(_sqlite(source), output)
    assert output.read_text() == "yesterday's backup"

    dbbackup.backup(_sqlite(source), output, force=True)
    assert _rows(output)[0] == ROWS


@pytest.mark.parametrize(
    ("database", "message"),
    [
        (_sqlite(Path("/nonexistent/ampwork.sqlite3")), "does not exist"),
        (_sqlite(Path(":memory:")), "not a file"),
        ({"ENGINE": "django.db.backends.mysql", "NAME": "x"}, "engine django.db.backends.mysql"),
    ],
)
def test_what_cannot_be_backed_up_is_named(
    tmp_path: Path, database: dict[str, Any], message: str
) -> None:
    output = tmp_path / "backup"
    with pytest.raises(dbbackup.BackupError, match=message):
        dbbackup.backup(database, output)
    assert list(tmp_path.iterdir()) == []  # nothing left behind, not even an empty file


def test_a_backup_cannot_overwrite_the_database(tmp_path: Path) -> None:
    source = tmp_path / "ampwork.sqlite3"
    _make_db(source).close()
    with pytest.raises(dbbackup.BackupError, match="database itself"):
        dbbackup.backup(_sqlite(source), source, force=True)
    assert _rows(source)[0] == ROWS


POSTGRES = {
    "ENGINE": "django_prometheus.db.backends.postgresql",
    "NAME": "ampwork",
    "USER": "amp",
    "PASSWORD": "s3cret-password",
    "HOST": "db.example",
    "PORT": 5433,
    "OPTIONS": {"sslmode": "require"},
}


def test_postgresql_without_pg_dump_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(dbbackup.BackupError, match="pg_dump was not found"):
        dbbackup.backup(POSTGRES, tmp_path / "backup.dump")
    assert list(tmp_path.iterdir()) == []


def _fake_pg_dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    script = tmp_path / "bin" / "pg_dump"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(script))


def test_pg_dump_gets_the_password_in_its_environment_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # writes its arguments and libpq's variables to the file named after --file
    _fake_pg_dump(
        tmp_path,
        monkeypatch,
        'while [ "$1" != --file ]; do shift; done\n'
        'echo "args=$*|$PGHOST|$PGPORT|$PGUSER|$PGDATABASE|$PGPASSWORD|$PGSSLMODE" > "$2"\n',
    )
    output = tmp_path / "backup.dump"

    assert dbbackup.backup(POSTGRES, output) == "pg_dump"

    args, *env = output.read_text().strip().split("|")
    assert "s3cret" not in args
    assert env == ["db.example", "5433", "amp", "ampwork", "s3cret-password", "require"]


def test_a_failing_pg_dump_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_pg_dump(
        tmp_path,
        monkeypatch,
        'echo "pg_dump: error: server version: 17.2; pg_dump version: 15.18" >&2\n'
        'echo half > "$4"\nexit 1\n',
    )
    output = tmp_path / "backup.dump"
    with pytest.raises(dbbackup.BackupError, match=r"pg_dump failed: .*server version: 17"):
        dbbackup.backup(POSTGRES, output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]


def test_the_command_refuses_an_existing_file_without_a_traceback(db: Any, tmp_path: Path) -> None:
    output = tmp_path / "backup.sqlite3"
    output.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--output", str(output))
    assert output.read_text() == "keep me"
    with pytest.raises(CommandError, match="--output FILE"):
        call_command("backup")


def test_the_command_refuses_an_unknown_engine(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_dict = connections["default"].settings_dict
    monkeypatch.setitem(settings_dict, "ENGINE", "django.db.backends.oracle")
    with pytest.raises(CommandError, match="cannot back up a database of engine"):
        call_command("backup", "--output", str(tmp_path / "backup"))


def test_counts_name_a_database_that_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable() -> dict[str, int]:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(dbbackup, "row_counts", unreachable)
    with pytest.raises(CommandError, match="cannot count the rows: connection refused"):
        call_command("backup", "--counts")


@pytest.mark.django_db(transaction=True)
def test_the_command_copies_the_running_database_table_for_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    PersonFactory.create_batch(3)
    output = tmp_path / "backup.sqlite3"

    call_command("backup", "--output", str(output))
    call_command("backup", "--counts")

    lines = capsys.readouterr().out.splitlines()
    counts = {table: int(rows) for table, rows in (line.split("\t") for line in lines)}
    assert counts == dbbackup.row_counts()
    assert counts["core_person"] == 3
    if connection.vendor == "postgresql":  # pg_dump's custom format: its table of contents
        assert output.read_bytes()[:5] == b"PGDMP"
        listed = subprocess.run(
            ["pg_restore", "--list", str(output)], capture_output=True, text=True, check=True
        ).stdout
        assert all(f"TABLE DATA public {table} " in listed for table in counts)
        return
    with sqlite3.connect(output) as copy:
        copied = {
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in counts
        }
    assert copied == counts
