"""Hints that help people write good OKRs. Advice only: nothing here blocks saving."""

from __future__ import annotations

import re

from ampwork.core.words import gettext as _

# Verbs that usually start a task ("what I will do") rather than an outcome ("what will be
# different"). A product heuristic, documented in docs/methods.md.
TASK_VERBS = {
    "build",
    "create",
    "write",
    "hire",
    "launch",
    "implement",
    "finish",
    "complete",
    "do",
    "make",
    "run",
    "hold",
    "organise",
    "organize",
    "set up",
    "setup",
    "start",
    "send",
    "attend",
    "prepare",
    "update",
    "migrate",
    "deploy",
    "develop",
    "design",
    "research",
}
MEASURE = re.compile(r"\d|%|percent|per |from .* to ", re.IGNORECASE)


def objective_hints(title: str) -> list[str]:
    hints = []
    first = title.strip().lower()
    if any(first == v or first.startswith(v + " ") for v in TASK_VERBS):
        hints.append(
            _(
                "This reads like a task. An objective says what will be different when "
                "you succeed — e.g. “Customers get answers within a day” rather than "
                "“Hire two agents”."
            )
        )
    if len(title.strip()) > 120:
        hints.append(_("Short objectives are remembered: aim for one line."))
    return hints


def key_result_hints(title: str, kind: str) -> list[str]:
    hints = []
    if kind == "numeric" and not MEASURE.search(title):
        hints.append(
            _(
                "A key result is measurable: name the number that will move, e.g. "
                "“Median first reply from 30 h to 8 h”."
            )
        )
    first = title.strip().lower()
    if kind == "boolean" and any(first.startswith(v + " ") for v in TASK_VERBS):
        hints.append(
            _(
                "Done / not done key results are often tasks in disguise; is there a "
                "number that shows the outcome instead?"
            )
        )
    return hints
