"""The framework's four steps as a checklist, in ampwork's own words (pure).

Some items tick themselves from the organisation's data (``auto``) and say why; the others
are ticked by hand, with a note, and every change is kept. Items marked ``team`` also have
a state per team. Fairness is for companies only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ampwork.core.words import Promise, gettext_lazy, pgettext_lazy

Text = str | Promise  # a string, or one translated when shown


@dataclass(frozen=True)
class Item:
    key: str
    text: Text
    auto: bool = False
    team: bool = False  # also judged (or ticked) per team
    school_text: Text = ""
    short: Text = ""  # a few words, for tables
    school_short: Text = ""  # the same in a school's words, where they differ


@dataclass(frozen=True)
class Step:
    key: str
    title: Text
    why: Text
    items: tuple[Item, ...]
    tips: tuple[Text, ...]
    warnings: tuple[Text, ...]
    companies_only: bool = False


STEPS: tuple[Step, ...] = (
    Step(
        "fairness",
        gettext_lazy("1. Ensure baseline fairness"),
        gettext_lazy(
            "Pay fairly enough that money is off the table; otherwise everything else feels "
            "like a trick."
        ),
        (
            Item(
                "pay-audit",
                gettext_lazy("A pay audit in the last 12 months, with no red flags"),
                auto=True,
            ),
            Item(
                "okrs-apart-from-bonuses",
                gettext_lazy("No if-then bonus tied to an objective or key result"),
                auto=True,
            ),
            Item(
                "pay-visible",
                gettext_lazy(
                    "Everyone can see their own pay against its range, and how ranges are set"
                ),
            ),
            Item("fix-budget", gettext_lazy("A budget and a date to fix the gaps the audit flags")),
        ),
        (
            gettext_lazy(
                "Compare pay with peers doing similar work and with the market, "
                "not only on average."
            ),
            gettext_lazy("Publish how ranges are set; keep individual pay private."),
        ),
        (
            gettext_lazy(
                "Starting autonomy or purpose work while pay is unfair is the third classic "
                "mistake."
            ),
        ),
        companies_only=True,
    ),
    Step(
        "autonomy",
        gettext_lazy("2. Design for autonomy"),
        gettext_lazy(
            "Control over task, technique, time and team, grown a step at a time as trust builds."
        ),
        (
            Item(
                "autonomy-step",
                gettext_lazy("At least one autonomy step granted in each team"),
                auto=True,
                team=True,
                school_text=pgettext_lazy(
                    "school", "At least one autonomy step granted in each class"
                ),
                short=gettext_lazy("autonomy step"),
            ),
            Item(
                "self-set-okrs",
                gettext_lazy("People write a good share of their own objectives (40% or more)"),
                auto=True,
                team=True,
                school_text=gettext_lazy("Students set some of their own goals (40% or more)"),
                short=gettext_lazy("self-set OKRs"),
            ),
            Item(
                "own-time",
                gettext_lazy("Self-directed time is agreed and protected"),
                team=True,
                short=gettext_lazy("own time"),
            ),
            Item("shipit", gettext_lazy("A ShipIt day in the last 12 months"), auto=True),
        ),
        (
            gettext_lazy(
                "Start with technique — how people do their work — before task, time and team."
            ),
            gettext_lazy(
                "Pair each step with guardrails and a check-in rhythm: autonomy is not abandonment."
            ),
        ),
        (
            gettext_lazy(
                "Low levels everywhere and objectives handed down is the second classic mistake."
            ),
        ),
    ),
    Step(
        "mastery",
        gettext_lazy("3. Enable mastery"),
        gettext_lazy(
            "Clear goals, weekly progress made visible, feedback, and challenge that stretches "
            "without overwhelming."
        ),
        (
            Item(
                "weekly-reviews",
                gettext_lazy("Weekly reviews running in most teams"),
                auto=True,
                team=True,
                school_text=gettext_lazy("Weekly reflections running in most classes"),
                short=gettext_lazy("weekly reviews"),
                school_short=pgettext_lazy("school", "weekly reflections"),
            ),
            Item(
                "check-ins",
                gettext_lazy("Key results checked in (under 20% stale this cycle)"),
                auto=True,
                team=True,
                short=gettext_lazy("check-ins fresh"),
            ),
            Item(
                "skills",
                gettext_lazy("Skills named, with what each level looks like (three or more)"),
                auto=True,
            ),
            Item(
                "feedback",
                gettext_lazy("Feedback is specific and frequent; recognition comes after the fact"),
                team=True,
                short=gettext_lazy("feedback habit"),
            ),
        ),
        (
            gettext_lazy(
                "Ask for small wins first: progress in meaningful work is the strongest motivator."
            ),
            gettext_lazy(
                "Aspirational OKRs should land around 0.7; always 1.0 means the goals are too safe."
            ),
        ),
        (
            gettext_lazy(
                "No points, badges or streaks for reviews: they turn progress into a game to win."
            ),
        ),
    ),
    Step(
        "purpose",
        gettext_lazy("4. Connect to purpose"),
        gettext_lazy(
            "A purpose people feel, their own purposes, and real stories of the work's impact."
        ),
        (
            Item(
                "published-purpose",
                gettext_lazy("A shared purpose, drafted together and published"),
                auto=True,
            ),
            Item(
                "own-purpose",
                gettext_lazy("Half or more of people have written their own purpose"),
                auto=True,
            ),
            Item("impact-story", gettext_lazy("An impact story in the last 90 days"), auto=True),
            Item(
                "purpose-in-okrs",
                gettext_lazy("Objectives say whom they serve"),
                team=True,
                short=gettext_lazy("OKRs name whom they serve"),
            ),
        ),
        (
            gettext_lazy(
                "Name who is better off because of the work; profit can be a means, not the point."
            ),
            gettext_lazy("Tie impact stories to the objectives behind them."),
        ),
        (gettext_lazy("A purpose that speaks only of money for owners rings hollow."),),
    ),
)
ITEMS = {i.key: i for s in STEPS for i in s.items}


@dataclass(frozen=True)
class Auto:
    done: bool
    reason: str


@dataclass(frozen=True)
class HandTick:
    done: bool
    by: str
    at: object  # a datetime
    note: str = ""


def item_label(key: str, school: bool) -> str:
    """An item's few words (its own words where it has no short form) in the reader's
    language, for a sentence naming it ("Ann ticked “own time”"); an unknown key as it is."""
    item = ITEMS.get(key)
    if item is None:
        return key
    return ItemState(item, False, False).short_text(school)


@dataclass
class ItemState:
    item: Item
    done: bool
    by_data: bool
    reason: str = ""
    tick: HandTick | None = None

    def text(self, school: bool) -> str:
        return str((self.item.school_text or self.item.text) if school else self.item.text)

    def short_text(self, school: bool) -> str:
        """Its few words (its own words where it has no short form), a school's in a school."""
        short = (self.item.school_short or self.item.short) if school else self.item.short
        return str(short or self.text(school))


@dataclass
class StepState:
    step: Step
    items: list[ItemState] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.done)


def evaluate(
    *,
    school: bool,
    auto: Mapping[str, Auto],
    ticks: Mapping[str, HandTick],
    team: bool = False,
) -> list[StepState]:
    """The checklist's state: data decides the automatic items (ticking and unticking
    them as the data changes); the latest hand tick decides the rest. ``team``: only the
    items that have a per-team state."""
    out = []
    for step in STEPS:
        if step.companies_only and school:
            continue
        state = StepState(step)
        for item in step.items:
            if team and not item.team:
                continue
            if item.auto and item.key in auto:
                found = auto[item.key]
                state.items.append(ItemState(item, found.done, True, found.reason))
            else:
                tick = ticks.get(item.key)
                state.items.append(ItemState(item, bool(tick and tick.done), False, "", tick))
        if state.items:
            out.append(state)
    return out


def progress(steps: list[StepState]) -> tuple[int, int]:
    return sum(s.done for s in steps), sum(len(s.items) for s in steps)
