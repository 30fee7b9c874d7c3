"""The challenge/skill flow map (pure: no Django, no ORM).

Each weekly review carries two 1–7 ratings: how challenging the week's work was and how
skilled the person felt for it. Following Moneta & Csikszentmihalyi (1996), both are
z-scored *within the person* — against their own average, not against anyone else — and
each week falls in a quadrant:

- challenge above the person's mean and skill above → **flow**
- challenge above, skill below → **anxiety**
- skill above, challenge below → **boredom**
- both below → **apathy**

A week exactly on the person's mean for either rating sits on an axis and is shown as
**neutral** (1–7 ratings tie often; we do not force them into a quadrant). Nothing is said
before :data:`MIN_WEEKS` weeks are rated, and nothing while a rating has never varied (the
z-score is undefined).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ampwork.core.l10n import written
from ampwork.core.words import gettext, ngettext, pgettext

MIN_WEEKS = 4
RECENT = 4  # weeks that make up "lately"
RECENT_MIN = 3  # of which at least this many in one quadrant to name it


@dataclass(frozen=True)
class Point:
    week: dt.date
    challenge: int
    skill: int
    z_challenge: float
    z_skill: float
    quadrant: str


@dataclass
class FlowMap:
    points: list[Point] = field(default_factory=list)
    weeks_rated: int = 0
    enough: bool = False
    message: str = ""
    recent: str | None = None  # the quadrant of most recent weeks, when they agree
    mean_challenge: float | None = None
    mean_skill: float | None = None

    @property
    def short(self) -> str:
        """A table cell's word when no quadrant is named: "mixed" once the map says
        something; else what it still lacks — weeks counted as the rule counts them
        ("3/4 weeks rated"), or a rating that never varied."""
        if self.enough:
            return pgettext("flow map", "mixed")
        if self.weeks_rated < MIN_WEEKS:
            return gettext("%(rated)d/%(needed)d weeks rated") % {
                "rated": self.weeks_rated,
                "needed": MIN_WEEKS,
            }
        return ngettext(
            "%(rated)d week rated, always the same",
            "%(rated)d weeks rated, always the same",
            self.weeks_rated,
        ) % {"rated": self.weeks_rated}


def quadrant(z_challenge: float, z_skill: float) -> str:
    if z_challenge == 0 or z_skill == 0:
        return "neutral"
    if z_challenge > 0:
        return "flow" if z_skill > 0 else "anxiety"
    return "boredom" if z_skill > 0 else "apathy"


def _z(values: np.ndarray) -> np.ndarray:
    sd = values.std(ddof=1)
    centred = values - values.mean()
    # round away float noise so a week on the mean is exactly 0
    return np.round(centred / sd, 9) if sd > 0 else np.zeros_like(values)


def flow_map(weeks: Sequence[tuple[dt.date, int | None, int | None]]) -> FlowMap:
    """``weeks``: (Monday, challenge, skill) per review, any order; unrated weeks skipped."""
    rated = sorted((w, c, s) for w, c, s in weeks if c is not None and s is not None)
    out = FlowMap(weeks_rated=len(rated))
    if len(rated) < MIN_WEEKS:
        out.message = gettext(
            "%(rated)d of %(needed)d weeks rated: the flow map needs at least %(needed)d weeks "
            "of challenge and skill ratings before it says anything."
        ) % {"rated": len(rated), "needed": MIN_WEEKS}
        return out
    challenge = np.array([c for _, c, _ in rated], dtype=float)
    skill = np.array([s for _, _, s in rated], dtype=float)
    out.mean_challenge = float(challenge.mean())
    out.mean_skill = float(skill.mean())
    if challenge.std() == 0 or skill.std() == 0:
        out.message = (
            gettext(
                "The challenge rating has been the same every week, so there is no personal "
                "average to be above or below yet."
            )
            if challenge.std() == 0
            else gettext(
                "The skill rating has been the same every week, so there is no personal "
                "average to be above or below yet."
            )
        )
        return out
    zc, zs = _z(challenge), _z(skill)
    out.points = [
        Point(w, c, s, float(a), float(b), quadrant(float(a), float(b)))
        for (w, c, s), a, b in zip(rated, zc, zs, strict=True)
    ]
    out.enough = True
    lately = Counter(p.quadrant for p in out.points[-RECENT:]).most_common(1)[0]
    if lately[1] >= RECENT_MIN and lately[0] != "neutral":
        out.recent = lately[0]
    out.message = gettext(
        "%(rated)d weeks rated; each week is placed against this person's own average "
        "(challenge %(challenge)s, skill %(skill)s)."
    ) % {
        "rated": len(rated),
        "challenge": written(f"{out.mean_challenge:.1f}"),
        "skill": written(f"{out.mean_skill:.1f}"),
    }
    return out
