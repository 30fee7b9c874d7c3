"""OKR maths: progress, roll-up, pacing, confidence, staleness and scoring. No ORM.

Every function takes plain values and returns plain values; each number comes with the
text that explains how it was computed (``Explained``), which the pages show one click
away. Formulas and thresholds: docs/methods.md, section OKRs.

Numbers are shown as floats, but every boundary that decides a grade, a colour band, a
pacing status or a suggested confidence is decided in exact rational arithmetic: a
number a person typed (stored as a float) is read as the decimal it prints as (1.45 is
145/100, not the binary 1.4499999999999999556…), and progress carries its exact value
(``Explained.exact``), computed from the inputs only when a float lands within
:data:`NEAR` of a boundary. So start 1, target 2, current 1.45 grades 0.5, and progress
exactly on expected − 0.10 is on track.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import partial
from typing import NamedTuple

from ampwork.core.l10n import format_measure, written
from ampwork.core.words import gettext, ngettext, pgettext, pgettext_lazy

ON_TRACK = "on track"
AT_RISK = "at risk"
OFF_TRACK = "off track"
NOT_STARTED = "not started"
AT_RISK_MARGIN = Decimal("0.1")  # product choice: below expected − 0.10 is at risk
OFF_TRACK_MARGIN = Decimal("0.25")  # product choice: below expected − 0.25 is off track
HIGH_PROJECTION = Decimal("0.7")  # product rule: projected ≥ 70% of the target → high (8)
MEDIUM_PROJECTION = Decimal("0.5")  # projected ≥ 50% → medium (5); below → low (2)
TOO_EARLY = Decimal("0.1")  # no suggested confidence before a tenth of the cycle
RED_MAX = Decimal("0.3")  # Google's bands: 0.0–0.3 red,
YELLOW_MAX = Decimal("0.6")  # 0.4–0.6 yellow, 0.7–1.0 green
GRADE = Decimal("0.1")  # scores are graded to one decimal, half up
STALE_DAYS = 14  # product choice
# product choice: a key result with no check-in is "not started" for as long as it is not
# stale — its first 14 days — and judged (at its progress, 0) from then on
GRACE_DAYS = STALE_DAYS
MAX_OBJECTIVES = 5  # Doerr: 3–5 objectives per cycle
MIN_OBJECTIVES = 3
MAX_KEY_RESULTS = 5  # Doerr: at most 5 key results per objective


# A float within NEAR of a boundary is not trusted to decide it: the exact value is
# worked out instead. Floats of progress-sized numbers computed here are off by < 1e-11
# (numeric_progress computes exactly when start and target are too close for floats).
# Both constants only set how often the exact path runs (any NEAR in (1e-11, 1) decides
# the same), so mutating them makes equivalent mutants: scripts/mutation.py skips them.
NEAR = 1e-9  # pragma: no mutate
_ILL_CONDITIONED = 1e4  # pragma: no mutate

Number = float | int | Decimal | Fraction


def as_exact(x: Number) -> Fraction:
    """A number as the exact decimal it stands for: a float is read as the shortest
    decimal that prints as it (``repr``), so 1.45 is 29/20 — never the binary value."""
    if isinstance(x, float):
        return Fraction(repr(float(x)))  # float(): a numpy float64 prints differently
    return Fraction(x)


class Explained:
    """A number and the text that explains it. The text is formatted only when read:
    a cycle of 100,000 key results computes 100,000 numbers, and shows a few of the texts.

    ``exact`` gives the number's exact value: computed from the inputs (when given a
    function) only when asked, which the boundaries do only when the float is within
    :data:`NEAR` of them.
    """

    __slots__ = ("_exact", "_how", "value")

    def __init__(
        self,
        value: float,
        how: str | Callable[[], str],
        exact: Fraction | Callable[[], Fraction] | None = None,
    ) -> None:
        self.value = value
        self._how = how
        self._exact = exact

    @property
    def how(self) -> str:
        if callable(self._how):
            self._how = self._how()
        return self._how

    def exact(self) -> Fraction:
        found = self._exact
        if found is None:
            found = as_exact(self.value)
        elif callable(found):
            found = found()
        self._exact = found
        return found

    def __repr__(self) -> str:
        return f"Explained({self.value!r}, {self.how!r})"


def _status_label(status: str) -> str:
    """A pacing status in the reader's words (the status itself stays English)."""
    labels = {
        ON_TRACK: pgettext("pacing", "on track"),
        AT_RISK: pgettext("pacing", "at risk"),
        OFF_TRACK: pgettext("pacing", "off track"),
        NOT_STARTED: pgettext("pacing", "not started"),
    }
    return labels.get(status, status)


