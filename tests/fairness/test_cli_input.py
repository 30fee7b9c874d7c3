"""`ampwork fairness audit FILE.csv` run as a user runs it: the three files its old reader
mishandled (an extra cell dropped, a NUL byte accepted, a bare carriage return crashing
with a traceback) end the command with exit status 1 and one clear line naming the file
and the line — never a traceback, never an audit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEADER = b"employee_id,base_pay,role,level,gender\n"
ROWS = b"1,50000,Eng,L1,female\n2,52000,Eng,L1,male\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            HEADER + ROWS + b"3,51000,Eng,L1,male,oops\n",
            "line 4: row: has more cells than the header",
        ),
        (
            HEADER + ROWS + b"3,51000,Eng,L1,fe\x00male\n",
            "line 4: file: contains NUL bytes",
        ),
        (
            b"employee_id,base_pay,role,level,gender\n1,50000,Eng,L1,female\n2,52000\rx,L1,male\n",
            "line 3: file: is not valid CSV: a carriage return (CR) stands alone outside quotes",
        ),
    ],
    ids=["extra cell", "NUL byte", "bare carriage return"],
)
def test_a_bad_file_ends_the_command_with_its_file_and_line(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "pay.csv"
    path.write_bytes(content)
    env = {**os.environ, "AMPWORK_DATA_DIR": str(tmp_path / "data")}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command as installed, with its own settings
    done = subprocess.run(
        [sys.executable, "-m", "ampwork", "fairness", "audit", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"CommandError: {path}: {expected}")
    assert done.stderr.count("\n") == 1  # one error, on one line
    assert done.stdout == ""  # no audit of a file that was not read whole
