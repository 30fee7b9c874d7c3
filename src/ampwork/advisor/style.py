"""Reward-style guidance (pure): four questions about a role or an objective classify its
work as algorithmic or heuristic, and recommend a reward practice (docs/methods.md#reward-style).

Each answer that points to heuristic work counts one: no known procedure, output that
cannot simply be counted, quality that is judged, a task that is new. Two or more → heuristic.
A tie (two of four) is treated as heuristic on purpose: an if-then reward on creative work
costs more than a missed bonus on routine work (a product choice).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

QUESTIONS = (
    (
        "known_procedure",
        gettext_lazy("Is there a known procedure — steps that, followed, get it done?"),
    ),
    ("countable", gettext_lazy("Is the output countable (units, tickets, calls), not judged?")),
    ("quality_judged", gettext_lazy("Is quality judged — by customers, peers, taste?")),
    ("novel", gettext_lazy("Is the task new: has nobody here done it this way before?")),
)
HEURISTIC_FROM = 2

RECOMMENDATIONS = {
    "algorithmic": gettext_lazy(
        "Routine, algorithmic work: an if-then reward can work here. Give the reason the "
        "task matters, acknowledge that it is dull, and leave people free in how they do it."
    ),
    "heuristic": gettext_lazy(
        "Creative, heuristic work: pay fairly and well so money is off the table, and "
        "recognise after the fact (“now that you…”) — no if-then bonus. Feedback that is "
        "specific and informational helps more than any prize."
    ),
}


@dataclass(frozen=True)
class Answers:
    known_procedure: bool
    countable: bool
    quality_judged: bool
    novel: bool

    def as_dict(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name, _ in QUESTIONS}


@dataclass(frozen=True)
class Verdict:
    work_style: str
    points: int
    reasons: list[str]
    recommendation: str


def classify(answers: Answers) -> Verdict:
    reasons = []
    if not answers.known_procedure:
        reasons.append(_("no known procedure"))
    if not answers.countable:
        reasons.append(_("the output is not simply counted"))
    if answers.quality_judged:
        reasons.append(_("quality is judged"))
    if answers.novel:
        reasons.append(_("the task is new"))
    style = "heuristic" if len(reasons) >= HEURISTIC_FROM else "algorithmic"
    return Verdict(style, len(reasons), reasons, str(RECOMMENDATIONS[style]))
