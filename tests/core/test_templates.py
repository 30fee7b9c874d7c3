"""Templates stay readable: no line over 200 characters."""

from __future__ import annotations

from pathlib import Path

import ampwork

LIMIT = 200
PACKAGE = Path(ampwork.__file__).parent


def templates() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("templates/**/*") if p.is_file())


def test_templates_are_found() -> None:
    found = {p.relative_to(PACKAGE).as_posix() for p in templates()}
    assert "templates/base.html" in found
    assert "core/templates/core/home.html" in found
    assert len(found) > 50


def test_no_template_line_is_over_200_characters() -> None:
    long = [
        f"{path.relative_to(PACKAGE)}:{number}: {len(line)} characters"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > LIMIT
    ]
    assert long == []
