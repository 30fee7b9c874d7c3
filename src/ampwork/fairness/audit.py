"""The pay audit: pure statistics over plain records (no ORM; its sentences go through
Django's gettext).

Formulas, thresholds and sources: docs/methods.md, section Fairness.

- compa-ratio = pay / range midpoint; range penetration = (pay − min) / (max − min)
- market ratio = pay / market P50, and the position against P25 / P50 / P75
- peers = same role, level and location; flagged when pay is more than 10% below the peer
  median, or more than 1.5 IQR below it
- who is compared: the reference and comparison groups only; everyone else is left out of
  every gap, quartile and report, and counted
- raw gaps: (reference − comparison) / reference, of the means and of the medians
- adjusted gap: regression.py
- pay quartiles (UK reg 13(2): a rate straddling a boundary is shared in proportion),
  the EU Directive 2023/970 art. 9(1) measures and the ≥ 5% rule of art. 10 per category
- remediation: the cost of lifting everyone flagged to the highest threshold they miss
Every boundary that decides a flag is compared in Decimal (money.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ampwork.core.l10n import written
from ampwork.core.words import gettext as _
from ampwork.fairness.words import group_label

from . import money
from .money import exact
from .regression import adjusted_gap

COMPA_LOW = Decimal("0.80")  # WorldatWork's usual band: 0.80–1.20
PEER_GAP = Decimal("0.10")  # product rule: more than 10% below the peer median
PEER_IQR = Decimal("1.5")  # product rule: more than 1.5 IQR below the peer median
CATEGORY_GAP = Decimal(5)  # EU Directive 2023/970 art. 10: ≥ 5% calls for a joint assessment
MIN_PEERS = 3  # a peer median needs at least three people


@dataclass
class Record:
    employee_id: str
    base_pay: float  # annual, for the FTE worked
    variable_pay: float = 0.0  # bonus and commission in the year
    fte: float = 1.0
    role: str = ""
    level: str = ""
    location: str = ""
    group: str = ""  # e.g. gender
    tenure_years: float | None = None
    performance: float | None = None
    band_min: float | None = None
    band_max: float | None = None
    market_p25: float | None = None
    market_p50: float | None = None
    market_p75: float | None = None
    factors: dict[str, Any] = field(default_factory=dict)
    team: str = ""
    currency: str = ""
    complementary_pay: float = 0.0  # allowances and benefits in the year

    @property
    def annual(self) -> float:
        """Base pay annualised to full time (pay / FTE)."""
        return self.base_pay / self.fte

    @property
    def peer_key(self) -> tuple[str, str, str]:
        return (self.role, self.level, self.location)

    # the amounts in Decimal, computed once per set of inputs (see _amounts)
    _money: tuple[tuple[float, ...], Decimal, Decimal, Decimal] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _amounts(self) -> tuple[tuple[float, ...], Decimal, Decimal, Decimal]:
        key = (self.base_pay, self.complementary_pay, self.variable_pay, self.fte)
        if self._money is None or self._money[0] != key:
            fte = exact(self.fte)
            basic = money.money(exact(self.base_pay) / fte)
            extra = (
                money.money((exact(self.complementary_pay) + exact(self.variable_pay)) / fte)
                if self.complementary_pay or self.variable_pay
                else money.ZERO
            )
            self._money = (key, basic, extra, basic + extra)
        return self._money

    @property
    def basic(self) -> Decimal:
        """Ordinary basic pay at full time, to the cent."""
        return self._amounts()[1]

    @property
    def extra(self) -> Decimal:
        """Complementary and variable pay at full time, to the cent."""
        return self._amounts()[2]

    @property
    def total(self) -> Decimal:
        """All pay at full time (basic + complementary + variable)."""
        return self._amounts()[3]


@dataclass
class PersonResult:
    employee_id: str
    annual_pay: float
    compa_ratio: float | None
    range_penetration: float | None
    market_ratio: float | None
    market_position: str | None
    peer_median: float | None
    peer_deviation: float | None
    peers: int
    reasons: list[str]
    target: float | None  # the pay that clears every threshold missed
    lift: float


def _gaps(reference: Sequence[Decimal], comparison: Sequence[Decimal]) -> dict[str, Any]:
    if not reference or not comparison:
        return {"mean": None, "median": None}
    return {
        "mean": money.gap_percent(money.mean(reference), money.mean(comparison)),
        "median": money.gap_percent(money.median(reference), money.median(comparison)),
    }


def _floats(gaps: dict[str, Any]) -> dict[str, float | None]:
    return {k: None if v is None else float(v) for k, v in gaps.items()}


def gap(
    reference: Sequence[float | Decimal], comparison: Sequence[float | Decimal]
) -> dict[str, float | None]:
    """(reference − comparison) / reference × 100, of the means and of the medians,
    computed on amounts to the cent in Decimal."""
    return _floats(_gaps([money.money(v) for v in reference], [money.money(v) for v in comparison]))


# ---------------------------------------------------------------- people


def people(records: Sequence[Record]) -> list[PersonResult]:
    pays = {id(r): r.basic for r in records}
    peers: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    for r in records:
        peers[r.peer_key].append(pays[id(r)])
    # each peer group's median and IQR fence, once per group
    summary: dict[tuple[str, str, str], tuple[Decimal, Decimal, Decimal]] = {}
    for key, group in peers.items():
        if len(group) >= MIN_PEERS and any(key):
            q1, mid, q3 = money.quartiles(group)
            summary[key] = (mid, mid - PEER_IQR * (q3 - q1), q3 - q1)
    return [
        _person(r, pays[id(r)], len(peers[r.peer_key]), summary.get(r.peer_key)) for r in records
    ]


def _person(
    r: Record, pay: Decimal, peer_count: int, peer: tuple[Decimal, Decimal, Decimal] | None
) -> PersonResult:
    reasons: list[str] = []
    thresholds: list[Decimal] = []
    compa = penetration = None
    if r.band_min is not None and r.band_max is not None and r.band_max > r.band_min:
        low, high = exact(r.band_min), exact(r.band_max)
        mid = (low + high) / 2
        compa = float(pay / mid)
        penetration = float((pay - low) / (high - low))
        if pay < COMPA_LOW * mid:
            reasons.append(
                _("compa-ratio %(compa)s is below %(low)s")
                % {"compa": written(f"{compa:.2f}"), "low": written(f"{COMPA_LOW:.2f}")}
            )
            thresholds.append(COMPA_LOW * mid)
    market_ratio = position = None
    if r.market_p50:
        p25 = None if r.market_p25 is None else exact(r.market_p25)
        p50 = exact(r.market_p50)
        p75 = None if r.market_p75 is None else exact(r.market_p75)
        market_ratio = float(pay / p50)
        position = _position(pay, p25, p50, p75)
        if p25 is not None and pay < p25:
            reasons.append(_("below the market P25 (%(p25)s)") % {"p25": written(f"{p25:.0f}")})
            thresholds.append(p25)
    peer_median = deviation = None
    if peer is not None:
        median, fence, iqr = peer
        peer_median = float(median)
        deviation = float((pay - median) / median) if median else None
        if pay < (1 - PEER_GAP) * median:
            reasons.append(
                _("%(share)s below the peer median (%(median)s)")
                % {
                    "share": written(f"{float((median - pay) / median) * 100:.0f}", percent=True),
                    "median": written(f"{median:.0f}"),
                }
            )
            thresholds.append((1 - PEER_GAP) * median)
        if iqr > 0 and pay < fence:
            reasons.append(
                _("more than %(iqr)s IQR below the peer median") % {"iqr": written(str(PEER_IQR))}
            )
            thresholds.append(fence)
    target = max(thresholds) if thresholds else None
    lift = money.money((target - pay) * exact(r.fte)) if target is not None else Decimal(0)
    return PersonResult(
        r.employee_id,
        float(pay),
        compa,
        penetration,
        market_ratio,
        position,
        peer_median,
        deviation,
        peer_count,
        reasons,
        None if target is None else float(target),
        float(lift),
    )


def _position(pay: Decimal, p25: Decimal | None, p50: Decimal, p75: Decimal | None) -> str:
    if p25 is not None and pay < p25:
        return "below P25"
    if pay < p50:
        return "P25–P50"
    if p75 is None or pay <= p75:
        return "P50–P75"
    return "above P75"


# ---------------------------------------------------------------- who is compared


def population(
    records: Sequence[Record], reference: str, comparison: str
) -> tuple[list[Record], dict[str, Any]]:
    """The two compared groups, and who is left out of every gap and report and why: no
    value recorded, or another value (counted per value)."""
    compared = [r for r in records if r.group in (reference, comparison)]
    others: dict[str, int] = defaultdict(int)
    blank = 0
    for r in records:
        if not r.group.strip():
            blank += 1
        elif r.group not in (reference, comparison):
            others[r.group] += 1
    return compared, {
        "n": len(records) - len(compared),
        "blank": blank,
        "other": dict(sorted(others.items())),
    }


# ---------------------------------------------------------------- reports


def quartiles(
    records: Sequence[Record],
    reference: str,
    comparison: str,
    pay: Callable[[Record], Decimal] = lambda r: r.total,
) -> list[dict[str, Any]]:
    """Pay quartiles of the compared groups, lowest first, with each group's share.

    Everyone is ranked by ``pay`` and cut into four sections of (as nearly as possible)
    equal size, the first sections taking the remainder. People on the same rate are one
    block: where a block straddles a boundary, each quartile it spans receives its men and
    women in the block's own proportion (UK reg 13(2)), as fractions of a person — so no
    identifier, order or relabelling ever moves anyone."""
    compared = [r for r in records if r.group in (reference, comparison)]
    size = len(compared)
    sizes = [size // 4 + (1 if i < size % 4 else 0) for i in range(4)]
    bounds = [sum(sizes[:i]) for i in range(5)]
    blocks: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0])
    for r in compared:
        blocks[pay(r)][0 if r.group == reference else 1] += 1
    counts = [[Fraction(0), Fraction(0)] for _ in range(4)]
    whole = [[0, 0] for _ in range(4)]  # blocks inside one quartile: whole people
    start, q = 0, 0
    for rate in sorted(blocks):
        n_ref, n_cmp = blocks[rate]
        end = start + n_ref + n_cmp
        while bounds[q + 1] <= start:  # pragma: no mutate (a skip: overlap > 0 gives the same)
            q += 1
        if end <= bounds[q + 1]:  # pragma: no mutate (a fast path: the loop gives the same)
            whole[q][0] += n_ref
            whole[q][1] += n_cmp
        else:
            for part in range(q, 4):
                overlap = min(end, bounds[part + 1]) - max(start, bounds[part])
                if overlap > 0:
                    counts[part][0] += Fraction(overlap * n_ref, n_ref + n_cmp)
                    counts[part][1] += Fraction(overlap * n_cmp, n_ref + n_cmp)
        start = end
    for part in range(4):
        counts[part][0] += whole[part][0]
        counts[part][1] += whole[part][1]
    return [
        {
            "quartile": q + 1,
            "n": sizes[q],
            reference: float(counts[q][0] / sizes[q]) if sizes[q] else None,
            comparison: float(counts[q][1] / sizes[q]) if sizes[q] else None,
        }
        for q in range(4)
    ]


def categories(records: Sequence[Record], reference: str, comparison: str) -> list[dict[str, Any]]:
    """Per category of workers (same role and level) of the compared groups: the gaps in
    ordinary basic pay, in complementary and variable pay and in total pay (EU Directive
    2023/970 art. 9(1)(g)); a mean gap of 5% or more, either way, in basic or in total pay is
    flagged (art. 10)."""
    by: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        if r.group in (reference, comparison):
            by[(r.role, r.level)].append(r)
    out = []
    for (role, level), members in sorted(by.items()):
        ref = [m for m in members if m.group == reference]
        cmp_ = [m for m in members if m.group == comparison]
        basic = _gaps([m.basic for m in ref], [m.basic for m in cmp_])
        extra = _gaps([m.extra for m in ref], [m.extra for m in cmp_])
        total = _gaps([m.total for m in ref], [m.total for m in cmp_])
        flag_basic = basic["mean"] is not None and abs(basic["mean"]) >= CATEGORY_GAP
        flag_total = total["mean"] is not None and abs(total["mean"]) >= CATEGORY_GAP
        out.append(
            {
                "role": role,
                "level": level,
                "n": len(members),
                "n_reference": len(ref),
                "n_comparison": len(cmp_),
                "basic_mean_gap": _floats(basic)["mean"],
                "basic_median_gap": _floats(basic)["median"],
                "variable_mean_gap": _floats(extra)["mean"],
                "variable_median_gap": _floats(extra)["median"],
                "total_mean_gap": _floats(total)["mean"],
                "total_median_gap": _floats(total)["median"],
                "flag_basic": flag_basic,
                "flag_total": flag_total,
                "flag": flag_basic or flag_total,
            }
        )
    return out


def _share(group: Sequence[Record], receives: Callable[[Record], bool]) -> float | None:
    return sum(1 for r in group if receives(r)) / len(group) if group else None


def eu_measures(records: Sequence[Record], reference: str, comparison: str) -> dict[str, Any]:
    """EU Directive 2023/970 art. 9(1)(a)–(g) on the compared groups. Pay is total pay at
    full time (art. 3(1)(a): basic plus complementary and variable components); the
    complementary/variable gaps are among those who receive any."""
    ref = [r for r in records if r.group == reference]
    cmp_ = [r for r in records if r.group == comparison]
    pay = _floats(_gaps([r.total for r in ref], [r.total for r in cmp_]))
    extra = _floats(
        _gaps([r.extra for r in ref if r.extra > 0], [r.extra for r in cmp_ if r.extra > 0])
    )
    return {
        "a_mean_gap": pay["mean"],
        "b_mean_variable_gap": extra["mean"],
        "c_median_gap": pay["median"],
        "d_median_variable_gap": extra["median"],
        "e_receiving_variable": {
            reference: _share(ref, lambda r: r.extra > 0),
            comparison: _share(cmp_, lambda r: r.extra > 0),
        },
        "f_quartiles": quartiles(records, reference, comparison),
        "g_categories": categories(records, reference, comparison),
    }


def uk_measures(
    records: Sequence[Record],
    reference: str,
    comparison: str,
    quartile_table: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The UK's six measures. Hourly pay is stood in for by total pay at full time (reg 6
    counts ordinary pay and the bonus pay of the period); bonus pay is the variable pay
    actually paid, among those who received some (reg 10)."""
    ref = [r for r in records if r.group == reference]
    cmp_ = [r for r in records if r.group == comparison]
    pay = _floats(_gaps([r.total for r in ref], [r.total for r in cmp_]))
    bonus = gap(
        [r.variable_pay for r in ref if r.variable_pay > 0],
        [r.variable_pay for r in cmp_ if r.variable_pay > 0],
    )
    return {
        "mean_pay_gap": pay["mean"],
        "median_pay_gap": pay["median"],
        "mean_bonus_gap": bonus["mean"],
        "median_bonus_gap": bonus["median"],
        "bonus_share": {
            reference: _share(ref, lambda r: r.variable_pay > 0),
            comparison: _share(cmp_, lambda r: r.variable_pay > 0),
        },
        "quartiles": quartile_table or quartiles(records, reference, comparison),
    }