def _two(x: float) -> str:
    """A share rounded to two decimals the English way, written as its reader writes it."""
    return written(f"{x:.2f}")


def clamp01(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def _clamp_exact(x: Fraction) -> Fraction:
    return Fraction(0) if x < 0 else Fraction(1) if x > 1 else x


Exactish = Number | Explained


def _float(x: Exactish) -> float:
    return x.value if isinstance(x, Explained) else float(x)


def _exact_of(x: Exactish) -> Fraction:
    return x.exact() if isinstance(x, Explained) else as_exact(x)


def compare(x: Exactish, threshold: Exactish) -> int:
    """The sign of x − threshold (−1, 0 or 1), decided exactly. Floats decide when they
    are more than :data:`NEAR` apart (for numbers of the size of progress, far more than
    their rounding error); otherwise the exact values do."""
    a, b = _float(x), _float(threshold)
    if a - b > NEAR:  # pragma: no mutate (fast path; ≥ would be the same)
        return 1
    if b - a > NEAR:  # pragma: no mutate (fast path; ≥ would be the same)
        return -1
    difference = _exact_of(x) - _exact_of(threshold)
    return (difference > 0) - (difference < 0)


# ---------------------------------------------------------------- key results


def numeric_progress(start: float, target: float, current: float) -> Explained:
    """(current − start) / (target − start), clamped to [0, 1].

    Serves decreasing metrics (start > target) unchanged. Never current / target, which
    is wrong whenever start ≠ 0.
    """
    if target == start:
        value = 1.0 if current == target else 0.0
        return Explained(
            value,
            lambda: (
                (
                    gettext("target equals start (%(start)s): reached")
                    if value
                    else gettext("target equals start (%(start)s): not reached")
                )
                % {"start": format_measure(start)}
            ),
        )
    exact = partial(_numeric_exact, start, target, current)
    raw = (current - start) / (target - start)
    if max(abs(start), abs(target)) > _ILL_CONDITIONED * abs(target - start):
        # start and target so close, for their size, that floats lose digits
        raw = float(_ratio(start, target, current))
    value = clamp01(raw)

    def how() -> str:
        values = {
            "current": format_measure(current),
            "start": format_measure(start),
            "target": format_measure(target),
            "raw": _two(raw),
            "value": format_measure(value),
        }
        if value != raw:
            return (
                gettext(
                    "(current − start) / (target − start) = (%(current)s − %(start)s) / "
                    "(%(target)s − %(start)s) = %(raw)s, clamped to %(value)s"
                )
                % values
            )
        return (
            gettext(
                "(current − start) / (target − start) = (%(current)s − %(start)s) / "
                "(%(target)s − %(start)s) = %(raw)s"
            )
            % values
        )

    return Explained(value, how, exact)


def _ratio(start: float, target: float, current: float) -> Fraction:
    begin = as_exact(start)
    return (as_exact(current) - begin) / (as_exact(target) - begin)


def _numeric_exact(start: float, target: float, current: float) -> Fraction:
    return _clamp_exact(_ratio(start, target, current))


def boolean_progress(done: bool) -> Explained:
    if done:
        return Explained(1.0, lambda: pgettext("key result", "done"))
    return Explained(0.0, lambda: gettext("not done yet"))


def milestone_progress(milestones: Sequence[tuple[float, bool]]) -> Explained:
    """Weighted share of milestones completed."""
    total = sum(w for w, _ in milestones)
    if not milestones or total <= 0:
        return Explained(0.0, lambda: gettext("no milestones yet"))
    done = sum(w for w, ok in milestones if ok)
    count = sum(1 for _, ok in milestones if ok)
    return Explained(
        done / total,
        lambda: (
            ngettext(
                "%(count)d of %(all)d milestone done, weighted %(done)s / %(total)s = %(share)s",
                "%(count)d of %(all)d milestones done, weighted %(done)s / %(total)s = %(share)s",
                len(milestones),
            )
            % {
                "count": count,
                "all": len(milestones),
                "done": format_measure(done),
                "total": format_measure(total),
                "share": _two(done / total),
            }
        ),
        partial(_milestones_exact, milestones),
    )


def _milestones_exact(milestones: Sequence[tuple[float, bool]]) -> Fraction:
    weights = [(as_exact(w), ok) for w, ok in milestones]
    return Fraction(sum(w for w, ok in weights if ok)) / sum(w for w, _ in weights)


def range_progress(low: float, high: float, current: float | None) -> Explained:
    """1 while inside [low, high], else 0."""
    if current is None:
        return Explained(0.0, lambda: gettext("no value yet"))
    inside = low <= current <= high
    return Explained(
        1.0 if inside else 0.0,
        lambda: (
            (
                gettext("%(current)s is inside [%(low)s, %(high)s]")
                if inside
                else gettext("%(current)s is outside [%(low)s, %(high)s]")
            )
            % {
                "current": format_measure(current),
                "low": format_measure(low),
                "high": format_measure(high),
            }
        ),
    )


def range_share(values: Sequence[float], low: float, high: float) -> float | None:
    """Share of check-ins inside the range (the history of a 'keep within' key result)."""
    if not values:
        return None
    return sum(1 for v in values if low <= v <= high) / len(values)


# ---------------------------------------------------------------- objectives


def weighted_mean(items: Sequence[tuple[float, float]]) -> float | None:
    """Σ wᵢ·pᵢ / Σ wᵢ over (progress, weight) pairs; None when there is nothing to weigh."""
    total = sum(w for _, w in items if w > 0)
    if total <= 0:
        return None
    return sum(p * w for p, w in items if w > 0) / total


def exact_weighted_mean(items: Sequence[tuple[Exactish, float]]) -> Explained | None:
    """:func:`weighted_mean`, carrying its exact value (worked out only when asked)."""
    total = sum(w for _, w in items if w > 0)
    if total <= 0:
        return None
    value = sum(_float(p) * w for p, w in items if w > 0) / total
    return Explained(value, lambda: gettext("weighted mean"), partial(_weighted_exact, items))


def _weighted_exact(items: Sequence[tuple[Exactish, float]]) -> Fraction:
    pairs = [(_exact_of(p), as_exact(w)) for p, w in items if w > 0]
    return Fraction(sum(p * w for p, w in pairs)) / sum(w for _, w in pairs)


def objective_progress(
    key_results: Sequence[tuple[Exactish, float]], children: Sequence[tuple[Exactish, float]] = ()
) -> Explained:
    """Weighted mean of key results and of 'contributes' child objectives."""
    items = [*key_results, *children]
    mean = exact_weighted_mean(items)
    if mean is None:
        return Explained(0.0, lambda: gettext("no key results yet"))
    value = mean.value

    def how() -> str:
        krs = ngettext("%(count)d key result", "%(count)d key results", len(key_results)) % {
            "count": len(key_results)
        }
        if children:
            kids = ngettext(
                "%(count)d contributing objective",
                "%(count)d contributing objectives",
                len(children),
            ) % {"count": len(children)}
            return gettext("weighted mean of %(key_results)s and %(objectives)s = %(value)s") % {
                "key_results": krs,
                "objectives": kids,
                "value": _two(value),
            }
        return gettext("weighted mean of %(key_results)s = %(value)s") % {
            "key_results": krs,
            "value": _two(value),
        }

    return Explained(value, how, mean.exact)


def lowest(progresses: Sequence[float]) -> float | None:
    """The lowest key result: an average hides a red key result."""
    return min(progresses) if progresses else None


# ---------------------------------------------------------------- time


def expected_progress(start: dt.date, end: dt.date, today: dt.date) -> float:
    """d / D: the share of the cycle elapsed (0 before it starts, 1 after it ends)."""
    days = (end - start).days
    if days <= 0:
        return 1.0
    return clamp01((today - start).days / days)


def _elapsed(start: dt.date, end: dt.date, today: dt.date) -> Fraction:
    """:func:`expected_progress`, exactly."""
    days = (end - start).days
    if days <= 0:
        return Fraction(1)
    return _clamp_exact(Fraction((today - start).days, days))


def pacing(
    progress: Exactish, start: dt.date, end: dt.date, today: dt.date
) -> tuple[str, Explained]:
    """On track when progress ≥ expected − 0.10; at risk below; off track below expected − 0.25.

    Decided exactly: progress exactly on expected − 0.10 is on track, exactly on
    expected − 0.25 at risk.
    """
    expected = expected_progress(start, end, today)
    if today < start:
        return NOT_STARTED, Explained(expected, lambda: gettext("the cycle has not started"))
    shown = _float(progress)
    line = (progress, shown, expected, start, end, today)
    if _on_or_above(*line, AT_RISK_MARGIN):
        status = ON_TRACK
    elif _on_or_above(*line, OFF_TRACK_MARGIN):
        status = AT_RISK
    else:
        status = OFF_TRACK

    def how() -> str:
        return gettext(
            "day %(day)d of %(days)d: expected %(expected)s, progress %(progress)s → %(status)s "
            "(at risk below expected − %(at_risk)s, off track below expected − %(off_track)s)"
        ) % {
            "day": (min(today, end) - start).days,
            "days": (end - start).days,
            "expected": _two(expected),
            "progress": _two(shown),
            "status": _status_label(status),
            "at_risk": format_measure(AT_RISK_MARGIN),
            "off_track": format_measure(OFF_TRACK_MARGIN),
        }

    return status, Explained(expected, how, partial(_elapsed, start, end, today))


def _on_or_above(
    progress: Exactish,
    shown: float,
    expected: float,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    margin: Decimal,
) -> bool:
    """progress ≥ expected − margin, exactly (the floats decide when far apart)."""
    gap = shown - (expected - _MARGINS[margin])
    if gap > NEAR:  # pragma: no mutate (fast path)
        return True
    if gap < -NEAR:  # pragma: no mutate (fast path)
        return False
    return _exact_of(progress) >= _elapsed(start, end, today) - Fraction(margin)


_MARGINS = {m: float(m) for m in (AT_RISK_MARGIN, OFF_TRACK_MARGIN)}


def suggested_confidence(
    progress: Exactish, start: dt.date, end: dt.date, today: dt.date
) -> Explained | None:
    """A 0–10 confidence suggested from the trajectory (ampwork's product rule, not a
    vendor's: Tability and others leave confidence to the owner).

    The projection carries today's pace to the end of the cycle: progress / (d / D).
    ≥ 70% of the target projected → high (8); 50–70% → medium (5); below 50% → low (2).
    None before a tenth of the cycle has passed: too early to project. Every boundary is
    decided exactly (progress 0.35 half way through projects exactly 70%: high).
    """
    elapsed = _elapsed(start, end, today)
    if elapsed < TOO_EARLY:
        return None
    pace = _float(progress) / float(elapsed)
    projected = Explained(
        pace,
        lambda: (
            gettext("at this pace %(share)s of the target by the end of the cycle")
            % {"share": written(f"{min(pace, 9.99) * 100:.0f}", percent=True)}
        ),
        lambda: _exact_of(progress) / elapsed,
    )
    if compare(projected, HIGH_PROJECTION) >= 0:
        value, band = 8, pgettext_lazy("confidence", "high")
    elif compare(projected, MEDIUM_PROJECTION) >= 0:
        value, band = 5, pgettext_lazy("confidence", "medium")
    else:
        value, band = 2, pgettext_lazy("confidence", "low")
    return Explained(value, lambda: f"{projected.how} → {band}")


def is_stale(last_check_in: dt.date | None, created: dt.date, today: dt.date) -> bool:
    """No check-in for 14 days (counting from creation when there has been none)."""
    since = last_check_in or created
    return (today - since).days >= STALE_DAYS


def clock_from(created: dt.date, cycle_start: dt.date) -> dt.date:
    """The day a key result's 14 days (not started, then stale) count from: when it was
    added, or its cycle's first day for one written before the cycle began (drafting the
    quarter's OKRs the week before is the usual case, and nothing can be checked in yet)."""
    return max(created, cycle_start)


def not_started(last_check_in: dt.date | None, created: dt.date, today: dt.date) -> bool:
    """A key result with no check-in yet, added fewer than :data:`GRACE_DAYS` days ago, is
    *not started*: it is not judged on pace, nor does it count in its objective's pacing.
    Day 13 after it was added it is not started; on day 14 it is judged (and stale)."""
    return last_check_in is None and (today - created).days < GRACE_DAYS


def stale_in_cycle(
    last_check_in: dt.date | None, created: dt.date, cycle_end: dt.date, today: dt.date
) -> bool:
    """The rule every page shows: a key result is stale when :func:`is_stale` and its
    cycle has not ended (after the end nobody checks in any more; the cycle is scored)."""
    return today <= cycle_end and is_stale(last_check_in, created, today)


# ---------------------------------------------------------------- scoring


def grade(value: Exactish) -> Decimal:
    """A score graded to one decimal, half up (0.35 → 0.4), clamped to 0–1, exactly:
    progress of 0.45 — even when its float is 0.44999999999999996 — grades 0.5."""
    shown = _float(value)
    if math.isnan(shown):
        return Decimal(0)
    if isinstance(value, float):
        # a float that was typed (a stored score, an override) is the decimal it prints as
        return Decimal(repr(float(clamp01(value)))).quantize(GRADE, rounding=ROUND_HALF_UP)
    if not _near_half(clamp01(shown)):  # the float decides
        return Decimal(math.floor(clamp01(shown) / float(GRADE) + 0.5)) * GRADE
    exact = _clamp_exact(_exact_of(value))
    return Decimal(math.floor(exact / Fraction(GRADE) + Fraction(1, 2))) * GRADE


def _near_half(x: float) -> bool:
    """Within :data:`NEAR` of a half tenth (0.05, 0.15 … 0.95), where floats may round
    to the wrong side."""
    tenths = x / float(GRADE) + 0.5
    return abs(tenths - round(tenths)) <= NEAR  # pragma: no mutate (< would be the same)


def round_score(value: Exactish) -> float:
    """:func:`grade` as a float (the stored score)."""
    return float(grade(value))


def score_band(score: Exactish) -> str:
    """Google's grading: 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green (of the grade)."""
    graded = grade(score)
    if graded <= RED_MAX:
        return "red"
    if graded <= YELLOW_MAX:
        return "yellow"
    return "green"


def count_warnings(objectives: int, key_results_per_objective: Sequence[int]) -> list[str]:
    """Doerr's counts: 3–5 objectives a cycle, at most 5 key results each."""
    warnings = []
    if objectives > MAX_OBJECTIVES:
        warnings.append(
            gettext(
                "%(count)d objectives this cycle: more than %(max)d spreads attention thin — "
                "keep the 3–5 that matter most"
            )
            % {"count": objectives, "max": MAX_OBJECTIVES}
        )
    for n in key_results_per_objective:
        if n > MAX_KEY_RESULTS:
            warnings.append(
                gettext(
                    "an objective has %(count)d key results: at most %(max)d keeps it measurable"
                )
                % {"count": n, "max": MAX_KEY_RESULTS}
            )
            break
    if 0 < objectives < MIN_OBJECTIVES:
        warnings.append(
            ngettext(
                "%(count)d objective: 3–5 is the usual range; fewer is fine if they are the "
                "right ones",
                "%(count)d objectives: 3–5 is the usual range; fewer is fine if they are the "
                "right ones",
                objectives,
            )
            % {"count": objectives}
        )
    if any(n == 0 for n in key_results_per_objective):
        warnings.append(gettext("an objective has no key results yet: add how you will measure it"))
    return warnings


# ---------------------------------------------------------------- whole cycles


class KRInput(NamedTuple):
    id: int
    objective_id: int
    kind: str  # numeric | boolean | milestones | range
    start: float
    target: float
    current: float | None
    done: bool
    low: float | None
    high: float | None
    weight: float
    milestones: tuple[tuple[float, bool], ...] = ()
    last_check_in: dt.date | None = None
    created: dt.date | None = None
    score: float | None = None  # set at cycle close (computed or overridden)


class ObjectiveInput(NamedTuple):
    id: int
    start: dt.date
    end: dt.date
    created: dt.date | None = None  # when it was added (its grace without key results)


class KRResult:
    """A key result's numbers. Pacing and the suggested confidence are worked out when
    first read: lists of a whole cycle need only progress and staleness."""

    __slots__ = (
        "_pacing",
        "_suggested",
        "band",
        "end",
        "progress",
        "score",
        "stale",
        "start",
        "started",
        "today",
    )

    def __init__(
        self,
        progress: Explained,
        start: dt.date,
        end: dt.date,
        today: dt.date,
        stale: bool,
        score: float | None,
        started: bool = True,
    ) -> None:
        self.progress, self.start, self.end, self.today = progress, start, end, today
        self.stale, self.score = stale, score
        self.started = started  # False: no check-in yet, within its grace (:func:`not_started`)
        self.band = score_band(score) if score is not None else None
        self._pacing: tuple[str, Explained] | None = None
        self._suggested: tuple[Explained | None] | None = None

    @property
    def pacing(self) -> str:
        return self._pace()[0]

    @property
    def expected(self) -> Explained:
        return self._pace()[1]

    def _pace(self) -> tuple[str, Explained]:
        if self._pacing is None:
            if self.started or self.today < self.start:
                self._pacing = pacing(self.progress, self.start, self.end, self.today)
            else:
                self._pacing = _waiting(self.start, self.end, self.today, _no_check_in)
        return self._pacing

    @property
    def suggested_confidence(self) -> Explained | None:
        if self._suggested is None:
            self._suggested = (
                suggested_confidence(self.progress, self.start, self.end, self.today),
            )
        return self._suggested[0]


def _no_check_in() -> str:
    return gettext(
        "no check-in yet: a new key result is not started, and not judged on pace, for its "
        "first %(days)d days or until its first check-in"
    ) % {"days": GRACE_DAYS}


def _waiting(
    start: dt.date, end: dt.date, today: dt.date, why: str | Callable[[], str]
) -> tuple[str, Explained]:
    """Not started (yet): the expected progress, and why nothing is judged against it."""
    return NOT_STARTED, Explained(
        expected_progress(start, end, today), why, partial(_elapsed, start, end, today)
    )


@dataclass
class ObjectiveResult:
    progress: Explained
    lowest: float | None
    pacing: str
    expected: Explained
    score: float | None
    band: str | None
    # what pacing judged: the weighted mean of the started key results and contributing
    # objectives (None when nothing has started: the objective is not started)
    judged: Explained | None = None
    # the score's weighted mean with its exact value (what a parent's score averages)
    exact_score: Explained | None = None
    # the first day on which everything in it has started (None: everything has), after
    # which ``judged`` no longer depends on the day: :func:`settles`
    settles: dt.date | None = None


def judge(
    items: Sequence[tuple[Explained | None, float]],
) -> Explained | None:
    """The value an objective (or a team) is judged on: the weighted mean of the items that
    have started (a ``None`` value has not). None when none has: *not started*. A child not
    started never drags its parent down; its progress (0) still counts in the parent's shown
    progress, which is the plain weighted mean of methods.md."""
    started = [(value, weight) for value, weight in items if value is not None]
    if not started:
        return None
    mean = exact_weighted_mean(started)
    if mean is None:  # only zero weights: judged on the plain mean
        mean = exact_weighted_mean([(value, 1.0) for value, _ in started])
    return mean


def judged_pacing(
    judged: Explained | None,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    why: str | Callable[[], str],
) -> tuple[str, Explained]:
    """:func:`pacing` of a judged value; *not started* (saying why) when there is none."""
    if judged is None or today < start:
        if today < start:
            return pacing(0.0, start, end, today)
        return _waiting(start, end, today, why)
    return pacing(judged, start, end, today)


def _added(values: list[float]) -> float:
    """Floats added left to right, one rounding per step — as ``numpy.bincount`` adds
    (okrs/columns.py). ``sum()`` does so too on Python 3.11, but corrects rounding from
    3.12 on (``sum([0.1] * 10)`` is 1.0 there, 0.9999999999999999 here)."""
    return functools.reduce(operator.add, values, 0.0)


def team_rollup(
    results: Sequence[ObjectiveResult],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    pace: Pace | None = None,
) -> tuple[Explained | None, str]:
    """A team's roll-up in the alignment tree: the mean progress of its objectives (shown),
    and its pacing judged on the mean of what its started objectives are judged on —
    objectives not started do not drag the team down. (None, not started) without any.
    (The plain mean of :func:`exact_weighted_mean` with weights 1, to the last bit.)"""
    if not results:
        return None, NOT_STARTED
    progresses = [r.progress for r in results]
    shown = Explained(
        _added([p.value for p in progresses]) / len(progresses),
        lambda: gettext("mean progress"),
        partial(_plain_mean_exact, progresses),
    )
    started = [r.judged for r in results if r.judged is not None]
    judged = (
        Explained(
            _added([j.value for j in started]) / len(started),
            lambda: gettext("mean judged"),
            partial(_plain_mean_exact, started),
        )
        if started
        else None
    )
    pace = pace or Pace(start, end, today)
    return shown, pace.status(judged)


def _plain_mean_exact(values: Sequence[Explained]) -> Fraction:
    return Fraction(sum(v.exact() for v in values)) / len(values)


class Pace:
    """:func:`judged_pacing`'s status for many values of one cycle on one day: the expected
    progress and its two lines are worked out once, and a value more than :data:`NEAR` from
    both lines is decided by its float — the same comparisons, to the bit, as
    :func:`pacing`, which decides (exactly) a value nearer a line."""

    __slots__ = ("_before", "_off", "_on", "end", "expected", "start", "today")

    def __init__(self, start: dt.date, end: dt.date, today: dt.date) -> None:
        self.start, self.end, self.today = start, end, today
        self._before = today < start
        self.expected = expected_progress(start, end, today)
        self._on = self.expected - _MARGINS[AT_RISK_MARGIN]
        self._off = self.expected - _MARGINS[OFF_TRACK_MARGIN]

    @property
    def before(self) -> bool:
        """The cycle has not started: everything is not started."""
        return self._before

    @property
    def lines(self) -> tuple[float, float]:
        """The at-risk and off-track lines (expected − 0.10, expected − 0.25) as floats: a
        value more than 2 × :data:`NEAR` from both is classified by its float alone."""
        return self._on, self._off

    def explained(self) -> Explained:
        """The expected progress, with how it is worked out."""
        days, elapsed = (self.end - self.start).days, (min(self.today, self.end) - self.start).days
        return Explained(
            self.expected,
            lambda: (
                gettext("day %(day)d of %(days)d: expected %(expected)s")
                % {"day": max(elapsed, 0), "days": days, "expected": _two(self.expected)}
            ),
            partial(_elapsed, self.start, self.end, self.today),
        )

    def status(self, judged: Explained | None) -> str:
        if judged is None or self._before:
            return NOT_STARTED
        x = judged.value
        if x - self._on > NEAR:  # pragma: no mutate (fast path: pacing() decides the rest)
            return ON_TRACK
        if x - self._on < -NEAR:  # pragma: no mutate (fast path)
            if x - self._off > NEAR:  # pragma: no mutate (fast path)
                return AT_RISK
            if x - self._off < -NEAR:  # pragma: no mutate (fast path)
                return OFF_TRACK
        return pacing(judged, self.start, self.end, self.today)[0]


def kr_progress(kr: KRInput) -> Explained:
    if kr.kind == "boolean":
        return boolean_progress(kr.done)
    if kr.kind == "milestones":
        return milestone_progress(kr.milestones)
    if kr.kind == "range":
        return range_progress(kr.low or 0.0, kr.high or 0.0, kr.current)
    if kr.current is None:
        return Explained(0.0, lambda: gettext("no check-in yet"))
    return numeric_progress(kr.start, kr.target, kr.current)


def evaluate(
    objectives: Sequence[ObjectiveInput],
    key_results: Sequence[KRInput],
    contributes: Sequence[tuple[int, int]],
    today: dt.date,
    known: Mapping[int, ObjectiveResult] | None = None,
) -> tuple[dict[int, ObjectiveResult], dict[int, KRResult]]:
    """Progress, pacing and scores of a set of objectives and their key results.

    ``contributes`` holds (child, parent) pairs: a child's progress counts in its parent's
    mean with weight 1. A child outside the set counts with its result in ``known`` (worked
    out before, e.g. stored); children in neither, and loops, are ignored.
    """
    known = known or {}
    by_id = {o.id: o for o in objectives}
    krs_of: dict[int, list[KRInput]] = {o.id: [] for o in objectives}
    kr_results: dict[int, KRResult] = {}
    for kr in key_results:
        objective = by_id.get(kr.objective_id)
        if objective is None:
            continue
        krs_of[kr.objective_id].append(kr)
        created = clock_from(kr.created or objective.start, objective.start)
        kr_results[kr.id] = KRResult(
            kr_progress(kr),
            objective.start,
            objective.end,
            today,
            stale=stale_in_cycle(kr.last_check_in, created, objective.end, today),
            score=kr.score,
            started=not not_started(kr.last_check_in, created, today),
        )
    children: dict[int, list[int]] = {o.id: [] for o in objectives}
    for child, parent in contributes:
        if parent in by_id and (child in by_id or child in known):
            children[parent].append(child)

    results: dict[int, ObjectiveResult] = {}
    visiting: set[int] = set()

    def solve(oid: int) -> ObjectiveResult:
        if oid in results:
            return results[oid]
        visiting.add(oid)
        own: list[tuple[Exactish, float]] = [
            (kr_results[k.id].progress, k.weight) for k in krs_of[oid]
        ]
        kid_ids = [c for c in children[oid] if c not in visiting]
        kids = [
            solve(c) if c in by_id else known[c]  # noqa: F821 (deleted once all are solved)
            for c in kid_ids
        ]
        progress = objective_progress(own, [(r.progress, 1.0) for r in kids])
        objective = by_id[oid]
        status, expected, judged = _objective_pacing(
            objective, progress, [kr_results[k.id] for k in krs_of[oid]], krs_of[oid], kids, today
        )
        scores: list[tuple[Exactish, float]] = [
            (k.score, k.weight) for k in krs_of[oid] if k.score is not None
        ]
        scores += [(kid.exact_score, 1.0) for kid in kids if kid.exact_score is not None]
        mean = exact_weighted_mean(scores)  # None without scores
        score = shown_score(mean) if mean is not None else None
        results[oid] = ObjectiveResult(
            progress=progress,
            lowest=lowest([kr_results[k.id].progress.value for k in krs_of[oid]]),
            pacing=status,
            expected=expected,
            score=score,
            band=score_band(mean) if mean is not None else None,
            judged=judged,
            exact_score=mean,
            settles=settles(objective, krs_of[oid], kids),
        )
        visiting.discard(oid)
        return results[oid]

    for o in objectives:
        solve(o.id)
    del solve  # a recursive closure is a reference cycle: free what it holds now
    return results, kr_results


def shown_score(mean: Explained) -> float:
    """An objective's score as shown, to one decimal half up: on a half, the exact mean
    (0.65, not 0.6499999999999999, which would show as 0.6 beside its green band)."""
    return float(mean.exact()) if _near_half(mean.value) else mean.value


def settles(
    objective: ObjectiveInput, key_results: Sequence[KRInput], kids: Sequence[ObjectiveResult]
) -> dt.date | None:
    """The first day from which an objective's judged value no longer depends on the day:
    when the last of its key results without a check-in leaves its grace
    (:func:`not_started`), and so do its contributing objectives; an objective with neither
    key results nor contributing objectives leaves its own grace. None: everything in it
    has started. Before that day pacing is worked out afresh; from it on, the value judged
    with everything started holds (so it can be stored)."""
    days = [
        clock_from(k.created or objective.start, objective.start) + _GRACE
        for k in key_results
        if k.last_check_in is None
    ]
    days += [kid.settles for kid in kids if kid.settles is not None]
    if not key_results and not kids:
        days.append(clock_from(objective.created or objective.start, objective.start) + _GRACE)
    return max(days, default=None)


_GRACE = dt.timedelta(days=GRACE_DAYS)


def _objective_pacing(
    objective: ObjectiveInput,
    progress: Explained,
    results: Sequence[KRResult],
    key_results: Sequence[KRInput],
    kids: Sequence[ObjectiveResult],
    today: dt.date,
) -> tuple[str, Explained, Explained | None]:
    """An objective's pacing, judged on its started key results and contributing objectives
    only. One with neither key results nor contributing objectives is not started within
    :data:`GRACE_DAYS` of being added, and judged on its progress (0) after that."""
    items: list[tuple[Explained | None, float]] = [
        (r.progress if r.started else None, k.weight)
        for r, k in zip(results, key_results, strict=True)
    ]
    items += [(kid.judged, 1.0) for kid in kids]
    if items:
        judged = judge(items)
    else:
        created = clock_from(objective.created or objective.start, objective.start)
        judged = None if not_started(None, created, today) else progress

    def why() -> str:
        if not items:
            return gettext(
                "no key result yet: a new objective is not started for its first %(days)d days"
            ) % {"days": GRACE_DAYS}
        return gettext(
            "no check-in yet on any of its key results: they are not judged on pace for "
            "their first %(days)d days or until their first check-in"
        ) % {"days": GRACE_DAYS}

    status, expected = judged_pacing(judged, objective.start, objective.end, today, why)
    waiting = sum(1 for value, _ in items if value is None)
    if judged is not None and waiting and today >= objective.start:
        shown = judged.value
        inner = expected

        def how() -> str:
            return gettext(
                "%(how)s; judged on the %(started)d started of %(all)d (%(shown)s): "
                "%(waiting)d not started yet"
            ) % {
                "how": inner.how,
                "started": len(items) - waiting,
                "all": len(items),
                "shown": _two(shown),
                "waiting": waiting,
            }

        expected = Explained(expected.value, how, expected.exact)
    return status, expected, judged
