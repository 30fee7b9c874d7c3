"""Pulse scoring: subscale means, favourable shares, distributions, eNPS, Cronbach's α,
item-total correlations, and the change rule between rounds. Pure: no ORM, no Django.

Formulas and thresholds: docs/methods.md, section Pulse surveys.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats

SCALE = (1, 2, 3, 4, 5)
FAVOURABLE = (4, 5)  # top two boxes
CHANGE_POINTS = 5.0  # favourable percentage points
CHANGE_SD = 0.2  # or this share of a standard deviation of the means
SIGNIFICANCE = 0.05
ACCEPTABLE_ALPHA = 0.70  # Cronbach's α at which a subscale's reliability is acceptable


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
    ci: tuple[float, float] | None = None  # Feldt's 95% interval for α


ALPHA_CONFIDENCE = 0.95


def feldt_interval(
    alpha: float, n: int, k: int, confidence: float = ALPHA_CONFIDENCE
) -> tuple[float, float]:
    """Feldt's (1965) F-based interval for Cronbach's α: (1 − α̂)/(1 − α) follows an F
    distribution with n − 1 and (n − 1)(k − 1) degrees of freedom (Feldt, Woodruff & Salih
    1987), so the bounds are 1 − (1 − α̂)·F at the upper and lower tail quantiles. The same
    interval as pingouin.cronbach_alpha."""
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    lower = 1 - (1 - alpha) * float(stats.f.isf(tail, df1, df2))
    upper = 1 - (1 - alpha) * float(stats.f.isf(1 - tail, df1, df2))
    return lower, upper


def cronbach_alpha(
    responses: Sequence[Mapping[str, int]], items: Mapping[str, bool]
) -> Reliability:
    """α = k/(k−1) · (1 − Σ var(item) / var(total)), over respondents who answered every
    item of the subscale (listwise), with corrected item-total correlations (each item
    against the sum of the others) and Feldt's 95% interval."""
    codes = list(items)
    rows = [[score(r[c], items[c]) for c in codes] for r in responses if all(c in r for c in codes)]
    return cronbach_alpha_matrix(np.array(rows, dtype=float).reshape(len(rows), len(codes)), codes)


def cronbach_alpha_matrix(data: np.ndarray, codes: Sequence[str]) -> Reliability:
    """The same from a respondents × items matrix of scored answers (NaN: not answered)."""
    data = data[~np.isnan(data).any(axis=1)] if data.size else data
    k, n = len(codes), data.shape[0]
    if k < 2 or n < 3:
        return Reliability(None, n, dict.fromkeys(codes))
    alpha = _alpha(data)
    if alpha is None:
        return Reliability(None, n, dict.fromkeys(codes))
    item_total: dict[str, float | None] = {}
    for j, code in enumerate(codes):
        rest = np.delete(data, j, axis=1).sum(axis=1)
        if data[:, j].std() == 0 or rest.std() == 0:
            item_total[code] = None
        else:
            item_total[code] = float(np.corrcoef(data[:, j], rest)[0, 1])
    return Reliability(alpha, n, item_total, feldt_interval(alpha, n, k))


def _alpha(data: np.ndarray) -> float | None:
    """α of a complete respondents × items matrix; None when the totals do not vary."""
    k = data.shape[1]
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    return float(k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_var))


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


def favourable_counts(
    responses: Sequence[Mapping[str, int]], items: Mapping[str, bool]
) -> list[tuple[int, ...]]:
    """Each respondent's answers to a subscale as 0/1 favourable marks, one per item
    (−1 where the item was not answered); respondents who answered none are left out."""
    out: list[tuple[int, ...]] = []
    for response in responses:
        marks = tuple(
            int(score(response[c], rev) in FAVOURABLE) if c in response else -1
            for c, rev in items.items()
        )
        if any(m >= 0 for m in marks):
            out.append(marks)
    return out