def audit(records: Sequence[Record], reference: str, comparison: str) -> dict[str, Any]:
    """The whole audit as one plain document (what `ampwork fairness audit` prints).

    Everyone is checked against their band, the market and their peers; the gaps, the
    quartiles and the EU and UK reports cover the two compared groups only."""
    results = people(records)
    compared, left_out = population(records, reference, comparison)
    ref = [r.basic for r in compared if r.group == reference]
    cmp_ = [r.basic for r in compared if r.group == comparison]
    regression = adjusted_gap(compared, comparison) if ref and cmp_ else None
    flagged = [p for p in results if p.reasons]
    by_currency: dict[str, float] = defaultdict(float)
    by_team: dict[str, float] = defaultdict(float)
    for record, result in zip(records, results, strict=True):
        if result.reasons:
            by_currency[record.currency] += result.lift
            by_team[record.team] += result.lift
    eu = eu_measures(compared, reference, comparison)
    return {
        "n": len(records),
        "compared": len(compared),
        "left_out": left_out,
        "groups": {reference: len(ref), comparison: len(cmp_)},
        "raw_gap": _floats(_gaps(ref, cmp_)),
        "adjusted_gap": None
        if regression is None
        else {
            "log_points": regression.log_points,
            "percent": regression.percent,
            "se": regression.se,
            "ci95": list(regression.ci95),
            "n": regression.n,
            "left_out": regression.left_out,
            "robust": regression.robust,
            "controls": regression.controls,
            "r_squared": regression.r_squared,
        },
        "flags": [{"employee_id": p.employee_id, "reasons": p.reasons} for p in flagged],
        "people": [p.__dict__ for p in results],
        "quartiles": eu["f_quartiles"],
        "categories": eu["g_categories"],
        "eu": eu,
        "uk": uk_measures(compared, reference, comparison, eu["f_quartiles"]),
        "remediation": {
            "total": float(sum((money.exact(p.lift) for p in flagged), Decimal(0))),
            "people": [
                {"employee_id": p.employee_id, "to": p.target, "cost": p.lift} for p in flagged
            ],
            "by_currency": dict(by_currency),
            "by_team": dict(by_team),
        },
    }


def groups_of(records: Iterable[Record]) -> list[str]:
    return sorted({r.group for r in records if r.group})


def left_out_text(left_out: dict[str, Any], column: str = "gender") -> str:
    """'42 left out: 40 with no gender recorded, 2 nonbinary' (empty when nobody is)."""
    if not left_out.get("n"):
        return ""
    parts = []
    if left_out.get("blank"):
        parts.append(
            _("%(n)s with no %(column)s recorded") % {"n": left_out["blank"], "column": column}
        )
    parts += [f"{n} {group_label(value)}" for value, n in left_out.get("other", {}).items()]
    return _("%(n)s left out of the comparison: %(who)s") % {
        "n": left_out["n"],
        "who": ", ".join(parts),
    }
