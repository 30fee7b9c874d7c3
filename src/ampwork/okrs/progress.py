"""OKR maths: progress, roll-up, pacing, confidence, staleness and scoring. No ORM.

Every function takes plain values and returns plain values; each number comes with the
text that explains how it was computed (``Explained``), which the pages show one click
away. Formulas and thresholds: docs/methods.md, section OKRs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

ON_TRACK = "on track"
AT_RISK = "at risk"
OFF_TRACK = "off track"
NOT_STARTED = "not started"
AT_RISK_MARGIN = 0.10  # product choice: below expected − 0.10 is at risk
OFF_TRACK_MARGIN = 0.25  # product choice: below expected − 0.25 is off track
STALE_DAYS = 14  # product choice
MAX_OBJECTIVES = 5  # Doerr: 3–5 objectives per cycle
MIN_OBJECTIVES = 3
MAX_KEY_RESULTS = 5  # Doerr: at most 5 key results per objective


class Explained:
    """A number and the text that explains it. The text is formatted only when read:
    a cycle of 100,000 key results computes 100,000 numbers, and shows a few of the texts.
    """

    __slots__ = ("_how", "value")

    def __init__(self, value: float, how: str | Callable[[], str]) -> None:
        self.value = value
        self._how = how

    @property
    def how(self) -> str:
        if callable(self._how):
            self._how = self._how()
        return self._how

    def __repr__(self) -> str:
        return f"Explained({self.value!r}, {self.how!r})"


def _fmt(x: float) -> str:
    return f"{x:g}"


def clamp01(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


# ---------------------------------------------------------------- key results


def numeric_progress(start: float, target: float, current: float) -> Explained:
    """(current − start) / (target − start), clamped to [0, 1].

    Serves decreasing metrics (start > target) unchanged. Never current / target, which
    is wrong whenever start ≠ 0.
    """
    if target == start:
        value = 1.0 if current == target else 0.0
        return Explained(
            value, f"target equals start ({_fmt(start)}): {'reached' if value else 'not reached'}"
        )
    raw = (current - start) / (target - start)
    value = clamp01(raw)

    def how() -> str:
        text = (
            f"(current − start) / (target − start) = ({_fmt(current)} − {_fmt(start)}) / "
            f"({_fmt(target)} − {_fmt(start)}) = {raw:.2f}"
        )
        return text + (f", clamped to {value:g}" if value != raw else "")

    return Explained(value, how)


def boolean_progress(done: bool) -> Explained:
    return Explained(1.0 if done else 0.0, "done" if done else "not done yet")


def milestone_progress(milestones: Sequence[tuple[float, bool]]) -> Explained:
    """Weighted share of milestones completed."""
    total = sum(w for w, _ in milestones)
    if not milestones or total <= 0:
        return Explained(0.0, "no milestones yet")
    done = sum(w for w, ok in milestones if ok)
    count = sum(1 for _, ok in milestones if ok)
    return Explained(
        done / total,
        f"{count} of {len(milestones)} milestones done, "
        f"weighted {_fmt(done)} / {_fmt(total)} = {done / total:.2f}",
    )


def range_progress(low: float, high: float, current: float | None) -> Explained:
    """1 while inside [low, high], else 0."""
    if current is None:
        return Explained(0.0, "no value yet")
    inside = low <= current <= high
    return Explained(
        1.0 if inside else 0.0,
        f"{_fmt(current)} is {'inside' if inside else 'outside'} [{_fmt(low)}, {_fmt(high)}]",
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


def objective_progress(
    key_results: Sequence[tuple[float, float]], children: Sequence[tuple[float, float]] = ()
) -> Explained:
    """Weighted mean of key results and of 'contributes' child objectives."""
    items = [*key_results, *children]
    value = weighted_mean(items)
    if value is None:
        return Explained(0.0, "no key results yet")

    def how() -> str:
        parts = [f"{len(key_results)} key result{'s' if len(key_results) != 1 else ''}"]
        if children:
            plural = "s" if len(children) != 1 else ""
            parts.append(f"{len(children)} contributing objective{plural}")
        return f"weighted mean of {' and '.join(parts)} = {value:.2f}"

    return Explained(value, how)


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


def pacing(progress: float, start: dt.date, end: dt.date, today: dt.date) -> tuple[str, Explained]:
    """On track when progress ≥ expected − 0.10; at risk below; off track below expected − 0.25."""
    expected = expected_progress(start, end, today)
    if today < start:
        return NOT_STARTED, Explained(expected, "the cycle has not started")
    if progress >= expected - AT_RISK_MARGIN:
        status = ON_TRACK
    elif progress >= expected - OFF_TRACK_MARGIN:
        status = AT_RISK
    else:
        status = OFF_TRACK

    def how() -> str:
        return (
            f"day {(min(today, end) - start).days} of {(end - start).days}: expected "
            f"{expected:.2f}, progress {progress:.2f} → {status} (at risk below expected − "
            f"{AT_RISK_MARGIN:g}, off track below expected − {OFF_TRACK_MARGIN:g})"
        )

    return status, Explained(expected, how)


def suggested_confidence(
    progress: float, start: dt.date, end: dt.date, today: dt.date
) -> Explained | None:
    """A 0–10 confidence suggested from the trajectory (Tability's convention).

    The projection carries today's pace to the end of the cycle: progress / (d / D).
    ≥ 70% of the target projected → high (8); 50–70% → medium (5); below 50% → low (2).
    None before a tenth of the cycle has passed: too early to project.
    """
    elapsed = expected_progress(start, end, today)
    if elapsed < 0.1:
        return None
    projected = progress / elapsed
    if projected >= 0.7:
        value, band = 8, "high"
    elif projected >= 0.5:
        value, band = 5, "medium"
    else:
        value, band = 2, "low"
    return Explained(
        value,
        lambda: (
            f"at this pace {min(projected, 9.99):.0%} of the target by the end of the "
            f"cycle → {band}"
        ),
    )


def is_stale(last_check_in: dt.date | None, created: dt.date, today: dt.date) -> bool:
    """No check-in for 14 days (counting from creation when there has been none)."""
    since = last_check_in or created
    return (today - since).days >= STALE_DAYS


# ---------------------------------------------------------------- scoring


def round_score(value: float) -> float:
    """Scores are graded to one decimal, half up (0.35 → 0.4)."""
    if math.isnan(value):
        return 0.0
    return float(Decimal(str(clamp01(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score_band(score: float) -> str:
    """Google's grading: 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green."""
    graded = round_score(score)
    if graded <= 0.3:
        return "red"
    if graded <= 0.6:
        return "yellow"
    return "green"


def count_warnings(objectives: int, key_results_per_objective: Sequence[int]) -> list[str]:
    """Doerr's counts: 3–5 objectives a cycle, at most 5 key results each."""
    warnings = []
    if objectives > MAX_OBJECTIVES:
        warnings.append(
            f"{objectives} objectives this cycle: more than {MAX_OBJECTIVES} "
            "spreads attention thin — keep the 3–5 that matter most"
        )
    for n in key_results_per_objective:
        if n > MAX_KEY_RESULTS:
            warnings.append(
                f"an objective has {n} key results: at most {MAX_KEY_RESULTS} keeps it measurable"
            )
            break
    if 0 < objectives < MIN_OBJECTIVES:
        warnings.append(
            f"{objectives} objective{'s' if objectives > 1 else ''}: 3–5 is the "
            "usual range; fewer is fine if they are the right ones"
        )
    if any(n == 0 for n in key_results_per_objective):
        warnings.append("an objective has no key results yet: add how you will measure it")
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
    ) -> None:
        self.progress, self.start, self.end, self.today = progress, start, end, today
        self.stale, self.score = stale, score
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
            self._pacing = pacing(self.progress.value, self.start, self.end, self.today)
        return self._pacing

    @property
    def suggested_confidence(self) -> Explained | None:
        if self._suggested is None:
            self._suggested = (
                suggested_confidence(self.progress.value, self.start, self.end, self.today),
            )
        return self._suggested[0]


