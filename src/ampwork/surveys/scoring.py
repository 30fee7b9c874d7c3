"""Survey scoring: subscale means, favourable shares, distributions, eNPS, Cronbach's α,
item-total correlations, and the change rule between rounds. Pure: no ORM, no Django.

Formulas and thresholds: docs/methods.md, section Surveys.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

SCALE = (1, 2, 3, 4, 5)
FAVOURABLE = (4, 5)  # top two boxes
CHANGE_POINTS = 5.0  # favourable percentage points
CHANGE_SD = 0.2  # or this share of a standard deviation of the means


def score(value: int, reverse: bool) -> int:
    """1–5 agreement; a reverse-keyed item scores 6 − x."""
    return 6 - value if reverse else value


@dataclass
class SubscaleResult:
    mean: float | None
    favourable: float | None  # share of answers in the top two boxes (after reversing)
    distribution: dict[int, int]
    answers: int


def subscale(responses: Sequence[Mapping[str, int]], items: Mapping[str, bool]) -> SubscaleResult:
    """``items`` maps the subscale's item codes to whether each is reverse-keyed.

    The mean is the mean of each respondent's subscale mean (respondents who answered at
    least one of its items); favourable and the distribution count every answer.
    """
    per_person: list[float] = []
    distribution = dict.fromkeys(SCALE, 0)
    favourable = answers = 0
    for response in responses:
        values = [score(response[c], rev) for c, rev in items.items() if c in response]
        if not values:
            continue
        per_person.append(sum(values) / len(values))
        for v in values:
            distribution[v] += 1
            favourable += v in FAVOURABLE
            answers += 1
    return SubscaleResult(
        mean=sum(per_person) / len(per_person) if per_person else None,
        favourable=favourable / answers if answers else None,
        distribution=distribution,
        answers=answers,
    )


def enps(values: Sequence[int]) -> float | None:
    """%promoters (9–10) − %detractors (0–6), from −100 to 100."""
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return (promoters - detractors) / len(values) * 100


@dataclass
class Reliability:
    alpha: float | None
    n: int
    item_total: dict[str, float | None]


def cronbach_alpha(
    responses: Sequence[Mapping[str, int]], items: Mapping[str, bool]
) -> Reliability:
    """α = k/(k−1) · (1 − Σ var(item) / var(total)), over respondents who answered every
    item of the subscale (listwise), with corrected item-total correlations (each item
    against the sum of the others)."""
    codes = list(items)
    rows = [[score(r[c], items[c]) for c in codes] for r in responses if all(c in r for c in codes)]
    return cronbach_alpha_matrix(np.array(rows, dtype=float).reshape(len(rows), len(codes)), codes)


def cronbach_alpha_matrix(data: np.ndarray, codes: Sequence[str]) -> Reliability:
    """The same from a respondents × items matrix of scored answers (NaN: not answered)."""
    data = data[~np.isnan(data).any(axis=1)] if data.size else data
    k, n = len(codes), data.shape[0]
    if k < 2 or n < 3:
        return Reliability(None, n, dict.fromkeys(codes))
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return Reliability(None, n, dict.fromkeys(codes))
    alpha = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_var)
    item_total: dict[str, float | None] = {}
    for j, code in enumerate(codes):
        rest = np.delete(data, j, axis=1).sum(axis=1)
        if data[:, j].std() == 0 or rest.std() == 0:
            item_total[code] = None
        else:
            item_total[code] = float(np.corrcoef(data[:, j], rest)[0, 1])
    return Reliability(float(alpha), n, item_total)


@dataclass
class Change:
    delta: float  # favourable percentage points, or difference of means
    p: float | None
    flagged: bool
    reason: str


def fpc(n: int, population: int | None) -> float:
    """Finite-population correction √((N − n)/(N − 1)); 1 when N is unknown."""
    if not population or population <= 1 or n >= population:
        return 1.0 if not population or n < population else 0.0
    return math.sqrt((population - n) / (population - 1))


def change_in_favourable(
    before: tuple[int, int],
    after: tuple[int, int],
    *,
    minimum: int,
    populations: tuple[int | None, int | None] = (None, None),
    respondents: tuple[int, int] | None = None,
) -> Change:
    """Compare favourable shares of two rounds: (favourable answers, answers) each.

    Flagged only when both rounds meet the minimum group size (``respondents``), the change
    is at least 5 points, and a two-proportion z-test with the finite-population correction
    is significant at 95%.
    """
    (f1, n1), (f2, n2) = before, after
    people = respondents or (n1, n2)
    if min(people) < minimum or n1 == 0 or n2 == 0:
        return Change(0.0, None, False, "a round is below the minimum group size")
    p1, p2 = f1 / n1, f2 / n2
    delta = (p2 - p1) * 100
    pooled = (f1 + f2) / (n1 + n2)
    se = math.sqrt(
        pooled
        * (1 - pooled)
        * (fpc(people[0], populations[0]) ** 2 / n1 + fpc(people[1], populations[1]) ** 2 / n2)
    )
    p = (0.0 if delta else 1.0) if se == 0 else float(2 * stats.norm.sf(abs(p2 - p1) / se))
    if abs(delta) < CHANGE_POINTS:
        return Change(delta, p, False, f"change of {delta:+.1f} points is under {CHANGE_POINTS:g}")
    if p >= 0.05:
        return Change(delta, p, False, f"not significant (p = {p:.2f})")
    return Change(delta, p, True, f"{delta:+.1f} points, p = {p:.3f}")


def change_in_mean(
    before: Sequence[float],
    after: Sequence[float],
    *,
    minimum: int,
    populations: tuple[int | None, int | None] = (None, None),
) -> Change:
    """Welch's t-test on respondents' means, standard errors finite-population corrected;
    flagged when both rounds meet the minimum, |Δ| ≥ 0.2 SD and p < 0.05."""
    n1, n2 = len(before), len(after)
    if min(n1, n2) < max(minimum, 2):
        return Change(0.0, None, False, "a round is below the minimum group size")
    m1, m2 = float(np.mean(before)), float(np.mean(after))
    v1, v2 = float(np.var(before, ddof=1)), float(np.var(after, ddof=1))
    a = v1 / n1 * fpc(n1, populations[0]) ** 2
    b = v2 / n2 * fpc(n2, populations[1]) ** 2
    delta = m2 - m1
    sd = math.sqrt((v1 + v2) / 2)
    if a + b == 0:
        return Change(delta, None, False, "no variation")
    t = delta / math.sqrt(a + b)
    df = (a + b) ** 2 / (
        (a * a / (n1 - 1) if n1 > 1 else 0) + (b * b / (n2 - 1) if n2 > 1 else 0) or 1
    )
    p = float(2 * stats.t.sf(abs(t), df))
    if sd and abs(delta) < CHANGE_SD * sd:
        return Change(delta, p, False, f"change of {delta:+.2f} is under {CHANGE_SD:g} SD")
    if p >= 0.05:
        return Change(delta, p, False, f"not significant (p = {p:.2f})")
    return Change(delta, p, True, f"{delta:+.2f}, p = {p:.3f}")
