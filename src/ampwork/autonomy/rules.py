"""Autonomy over the four Ts, grown step by step: levels, the next step, the autonomy index
and the "defaulting to control" signal. Pure: no ORM (its sentences go through Django's
gettext). docs/methods.md, Autonomy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ampwork.core.l10n import format_number, format_percent, list_separator
from ampwork.core.words import gettext as _
from ampwork.core.words import gettext_lazy, ngettext

TS = ("technique", "time", "task", "team")  # the order steps are suggested in
TOP = 3
LEVELS = {
    0: (gettext_lazy("Directed"), gettext_lazy("Pick from the options given")),
    1: (gettext_lazy("Consulted"), gettext_lazy("Pick within categories")),
    2: (gettext_lazy("Chooses within guardrails"), gettext_lazy("Design within limits")),
    3: (gettext_lazy("Self-directed"), gettext_lazy("Full choice")),
}
T_LABELS = {
    "task": gettext_lazy("Task — what"),
    "technique": gettext_lazy("Technique — how"),
    "time": gettext_lazy("Time — when"),
    "team": gettext_lazy("Team — who"),
}
T_NAMES = {  # the T alone, inside a sentence
    "task": gettext_lazy("task"),
    "technique": gettext_lazy("technique"),
    "time": gettext_lazy("time"),
    "team": gettext_lazy("team"),
}
PHASES = {
    "upcoming": gettext_lazy("Upcoming"),
    "running": gettext_lazy("Running"),
    "ended": gettext_lazy("Ended"),
}
HEALTHY = (0.4, 0.9)  # key-result scores in this band: stretched, not overwhelmed
REGULAR_WEEKS = 3  # check-ins in at least 3 of the last 4 weeks


def describe(level: int, school: bool) -> str:
    name, classroom = LEVELS[level]
    return str(classroom if school else name)


@dataclass(frozen=True)
class Signals:
    """What the suggestion reads. None: the signal could not be read (no data yet)."""

    has_purpose: bool | None = None
    weeks_with_check_ins: int | None = None  # of the last four
    mean_score: float | None = None  # of key results in the last closed cycle


@dataclass
class NextStep:
    t: str | None
    level: int | None
    suggested: bool
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def t_label(self) -> str:
        """The T inside a sentence, in the reader's language ("technique", "Technik")."""
        return str(T_NAMES[self.t]) if self.t in T_NAMES else ""


def next_step(levels: Mapping[str, int], policy: str, signals: Signals) -> NextStep:
    """The next T to widen, one level at a time: technique first, then time, task, team,
    always the lowest level first. Under ``purpose-first`` a step is suggested only once
    the person has a purpose statement and shows mastery (regular check-ins, key results
    scored in the healthy band); a signal that cannot be read is named, never assumed."""
    lowest = min(levels.get(t, 0) for t in TS)
    if lowest >= TOP:
        return NextStep(None, None, False, [_("already self-directed in all four Ts")])
    t = next(t for t in TS if levels.get(t, 0) == lowest)
    step = NextStep(
        t,
        lowest + 1,
        True,
        [
            _(
                "%(t)s is the lowest of the four Ts (%(level)d); technique comes first, then "
                "time, task and team"
            )
            % {"t": T_LABELS[t], "level": lowest}
        ],
    )
    observed, missing = _read(signals)
    step.missing = missing
    if policy == "purpose-first":
        blockers = [why for ok, why in observed if not ok]
        if missing:
            step.suggested = False
            step.reasons.append(
                _("purpose first: waiting for signals that cannot be read yet (%(missing)s)")
                % {"missing": ", ".join(missing)}
            )
        elif blockers:
            step.suggested = False
            step.reasons.append(
                _("purpose first: not yet — %(blockers)s")
                % {"blockers": list_separator().join(blockers)}
            )
        else:
            step.reasons.append(
                _("purpose first: %(signals)s")
                % {"signals": list_separator().join(why for _ok, why in observed)}
            )
    elif observed:
        step.reasons.append(
            _("together: autonomy support and structure from day one; signals seen: %(signals)s")
            % {"signals": list_separator().join(w for _ok, w in observed)}
        )
    else:
        step.reasons.append(_("together: autonomy support and structure from day one"))
    return step


