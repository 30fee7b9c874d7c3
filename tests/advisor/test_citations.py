"""Citations the product shows or documents, checked against their sources (issue 13,
item 8): Deci, Koestner & Ryan (1999, abstract): engagement-, completion- and
performance-contingent rewards undermined free-choice intrinsic motivation, d = −0.40,
−0.36 and −0.28; 3M's programme is 15% time, Google's 20% the "one day a week"; the
8 / 5 / 2 suggested confidence is ampwork's own rule."""

from __future__ import annotations

from pathlib import Path

from ampwork.advisor import traps
from ampwork.okrs import progress

METHODS = (Path(__file__).resolve().parents[2] / "docs" / "methods.md").read_text()


def test_the_reward_trap_cites_each_contingency_with_its_effect() -> None:
    source = traps.SOURCES["if-then-creative"]
    assert "engagement-contingent d = −0.40" in source
    assert "completion-contingent −0.36" in source
    assert "performance-contingent −0.28" in source
    assert "task-contingent" not in source  # −0.40 is not the task-contingent effect


def test_the_methods_cite_the_same_effects() -> None:
    assert "engagement-contingent d = −0.40, completion-contingent −0.36" in METHODS
    assert "performance-contingent −0.28" in METHODS


def test_3m_is_15_percent_time_and_googles_20_percent_is_one_day_a_week() -> None:
    assert "3M's programme, since 1948, is 15% time" in " ".join(METHODS.split())
    assert "Google's and 3M's" not in METHODS


def test_the_suggested_confidence_is_a_product_rule_not_tabilitys() -> None:
    assert "the convention Tability uses" not in METHODS
    assert "ampwork's product rule" in METHODS
    doc = progress.suggested_confidence.__doc__ or ""
    assert "product rule" in doc
    assert "Tability's convention" not in doc
