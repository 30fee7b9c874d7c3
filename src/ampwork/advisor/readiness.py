"""Readiness (pure): where an organisation or a team stands on purpose, mastery and
autonomy, and the next sensible step under its ordering policy (docs/methods.md#readiness).

Each of the three is *not started*, *under way* or *established* by the thresholds below
(a product choice). The next step:

- in a company whose fairness gate is red, fairness comes first, under either policy;
- ``together`` (the default; autonomy support and structure from day one): the weakest of
  the three, purpose before mastery before autonomy on a tie;
- ``purpose-first``: the first of purpose → mastery → autonomy not yet established;
  autonomy steps wait until purpose and mastery are.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("not started", "under way", "established")
ORDER = ("purpose", "mastery", "autonomy")


@dataclass(frozen=True)
class Signals:
    policy: str = "together"
    is_school: bool = False
    gate_red: bool = False  # companies: no audit, or a red gate
    published_purpose: bool = False
    statement_share: float | None = None  # people with a purpose statement
    review_share: float | None = None  # people with a weekly review in the last two weeks
    stale_share: float | None = None  # key results of the open cycle without a fresh check-in
    checked_in_lately: bool = False
    mean_level: float | None = None  # autonomy level, 0–3, across the four Ts
    self_set: float | None = None  # share of objectives written by their owners


@dataclass(frozen=True)
class Stage:
    name: str
    level: int  # 0, 1, 2
    reasons: list[str]

    @property
    def label(self) -> str:
        return LEVELS[self.level]


@dataclass(frozen=True)
class Readiness:
    stages: list[Stage]
    next_step: str
    next_link: str
    focus: str  # fairness | purpose | mastery | autonomy | none


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def purpose(s: Signals) -> Stage:
    share = s.statement_share or 0.0
    reasons = [
        "a purpose is published" if s.published_purpose else "no purpose published yet",
        f"{_pct(s.statement_share)} of people wrote their own",
    ]
    if s.published_purpose and share >= 0.5:
        return Stage("purpose", 2, reasons)
    return Stage("purpose", 1 if (s.published_purpose or share > 0) else 0, reasons)


def mastery(s: Signals) -> Stage:
    reviews = s.review_share or 0.0
    stale = s.stale_share
    reasons = [f"{_pct(s.review_share)} wrote a weekly review in the last two weeks"]
    if stale is not None:
        reasons.append(f"{_pct(stale)} of key results without a recent check-in")
    if reviews >= 0.5 and (stale is None or stale <= 0.2):
        return Stage("mastery", 2, reasons)
    return Stage("mastery", 1 if (reviews > 0 or s.checked_in_lately) else 0, reasons)


def autonomy(s: Signals) -> Stage:
    level, own = s.mean_level or 0.0, s.self_set
    reasons = [f"average autonomy level {level:.1f} of 3", f"{_pct(own)} of objectives self-set"]
    if level >= 1.5 and (own or 0) >= 0.4:
        return Stage("autonomy", 2, reasons)
    return Stage("autonomy", 1 if (level > 0 or (own or 0) >= 0.2) else 0, reasons)


STEPS = {
    "fairness": (
        "Fairness first: run the pay audit and fix what it flags, so money is off the table.",
        "/fairness/",
    ),
    "purpose": (
        "Draft the purpose together and publish it; then ask everyone for their own.",
        "/purpose/",
    ),
    "mastery": (
        "Start weekly reviews — wins first — and answer each one; keep key results checked in.",
        "/mastery/",
    ),
    "autonomy": (
        "Grant a first step in technique (how people work), with guardrails; let people "
        "write some of their own objectives.",
        "/autonomy/",
    ),
    "none": (
        "All three are established: keep the weekly rhythm and revisit the checklist.",
        "/advisor/",
    ),
}


def assess(s: Signals) -> Readiness:
    stages = [purpose(s), mastery(s), autonomy(s)]
    by = {st.name: st for st in stages}
    if s.gate_red and not s.is_school:
        focus = "fairness"
    elif s.policy == "purpose-first":
        focus = next((n for n in ORDER if by[n].level < 2), "none")
    else:
        lowest = min(st.level for st in stages)
        focus = "none" if lowest == 2 else next(n for n in ORDER if by[n].level == lowest)
    text, link = STEPS[focus]
    if s.policy == "purpose-first" and focus in ("purpose", "mastery") and by["autonomy"].level < 2:
        text += (
            " Under purpose-first, autonomy steps wait until purpose and mastery are established."
        )
    return Readiness(stages, text, link, focus)
