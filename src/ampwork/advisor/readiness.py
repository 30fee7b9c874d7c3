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

from ampwork.core.l10n import format_number, format_percent
from ampwork.core.words import gettext as _
from ampwork.core.words import gettext_lazy, pgettext, pgettext_lazy

LEVELS = ("not started", "under way", "established")  # the API's values
LEVEL_LABELS = (
    gettext_lazy("not started"),
    gettext_lazy("under way"),
    gettext_lazy("established"),
)
ORDER = ("purpose", "mastery", "autonomy")
STAGE_TITLES = {
    "purpose": gettext_lazy("Purpose"),
    "mastery": gettext_lazy("Mastery"),
    "autonomy": gettext_lazy("Autonomy"),
}


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

    @property
    def display(self) -> str:
        """The level in the reader's language (``label`` is the API's value)."""
        return str(LEVEL_LABELS[self.level])

    @property
    def title(self) -> str:
        return str(STAGE_TITLES[self.name])


@dataclass(frozen=True)
class Readiness:
    stages: list[Stage]
    next_step: str
    next_link: str
    focus: str  # fairness | purpose | mastery | autonomy | none


def _pct(x: float | None) -> str:
    return format_percent(x)


def purpose(s: Signals) -> Stage:
    share = s.statement_share or 0.0
    reasons = [
        _("a purpose is published") if s.published_purpose else _("no purpose published yet"),
        _("%(share)s of people wrote their own") % {"share": _pct(s.statement_share)},
    ]
    if s.published_purpose and share >= 0.5:
        return Stage("purpose", 2, reasons)
    return Stage("purpose", 1 if (s.published_purpose or share > 0) else 0, reasons)


def mastery(s: Signals) -> Stage:
    reviews = s.review_share or 0.0
    stale = s.stale_share
    wrote = (
        pgettext("school", "%(share)s wrote a weekly reflection in the last two weeks")
        if s.is_school
        else _("%(share)s wrote a weekly review in the last two weeks")
    )
    reasons = [wrote % {"share": _pct(s.review_share)}]
    if stale is not None:
        reasons.append(
            _("%(share)s of key results without a recent check-in") % {"share": _pct(stale)}
        )
    if reviews >= 0.5 and (stale is None or stale <= 0.2):
        return Stage("mastery", 2, reasons)
    return Stage("mastery", 1 if (reviews > 0 or s.checked_in_lately) else 0, reasons)


def autonomy(s: Signals) -> Stage:
    level, own = s.mean_level or 0.0, s.self_set
    reasons = [
        _("average autonomy level %(level)s of 3") % {"level": format_number(level, 1)},
        _("%(share)s of objectives self-set") % {"share": _pct(own)},
    ]
    if level >= 1.5 and (own or 0) >= 0.4:
        return Stage("autonomy", 2, reasons)
    return Stage("autonomy", 1 if (level > 0 or (own or 0) >= 0.2) else 0, reasons)


STEPS = {
    "fairness": (
        gettext_lazy(
            "Fairness first: run the pay audit and fix what it flags, so money is off the table."
        ),
        "/fairness/",
    ),
    "purpose": (
        gettext_lazy("Draft the purpose together and publish it; then ask everyone for their own."),
        "/purpose/",
    ),
    "mastery": (
        gettext_lazy(
            "Start weekly reviews — wins first — and answer each one; keep key results checked in."
        ),
        "/mastery/",
    ),
    "autonomy": (
        gettext_lazy(
            "Grant a first step in technique (how people work), with guardrails; let people "
            "write some of their own objectives."
        ),
        "/autonomy/",
    ),
    "none": (
        gettext_lazy(
            "All three are established: keep the weekly rhythm and revisit the checklist."
        ),
        "/advisor/",
    ),
}


# a school's next steps where its words differ (weekly reflections, students and teachers)
SCHOOL_STEPS = {
    "mastery": pgettext_lazy(
        "school",
        "Start weekly reflections — wins first — and answer each one; keep key results checked in.",
    ),
    "autonomy": pgettext_lazy(
        "school",
        "Grant a first step in technique (how students work), with guardrails; let students "
        "write some of their own objectives.",
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
    lazy_text, link = STEPS[focus]
    text = str(SCHOOL_STEPS.get(focus, lazy_text) if s.is_school else lazy_text)
    if s.policy == "purpose-first" and focus in ("purpose", "mastery") and by["autonomy"].level < 2:
        text = _(
            "%(step)s Under purpose-first, autonomy steps wait until purpose and mastery are "
            "established."
        ) % {"step": text}
    return Readiness(stages, text, link, focus)
