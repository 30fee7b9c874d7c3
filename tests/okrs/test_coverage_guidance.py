"""The writing hints for objectives and key results (okrs/guidance.py, a pure module):
each hint appears exactly when its rule says, and never otherwise."""

from __future__ import annotations

import pytest

from ampwork.okrs.guidance import key_result_hints, objective_hints


@pytest.mark.parametrize(
    "title",
    ["Write the ingest runbook", "  hire two agents", "Set up the build farm", "deploy"],
)
def test_an_objective_that_starts_with_a_task_verb_reads_like_a_task(title: str) -> None:
    hints = objective_hints(title)
    assert len(hints) == 1
    assert hints[0].startswith("This reads like a task.")


@pytest.mark.parametrize(
    "title",
    ["Customers get answers within a day", "Writers love our editor", "Deployments are boring"],
)
def test_an_outcome_gets_no_hint(title: str) -> None:
    # "Writers"/"Deployments" start with a task verb's letters but not with the verb
    assert objective_hints(title) == []


def test_a_long_objective_is_asked_to_be_short() -> None:
    title = "Customers " + "really " * 20 + "get answers"
    assert len(title) > 120
    assert objective_hints(title) == ["Short objectives are remembered: aim for one line."]
    exactly = "C" * 120
    assert objective_hints(exactly) == []  # 120 characters is still one line
    both = objective_hints("Build " + "x" * 120)
    assert [h[:20] for h in both] == ["This reads like a ta", "Short objectives are"]


@pytest.mark.parametrize(
    "title",
    ["Median first reply from 30 h to 8 h", "Churn under 2%", "Pages per visit up", "NPS 40"],
)
def test_a_numeric_key_result_that_names_a_number_gets_no_hint(title: str) -> None:
    assert key_result_hints(title, "numeric") == []


def test_a_numeric_key_result_without_a_measure_is_asked_for_one() -> None:
    hints = key_result_hints("Happier customers", "numeric")
    assert len(hints) == 1
    assert hints[0].startswith("A key result is measurable")
    # the same title as a done / not done key result is not asked for a number
    assert key_result_hints("Happier customers", "boolean") == []


def test_a_done_key_result_that_starts_with_a_task_verb_is_a_task_in_disguise() -> None:
    hints = key_result_hints("Launch the new onboarding", "boolean")
    assert len(hints) == 1
    assert hints[0].startswith("Done / not done key results are often tasks")
    # a numeric one is judged by its measure only
    assert key_result_hints("Launch 3 onboarding flows", "numeric") == []
    # the verb must be a whole first word, and a lone verb is not "verb + something"
    assert key_result_hints("Launched onboarding", "boolean") == []
    assert key_result_hints("Launch", "boolean") == []
