"""The rules of 360 and upward feedback (pure: no Django, no ORM).

- Questions are open and developmental: strengths, one thing to start, one thing to stop,
  and growth on a named skill when the request names one. There is no rating and no
  number to average: nothing here can feed pay or the fairness audit.
- Upward answers are shown only when the request is closed (so no single new answer can
  be spotted by reading before and after it) and at least the minimum answered — the
  organisation's anonymity minimum, never below pulse's floor of three.
- Differencing: two upward requests about the same person whose sets of answerers differ
  by 1 to minimum − 1 people would let a reader subtract one set of answers from the
  other and read what those few wrote. A new request whose invited people differ so from
  an earlier one's is refused; and a closed request whose answerers differ so from an
  earlier shown request's answerers stays hidden.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ampwork.core.words import gettext as _
from ampwork.core.words import gettext_lazy, ngettext
from ampwork.pulse.anonymity import effective_minimum

QUESTIONS = {
    "strengths": gettext_lazy("What are my strengths — what should I keep doing?"),
    "start": gettext_lazy("One thing I could start doing"),
    "stop": gettext_lazy("One thing I could stop doing"),
    "skill": gettext_lazy("How could I grow in {skill}?"),
}
T = TypeVar("T")

ORDER = ("strengths", "start", "stop", "skill")


def questions(skill: str | None) -> list[tuple[str, str]]:
    """The request's questions as (key, text); the skill question only with a skill."""
    return [
        (key, str(QUESTIONS[key]).format(skill=skill or ""))
        for key in ORDER
        if key != "skill" or skill
    ]


def too_close(a: Iterable[int], b: Iterable[int], minimum: int) -> bool:
    """Whether two sets of people differ by 1 to minimum − 1: subtracting what one set
    wrote from what the other wrote would leave the words of fewer than the minimum."""
    diff = len(set(a) ^ set(b))
    return 0 < diff < effective_minimum(minimum)


@dataclass(frozen=True)
class Visibility:
    shown: bool
    reason: str = ""


def upward_visibility(
    *,
    closed: bool,
    answered: Sequence[int],
    minimum: int,
    earlier_shown: Sequence[Sequence[int]] = (),
) -> Visibility:
    """Whether an upward request's answers may be read (by its receiver)."""
    floor = effective_minimum(minimum)
    if len(answered) < floor:
        return Visibility(False, _hidden_until(floor))
    if not closed:
        return Visibility(False, _("answers appear when the request closes"))
    if any(too_close(answered, before, floor) for before in earlier_shown):
        return Visibility(
            False,
            _(
                "hidden so that it cannot be worked out by subtraction: its answerers differ "
                "from an earlier request's by fewer than %(count)d people"
            )
            % {"count": floor},
        )
    return Visibility(True)


def combined(items: Iterable[T], rng: random.Random | None = None) -> list[T]:
    """Anonymous answers in an order that tells nothing: shuffled."""
    out = list(items)
    (rng or random.SystemRandom()).shuffle(out)
    return out


def progress(answered: int, asked: int, *, upward: bool, minimum: int) -> str:
    """ "3 of 5 answered", and for upward feedback below the minimum, that it stays hidden."""
    text = _("%(answered)d of %(asked)d answered") % {"answered": answered, "asked": asked}
    floor = effective_minimum(minimum)
    if upward and answered < floor:
        text += " — " + _hidden_until(floor)
    return text


def _hidden_until(floor: int) -> str:
    return ngettext(
        "below the minimum of %(count)d: hidden until %(count)d answer",
        "below the minimum of %(count)d: hidden until %(count)d answers",
        floor,
    ) % {"count": floor}
