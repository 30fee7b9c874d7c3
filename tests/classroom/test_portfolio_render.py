"""The conference PDF's pure renderer (``classroom/portfolio.py``) on the shapes a page
meets: a goal with nothing written yet, no progress, many goals past a page break, a
teacher's copy of an empty portfolio, and the built-in fonts when DejaVu is missing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from ampwork.classroom import portfolio

DAY = dt.date(2026, 12, 2)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def bare_goal(title: str, progress: float = 0.0) -> portfolio.GoalPage:
    return portfolio.GoalPage(
        kind="Mastery",
        title=title,
        progress=progress,
        cycle="Autumn term",
        starting_point="",
        key_results=[],
        action_plan="",
        steps=[],
        check_ins=[],
        celebration="",
    )


def test_a_goal_with_nothing_written_says_so_under_each_heading() -> None:
    doc = portfolio.Portfolio("Ann", "Hillside", DAY, None, goals=[bare_goal("Learn to swim")])
    text = text_of(portfolio.render(doc))
    assert "Learn to swim" in text
    assert text.count("Not written yet.") == 2  # where I am now, my action plan
    assert "0% of the way there" in text
    assert "My check-ins" not in text  # none: no heading
    assert "What I am proud of" not in text


def test_a_teachers_copy_of_an_empty_portfolio_gives_the_student_no_steps() -> None:
    doc = portfolio.Portfolio("Ann", "Hillside", DAY, None, by_student=False)
    text = text_of(portfolio.render(doc))
    assert "Nothing has been shared for this portfolio yet." in text
    assert "What to do next" not in text


def test_many_goals_break_onto_new_pages_with_their_bars() -> None:
    goals = [bare_goal(f"Goal number {n}", progress=n / 40) for n in range(40)]
    doc = portfolio.Portfolio("Ann", "Hillside", DAY, None, goals=goals)
    reader = PdfReader(io.BytesIO(portfolio.render(doc)))
    assert len(reader.pages) > 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(f"Goal number {n}" in text for n in range(40))
    assert "98% of the way there" in text  # 39/40, the last bar


def test_without_dejavu_the_built_in_fonts_replace_what_they_cannot_print(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(portfolio, "font_files", lambda: None)
    doc = portfolio.Portfolio(
        "Łukasz — Ωmega", "Hillside", DAY, "I am here to “learn”", goals=[bare_goal("Read")]
    )
    text = text_of(portfolio.render(doc))
    assert "?ukasz - ?mega" in text  # outside Latin-1: a question mark; the dash: a hyphen
    assert '"learn"' in text


def test_a_font_without_a_character_map_prints_the_text_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = portfolio.font_files()
    if found is None:
        pytest.skip("DejaVu Sans is not on this machine")
    regular: Path = found[0]
    assert regular.is_file()
    doc = portfolio._Document("A4", "Ann")
    doc.add_page()
    monkeypatch.setattr(doc, "current_font", object())  # no cmap to consult
    assert doc.safe("Ωmega") == "Ωmega"
