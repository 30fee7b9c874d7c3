"""The stateless `ampwork fairness audit FILE.csv` reads its file with the one CSV reader
every import uses: what it refuses, it refuses with file, line and column, and nothing
it cannot read is guessed at."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ampwork.core.errors import ValidationFailed
from ampwork.fairness import csvinput

HEADER = "employee_id,base_pay,role,level,gender\n"
ROW = "1,50000,Eng,L1,female\n2,52000,Eng,L1,male\n"


def refused(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        csvinput.read(text, "pay.csv")
    assert caught.value.source == "pay.csv"
    return [(e.line, e.field, e.message) for e in caught.value.errors]


def test_a_good_file_reads() -> None:
    records = csvinput.read(HEADER + ROW, "pay.csv")
    assert [(r.employee_id, r.base_pay, r.group) for r in records] == [
        ("1", 50000.0, "female"),
        ("2", 52000.0, "male"),
    ]


def test_a_duplicate_column_is_refused_not_guessed() -> None:
    # a dict per row would silently keep only the second base_pay
    errors = refused("employee_id,base_pay,base_pay,gender\n1,50000,90000,female\n")
    assert [(line, field) for line, field, _ in errors] == [(1, "base_pay")]
    assert "more than once" in errors[0][2]


def test_an_extra_cell_is_refused_with_its_line() -> None:
    # the old reader dropped the extra cell and read the row as if it were whole
    errors = refused(HEADER + "1,50000,Eng,L1,female\n2,52000,Eng,L1,male,oops\n")
    assert [(line, field) for line, field, _ in errors] == [(3, "row")]


def test_a_nul_byte_is_refused() -> None:
    errors = refused(HEADER + "1,50000,Eng,L1,fe\x00male\n")
    assert [field for _, field, _ in errors] == ["file"]
    assert "NUL" in errors[0][2]


def test_a_bare_carriage_return_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "pay.csv"
    path.write_bytes((HEADER + '1,50000,"Eng\rL1",L1,female\n').encode())
    text = path.read_bytes().decode()
    try:
        records = csvinput.read(text, "pay.csv")
    except ValidationFailed as caught:  # refused with a line, never a crash
        assert all(e.line is not None for e in caught.errors)
    else:
        assert [r.employee_id for r in records] == ["1"]
    path.write_bytes(b"employee_id,base_pay\r1,50000\r2\r\x00")
    with pytest.raises(CommandError, match=r"pay\.csv"):
        call_command("fairness", "audit", str(path))


def test_unknown_columns_and_missing_required_ones_are_named() -> None:
    errors = refused("employee_id,salary,gender\n1,50000,female\n")
    fields = {field for _, field, _ in errors}
    assert fields == {"salary", "base_pay"}
    assert all(line == 1 for line, _, _ in errors)


def test_a_header_without_rows_is_refused() -> None:
    errors = refused(HEADER)
    assert [(line, field) for line, field, _ in errors] == [(2, "file")]
