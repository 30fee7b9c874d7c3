"""Goldilocks calibration: is someone's work too easy, too hard, or worth a review?
(pure: no Django, no ORM)

The rules (docs/methods.md#goldilocks; a product rule drawn from Google's OKR scoring
conventions, where aspirational key results average about 0.7 and committed ones are
expected to reach 1.0):

- **too easy** — the person's aspirational key results averaged ≥ 0.9 in two cycles in a
  row (a closed cycle counts its scores, the open one its progress to date), or an
  aspirational key result's first check-in, in the cycle's first week, had confidence ≥ 9;
- **too hard / under-resourced** — their key results in the last closed cycle averaged
  ≤ 0.3, or a key result of the open cycle had confidence ≤ 2 in each of its last three
  check-ins, spanning at least two weeks;
- **review** — a committed key result of the last closed cycle scored below 1.0.

Every flag carries the evidence behind it and a suggested conversation; a flag is never
a label without its reasons. When no rule can be judged yet, the answer says so and
gives no label.

Thresholds are compared exactly (:func:`ampwork.okrs.progress.compare`): an average is
the exact mean of the scores as typed and of progress as computed from its key result's
inputs, so 0.2 and 0.4 average exactly 0.3, and 0.8999999999 is below 0.9.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import partial

from ampwork.core.l10n import format_day, written
from ampwork.core.words import get_language, gettext_lazy, pgettext, pgettext_lazy
from ampwork.core.words import gettext as _
from ampwork.okrs.progress import Explained, as_exact, compare

EASY_AVERAGE = Decimal("0.9")
EASY_CONFIDENCE = 9
HARD_AVERAGE = Decimal("0.3")
COMMITTED = Decimal("1.0")  # committed key results are expected to reach 1.0
HARD_SPAN_DAYS = 14  # the low check-ins span at least two weeks
HARD_CONFIDENCE = 2
HARD_WEEKS = 3
FIRST_WEEK_DAYS = 7

LABELS = {
    "too_easy": pgettext_lazy("calibration", "too easy"),
    "too_hard": pgettext_lazy("calibration", "too hard / under-resourced"),
    "review": pgettext_lazy("calibration", "review"),
}
CONVERSATIONS = {
    "too_easy": gettext_lazy(
        "Ask what a real stretch would look like next cycle — what would make 0.7 feel like "
        "an achievement? Check whether anything makes safe targets feel safer (a bonus, "
        "a fear of missing, how scores are read)."
    ),
    "too_hard": gettext_lazy(
        "Ask what is in the way: is the goal too big, are time, help or skills missing, or "
        "does it depend on things outside their control? Agree what to cut, what support "
        "to get, or a smaller first step."
    ),
    "review": gettext_lazy(
        "Talk through the committed key result that was missed, without blame: was it "
        "planning, a dependency or a change of priorities? Agree what to commit to "
        "differently, or whether it should have been aspirational."
    ),
}


@dataclass(frozen=True)
class KRFacts:
    """One key result a person owns, as plain values."""

    id: int
    title: str
    kind: str  # committed | aspirational (the objective's)
    cycle_id: int
    cycle_name: str
    cycle_start: dt.date
    closed: bool
    score: float | None  # set at close
    progress: float | None  # to date
    confidences: tuple[tuple[dt.date, int], ...] = ()  # check-ins, oldest first
    objective_id: int = 0
    last_check_in: dt.date | None = None
    # the exact progress (``Explained.exact`` of okrs.progress), when progress was computed
    progress_exact: Callable[[], Fraction] | None = field(default=None, compare=False, repr=False)

    @property
    def value(self) -> float | None:
        """The score once the cycle is closed, the progress to date before."""
        return self.score if self.closed else self.progress

    def exact(self) -> Fraction:
        """:attr:`value`, exactly: a score as typed, progress from its inputs."""
        if not self.closed and self.progress_exact is not None:
            return self.progress_exact()
        value = self.value
        assert value is not None  # the rules read only key results with a value
        return as_exact(value)


def _day(day: dt.date) -> str:
    """'07 Dec' in English (as the evidence always wrote it), each language's own short
    date elsewhere."""
    if (get_language() or "en").startswith("en"):
        return f"{day:%d %b}"
    return format_day(day, "day_month")


@dataclass
class Flag:
    kind: str
    evidence: list[str]
    key_results: list[int]

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def conversation(self) -> str:
        return str(CONVERSATIONS[self.kind])


@dataclass
class Calibration:
    flags: list[Flag] = field(default_factory=list)
    judged: list[str] = field(default_factory=list)  # which rules had data to judge
    enough: bool = False
    message: str = ""
    key_results: int = 0  # how many key results the person owns

    @property
    def short(self) -> str:
        """A table cell's words when no flag fires. The rules read key results, not the
        weekly ratings: the words say so."""
        if self.enough:
            return pgettext("calibration", "none")
        if not self.key_results:
            return _("no key results yet")
        return _("key results too new to judge")


def _mean(krs: Sequence[KRFacts]) -> Explained:
    """The mean value of key results that have one; exact only when asked (near a
    threshold)."""
    mean = sum(k.value or 0.0 for k in krs) / len(krs)
    return Explained(mean, "", partial(_exact_mean, krs))  # pragma: no mutate (text unused)


def _exact_mean(krs: Sequence[KRFacts]) -> Fraction:
    return Fraction(sum(k.exact() for k in krs)) / len(krs)


def _cycles(krs: Sequence[KRFacts]) -> list[tuple[int, str, dt.date, bool]]:
    seen = {(k.cycle_id, k.cycle_name, k.cycle_start, k.closed) for k in krs}
    return sorted(seen, key=lambda c: (c[2], c[0]))


def calibrate(krs: Sequence[KRFacts]) -> Calibration:
    out = Calibration(key_results=len(krs))
    if not krs:
        out.message = _("No key results yet: nothing to calibrate.")
        return out
    cycles = _cycles(krs)
    by_cycle: dict[int, list[KRFacts]] = defaultdict(list)
    for kr in krs:
        by_cycle[kr.cycle_id].append(kr)
    _too_easy(out, cycles, by_cycle)
    _too_hard(out, cycles, by_cycle)
    _review(out, cycles, by_cycle)
    out.flags = _merged(out.flags)
    out.enough = bool(out.judged)
    if not out.enough:
        out.message = _(
            "Too little data to judge yet: no closed cycle, no aspirational key result "
            "checked in during its first week, and no key result with three check-ins."
        )
    elif not out.flags:
        out.message = _("Challenge looks about right: none of the rules fires.")
    return out


def _merged(flags: list[Flag]) -> list[Flag]:
    """One flag per kind, carrying all of its evidence, in the order kinds first fired."""
    by_kind: dict[str, Flag] = {}
    for flag in flags:
        if flag.kind in by_kind:
            by_kind[flag.kind].evidence.extend(flag.evidence)
            by_kind[flag.kind].key_results.extend(flag.key_results)
        else:
            by_kind[flag.kind] = Flag(flag.kind, list(flag.evidence), list(flag.key_results))
    return list(by_kind.values())


def _too_easy(
    out: Calibration,
    cycles: list[tuple[int, str, dt.date, bool]],
    by_cycle: dict[int, list[KRFacts]],
) -> None:
    averages: list[tuple[str, bool, Explained, list[int]]] = []
    for cycle_id, name, _start, closed in cycles:
        krs = [k for k in by_cycle[cycle_id] if k.kind == "aspirational" and k.value is not None]
        if krs:
            averages.append((name, closed, _mean(krs), [k.id for k in krs]))
    if len(averages) >= 2:
        out.judged.append("too_easy:two_cycles")
    for first, second in itertools.pairwise(averages):
        if compare(first[2], EASY_AVERAGE) >= 0 and compare(second[2], EASY_AVERAGE) >= 0:
            out.flags.append(
                Flag(
                    "too_easy",
                    [
                        (
                            _("Aspirational key results averaged %(average)s in %(cycle)s (scored)")
                            if closed
                            else _(
                                "Aspirational key results averaged %(average)s in %(cycle)s "
                                "(to date)"
                            )
                        )
                        % {"average": written(f"{a.value:.2f}"), "cycle": name}
                        for name, closed, a, _ids in (first, second)
                    ]
                    + [
                        _(
                            "Aspirational work is expected to average about 0.7; ≥ %(easy)s "
                            "twice in a row suggests goals set where they are safe."
                        )
                        % {"easy": EASY_AVERAGE}
                    ],
                    first[3] + second[3],
                )
            )
            break
    for cycle_id, name, start, _closed in cycles:
        for kr in by_cycle[cycle_id]:
            if kr.kind != "aspirational" or not kr.confidences:
                continue
            day, confidence = kr.confidences[0]
            if (day - start).days > FIRST_WEEK_DAYS:
                continue
            out.judged.append("too_easy:first_week")
            if confidence >= EASY_CONFIDENCE:
                out.flags.append(
                    Flag(
                        "too_easy",
                        [
                            _(
                                "“%(title)s” (%(cycle)s, aspirational) started with confidence "
                                "%(confidence)s/10 on %(day)s: already sure of a stretch goal "
                                "in its first week."
                            )
                            % {
                                "title": kr.title,
                                "cycle": name,
                                "confidence": confidence,
                                "day": _day(day),
                            }
                        ],
                        [kr.id],
                    )
                )


def _too_hard(
    out: Calibration,
    cycles: list[tuple[int, str, dt.date, bool]],
    by_cycle: dict[int, list[KRFacts]],
) -> None:
    closed = [c for c in cycles if c[3]]
    if closed:
        cycle_id, name, _start, _closed = closed[-1]
        scored = [k for k in by_cycle[cycle_id] if k.score is not None]
        if scored:
            out.judged.append("too_hard:last_close")
            average = _mean(scored)  # a closed cycle: its values are the scores
            if compare(average, HARD_AVERAGE) <= 0:
                out.flags.append(
                    Flag(
                        "too_hard",
                        [
                            _(
                                "Key results in %(cycle)s averaged %(average)s at close "
                                "(≤ %(hard)s: the red band) across %(count)d of them."
                            )
                            % {
                                "cycle": name,
                                "average": written(f"{average.value:.2f}"),
                                "hard": HARD_AVERAGE,
                                "count": len(scored),
                            }
                        ],
                        [k.id for k in scored],
                    )
                )
    for cycle_id, name, _start, is_closed in cycles:
        if is_closed:
            continue
        for kr in by_cycle[cycle_id]:
            last = kr.confidences[-HARD_WEEKS:]
            if len(last) < HARD_WEEKS:
                continue
            out.judged.append("too_hard:confidence")
            span = (last[-1][0] - last[0][0]).days
            if all(c <= HARD_CONFIDENCE for _day_, c in last) and span >= HARD_SPAN_DAYS:
                out.flags.append(
                    Flag(
                        "too_hard",
                        [
                            _(
                                "“%(title)s” (%(cycle)s): confidence %(confidences)s — at most "
                                "%(hard)s/10 three check-ins running."
                            )
                            % {
                                "title": kr.title,
                                "cycle": name,
                                "confidences": ", ".join(
                                    _("%(confidence)s on %(day)s")
                                    % {"confidence": c, "day": _day(d)}
                                    for d, c in last
                                ),
                                "hard": HARD_CONFIDENCE,
                            }
                        ],
                        [kr.id],
                    )
                )


def _review(
    out: Calibration,
    cycles: list[tuple[int, str, dt.date, bool]],
    by_cycle: dict[int, list[KRFacts]],
) -> None:
    closed = [c for c in cycles if c[3]]
    if not closed:
        return
    cycle_id, name, _start, _closed = closed[-1]
    committed = [k for k in by_cycle[cycle_id] if k.kind == "committed" and k.score is not None]
    if not committed:
        return
    out.judged.append("review")
    missed = [k for k in committed if k.score is not None and compare(k.score, COMMITTED) < 0]
    if missed:
        out.flags.append(
            Flag(
                "review",
                [
                    _(
                        "“%(title)s” (%(cycle)s, committed) closed at %(score)s; committed key "
                        "results are expected to reach 1.0."
                    )
                    % {"title": k.title, "cycle": name, "score": written(f"{k.score:.2f}")}
                    for k in missed
                ],
                [k.id for k in missed],
            )
        )