def _read(signals: Signals) -> tuple[list[tuple[bool, str]], list[str]]:
    observed: list[tuple[bool, str]] = []
    missing: list[str] = []
    if signals.has_purpose is None:
        missing.append(_("a purpose statement"))
    else:
        observed.append(
            (
                signals.has_purpose,
                _("has written a purpose statement")
                if signals.has_purpose
                else _("no purpose statement yet"),
            )
        )
    if signals.weeks_with_check_ins is None:
        missing.append(_("check-ins"))
    else:
        regular = signals.weeks_with_check_ins >= REGULAR_WEEKS
        observed.append(
            (
                regular,
                (
                    _("checked in %(weeks)d of the last 4 weeks")
                    if regular
                    else _("checked in %(weeks)d of the last 4 weeks (needs %(needs)d)")
                )
                % {"weeks": signals.weeks_with_check_ins, "needs": REGULAR_WEEKS},
            )
        )
    if signals.mean_score is None:
        missing.append(_("key-result scores from a closed cycle"))
    else:
        low, high = HEALTHY
        healthy = low <= signals.mean_score <= high
        observed.append(
            (
                healthy,
                (
                    _("key results scored %(score)s on average")
                    if healthy
                    else _("key results scored %(score)s on average (healthy is %(low)s–%(high)s)")
                )
                % {
                    "score": format_number(signals.mean_score, 1),
                    "low": format_number(low),
                    "high": format_number(high),
                },
            )
        )
    return observed, missing


def autonomy_index(objectives: Sequence[tuple[int | None, int | None]]) -> float | None:
    """Share of a person's (or a team's people's) objectives they wrote themselves:
    (owner, author) pairs. Doerr's guide: about half bottom-up."""
    if not objectives:
        return None
    return sum(1 for owner, author in objectives if owner == author) / len(objectives)


def defaulting_to_control(
    levels: Sequence[Mapping[str, int]], index: float | None, objectives: int
) -> list[str]:
    """The control signal the advisor uses: levels low across the Ts and OKRs almost all
    assigned top-down. Returns the reasons, or nothing."""
    if not levels or index is None or objectives < 5:
        return []
    mean = sum(sum(lv.get(t, 0) for t in TS) / len(TS) for lv in levels) / len(levels)
    if mean <= 1.0 and index <= 0.2:
        return [
            _("average autonomy level %(level)s of 3 across the four Ts")
            % {"level": format_number(mean, 1)},
            ngettext(
                "only %(share)s of %(n)d objectives written by their owners",
                "only %(share)s of %(n)d objectives written by their owners",
                objectives,
            )
            % {"share": format_percent(index), "n": objectives},
        ]
    return []


# --- Self-directed time -------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the calendar quarter holding ``day``: the budget's window."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from ``start`` to ``end``, both included (0 if end < start)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    extra = sum(1 for i in range(rest) if (start.weekday() + i) % 7 < 5)
    return weeks * 5 + extra


def budget_hours(share_percent: int, weekly_hours: float, start: dt.date, end: dt.date) -> float:
    """Self-directed hours earned from ``start`` to ``end``: share × weekly hours / 5 for
    each working day."""
    return share_percent / 100 * weekly_hours / 5 * working_days(start, end)


def budget_used(used: float, budget: float) -> float | None:
    """Hours used as a share of the budget, or None while nothing has been earned."""
    return used / budget if budget > 0 else None


# --- ShipIt days -------------------------------------------------------------------

FOLLOW_UP_AFTER = dt.timedelta(days=30)


def shipit_phase(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> str:
    """'upcoming' before the window, 'running' inside it, 'ended' after it."""
    if now < starts_at:
        return "upcoming"
    return "running" if now < ends_at else "ended"


def follow_up_due(ends_at: dt.datetime, now: dt.datetime) -> bool:
    """A month after a ShipIt day, each project's outcome is asked for."""
    return now >= ends_at + FOLLOW_UP_AFTER
