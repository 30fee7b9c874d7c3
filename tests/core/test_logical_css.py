"""Right-to-left readiness (issue 21): the stylesheets say start and end, never left and right.

A page in a right-to-left language (dir="rtl") mirrors by itself when every rule is written
with logical properties — margin-inline-start, padding-inline-end, inset-inline-start,
border-inline-start, text-align: start, float: inline-end … A physical left or right
(margin-left, right: 0, text-align: left, border-top-left-radius, a four-value margin whose
left and right differ) stays where it is and breaks the mirror. A failure names the file,
the line and the declaration. Directions that are not properties (a gradient's "to left")
mirror with a :dir(rtl) rule beside them; tests/e2e/test_right_to_left.py looks at pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "ampwork" / "static"
STYLESHEETS = sorted(STATIC.glob("**/*.css"))

SIDE = r"(?:left|right)"
PHYSICAL_PROPERTY = re.compile(
    rf"^(?:{SIDE}"
    rf"|(?:margin|padding|border|scroll-margin|scroll-padding)-{SIDE}(?:-[a-z]+)?"
    rf"|border-(?:top|bottom)-{SIDE}-radius)$"
)
PHYSICAL_VALUE = re.compile(r"^(?:text-align|text-align-last|float|clear)$")
FOUR_SIDES = re.compile(
    r"^(?:margin|padding|inset|scroll-margin|scroll-padding|border-width|border-style|border-color)$"
)
DECLARATION = re.compile(r"(?<![-\w.#:])([a-z-]+)\s*:\s*([^;{}]+)")


def _without_comments(css: str) -> str:
    """The stylesheet with each comment blanked out (its newlines kept: lines still count)."""
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), css, flags=re.S)


def physical_declarations(css: str) -> list[tuple[int, str]]:
    """(line, declaration) of every declaration that sets a physical left or right."""
    text = _without_comments(css)
    found: list[tuple[int, str]] = []
    for match in DECLARATION.finditer(text):
        prop, value = match.group(1), match.group(2).strip()
        words = value.replace("!important", "").split()
        physical = (
            PHYSICAL_PROPERTY.match(prop) is not None
            or (PHYSICAL_VALUE.match(prop) is not None and words[:1] in (["left"], ["right"]))
            or (FOUR_SIDES.match(prop) is not None and len(words) == 4 and words[1] != words[3])
            or (prop == "border-radius" and _asymmetric_radius(value))
        )
        if physical:
            line = text.count("\n", 0, match.start()) + 1
            found.append((line, f"{prop}: {value}"))
    return found


def _asymmetric_radius(value: str) -> bool:
    """border-radius: a b c d (or a b / …) whose left corners differ from its right ones."""
    for half in value.split("/"):
        corners = half.split()
        if len(corners) == 2 and corners[0] != corners[1]:
            return True
        if len(corners) == 3 and corners[0] != corners[1]:
            return True
        if len(corners) == 4 and (corners[0] != corners[1] or corners[2] != corners[3]):
            return True
    return False


def test_there_are_stylesheets_to_check() -> None:
    assert STYLESHEETS, f"no stylesheet under {STATIC}"


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda p: str(p.relative_to(STATIC)))
def test_stylesheet_uses_logical_properties(stylesheet: Path) -> None:
    found = physical_declarations(stylesheet.read_text(encoding="utf-8"))
    assert found == [], (
        f"{stylesheet.relative_to(STATIC.parent)} sets a physical left/right (use "
        "margin-inline-start/end, padding-inline-*, inset-inline-*, border-inline-*, "
        "text-align: start/end, float: inline-start/end):\n"
        + "\n".join(f"  line {line}: {declaration}" for line, declaration in found)
    )


@pytest.mark.parametrize(
    "css",
    [
        ".a { margin-left: 1rem; }",
        ".a { padding-right: 1rem; }",
        ".a { position: absolute; left: 0; }",
        ".a { right: 0 }",
        ".a { text-align: left; }",
        ".a { text-align: right !important; }",
        ".a { float: right; }",
        ".a { border-left: 1px solid red; }",
        ".a { border-right-color: red; }",
        ".a { border-top-left-radius: 4px; }",
        ".a { margin: 0 0 .25rem .5rem; }",
        ".a { border-radius: 4px 0 0 4px; }",
    ],
)
def test_the_check_finds_a_physical_declaration(css: str) -> None:
    assert [line for line, _ in physical_declarations(css)] == [1]


@pytest.mark.parametrize(
    "css",
    [
        ".a { margin-inline-start: 1rem; padding-inline: .5rem 0; inset-inline-end: 0; }",
        ".a { text-align: start; float: inline-end; border-inline-start: 1px solid; }",
        ".a { margin: 0 auto; padding: .25rem 1rem .5rem; border-radius: 8px; }",
        ".a { background: linear-gradient(to left, #fff, #000); } /* left: 0 in a comment */",
        ".align-left:hover { color: red; } .left:focus { color: red; }",
    ],
)
def test_the_check_lets_logical_declarations_be(css: str) -> None:
    assert physical_declarations(css) == []