@dataclass
class ObjectiveResult:
    progress: Explained
    lowest: float | None
    pacing: str
    expected: Explained
    score: float | None
    band: str | None


def kr_progress(kr: KRInput) -> Explained:
    if kr.kind == "boolean":
        return boolean_progress(kr.done)
    if kr.kind == "milestones":
        return milestone_progress(kr.milestones)
    if kr.kind == "range":
        return range_progress(kr.low or 0.0, kr.high or 0.0, kr.current)
    if kr.current is None:
        return Explained(0.0, "no check-in yet")
    return numeric_progress(kr.start, kr.target, kr.current)


def evaluate(
    objectives: Sequence[ObjectiveInput],
    key_results: Sequence[KRInput],
    contributes: Sequence[tuple[int, int]],
    today: dt.date,
) -> tuple[dict[int, ObjectiveResult], dict[int, KRResult]]:
    """Progress, pacing and scores of a set of objectives and their key results.

    ``contributes`` holds (child, parent) pairs: a child's progress counts in its parent's
    mean with weight 1. Children outside the set, and loops, are ignored.
    """
    by_id = {o.id: o for o in objectives}
    krs_of: dict[int, list[KRInput]] = {o.id: [] for o in objectives}
    kr_results: dict[int, KRResult] = {}
    for kr in key_results:
        objective = by_id.get(kr.objective_id)
        if objective is None:
            continue
        krs_of[kr.objective_id].append(kr)
        created = kr.created or objective.start
        kr_results[kr.id] = KRResult(
            kr_progress(kr),
            objective.start,
            objective.end,
            today,
            stale=today <= objective.end and is_stale(kr.last_check_in, created, today),
            score=kr.score,
        )
    children: dict[int, list[int]] = {o.id: [] for o in objectives}
    for child, parent in contributes:
        if child in by_id and parent in by_id:
            children[parent].append(child)

    results: dict[int, ObjectiveResult] = {}
    visiting: set[int] = set()

    def solve(oid: int) -> ObjectiveResult:
        if oid in results:
            return results[oid]
        visiting.add(oid)
        own = [(kr_results[k.id].progress.value, k.weight) for k in krs_of[oid]]
        kids = [solve(c) for c in children[oid] if c not in visiting]
        progress = objective_progress(own, [(r.progress.value, 1.0) for r in kids])
        objective = by_id[oid]
        status, expected = pacing(progress.value, objective.start, objective.end, today)
        scores = [(k.score, k.weight) for k in krs_of[oid] if k.score is not None]
        kid_scores = [(r.score, 1.0) for r in kids if r.score is not None]
        score = weighted_mean([*scores, *kid_scores]) if scores or kid_scores else None
        results[oid] = ObjectiveResult(
            progress=progress,
            lowest=lowest([kr_results[k.id].progress.value for k in krs_of[oid]]),
            pacing=status,
            expected=expected,
            score=score,
            band=score_band(score) if score is not None else None,
        )
        visiting.discard(oid)
        return results[oid]

    for o in objectives:
        solve(o.id)
    return results, kr_results