def p_text(p: float) -> str:
    """A p-value as people read it: three decimals, and "p < 0.001" below that — never
    "p = 0.000", which claims a certainty no test gives."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def change_rule(delta: Fraction | float, p: float | None) -> tuple[bool, str]:
    """The product rule on a favourable change: at least 5 points (compared exactly, as a
    fraction) and p < 0.05."""
    if abs(Fraction(delta)) < Fraction(CHANGE_POINTS):
        return False, f"change of {float(delta):+.1f} points is under {CHANGE_POINTS:g}"
    if p is None or p >= SIGNIFICANCE:
        return False, "not significant" if p is None else f"not significant (p = {p:.2f})"
    return True, f"{float(delta):+.1f} points, {p_text(p)}"


@dataclass
class _Round:
    share: Fraction  # favourable answers ÷ answers
    variance: float  # of the estimated share, finite-population corrected
    n: int


def _round_of(marks: Sequence[Sequence[int]], population: int | None) -> _Round:
    """The favourable share of one round as a ratio estimate over respondents (each one a
    cluster of answers), with its linearised variance (Cochran 1977, ch. 6): the residuals
    zᵢ = (fᵢ − p·mᵢ)/m̄ of respondents' favourable counts fᵢ out of mᵢ answers. When
    everyone answers every item, zᵢ is each respondent's favourable share minus the mean
    share, so the test is Welch's t-test on respondents' shares.

    The finite-population correction shrinks only the between-person part of that
    variance: answers also vary within a person from round to round, and asking more of
    the population does not remove that (response variance; Hansen, Hurwitz & Bershad
    1961; Cochran 1977, ch. 13). The between-person part is the reliability of the share,
    estimated by KR-20 (Cronbach's α of the 0/1 favourable marks, respondents who answered
    every item), clipped to [0, 1] and taken as 0 when it cannot be estimated.
    """
    data = np.array(marks, dtype=float).reshape(len(marks), -1)
    answered = data >= 0
    f = np.where(answered, data, 0).sum(axis=1)
    m = answered.sum(axis=1)
    n = len(f)
    share = Fraction(int(f.sum()), int(m.sum()))
    z = (f - float(share) * m) / m.mean()
    between = 0.0
    complete = data[answered.all(axis=1)]
    if complete.shape[1] >= 2 and complete.shape[0] >= 3:
        between = min(1.0, max(0.0, _alpha(complete) or 0.0))
    correction = between * fpc(n, population) ** 2 + (1 - between)
    return _Round(share, float(z @ z) / (n - 1) / n * correction, n)


def welch(a: float, n1: int, b: float, n2: int, delta: float) -> tuple[float, float, float]:
    """Welch's t, Welch–Satterthwaite degrees of freedom and the two-sided p from the two
    rounds' variances of their estimates ``a`` and ``b``."""
    t = delta / math.sqrt(a + b)
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    return t, df, float(2 * stats.t.sf(abs(t), df))


def change_in_favourable(
    before: Sequence[Sequence[int]],
    after: Sequence[Sequence[int]],
    *,
    minimum: int,
    populations: tuple[int | None, int | None] = (None, None),
) -> Change:
    """Compare a subscale's favourable share between two rounds, respondent by respondent:
    ``before`` and ``after`` hold each respondent's marks from ``favourable_counts``.

    The respondent is the sampling unit (one person's answers to a subscale's items are
    correlated), so the test is a Welch-type t-test on the ratio estimates with the
    finite-population correction √((N − n)/(N − 1)) on each round's between-person
    variance (see ``_round_of``). Flagged only when both rounds have at least the minimum
    number of respondents, the change is at least 5 points and p < 0.05.
    """
    before = [m for m in before if any(x >= 0 for x in m)]
    after = [m for m in after if any(x >= 0 for x in m)]
    n1, n2 = len(before), len(after)
    if min(n1, n2) < max(minimum, 2):
        return Change(0.0, None, False, "a round is below the minimum group size")
    one, two = _round_of(before, populations[0]), _round_of(after, populations[1])
    exact = (two.share - one.share) * 100
    delta = float(exact)
    if one.variance + two.variance == 0:
        p: float | None = 0.0 if exact else 1.0
    else:
        p = welch(one.variance, n1, two.variance, n2, float(two.share - one.share))[2]
    flagged, reason = change_rule(exact, p)
    return Change(delta, p, flagged, reason)


def change_in_mean(
    before: Sequence[float],
    after: Sequence[float],
    *,
    minimum: int,
    populations: tuple[int | None, int | None] = (None, None),
) -> Change:
    """Welch's t-test on respondents' subscale means, each round's variance term multiplied
    by the squared finite-population correction; flagged when both rounds meet the minimum,
    |Δ| ≥ 0.2 SD (the root mean of the two variances) and p < 0.05. Not shown on the page,
    which flags favourable shares (``change_in_favourable``)."""
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
    p = welch(a, n1, b, n2, delta)[2]
    if sd and abs(delta) < CHANGE_SD * sd:
        return Change(delta, p, False, f"change of {delta:+.2f} is under {CHANGE_SD:g} SD")
    if p >= SIGNIFICANCE:
        return Change(delta, p, False, f"not significant (p = {p:.2f})")
    return Change(delta, p, True, f"{delta:+.2f}, {p_text(p)}")
