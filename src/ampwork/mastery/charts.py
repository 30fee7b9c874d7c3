"""Mastery charts: key-result attainment per cycle, skill levels over time, and the
challenge/skill flow map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ampwork.core import l10n
from ampwork.core.charts import ACCENT, Table, to_html

from .flow import FlowMap
from .selectors import CycleAttainment, SkillHistory

QUADRANT_COLOURS = {
    "flow": "#2f6f5e",
    "anxiety": "#b42318",
    "boredom": "#c98a00",
    "apathy": "#7b8794",
    "neutral": "#3e4c59",
}
PALETTE = ["#2f6f5e", "#3b6ea8", "#a05195", "#c98a00", "#b42318", "#52606d"]


def _english() -> bool:
    return (translation.get_language() or "en").startswith("en")


def _date(day: dt.date) -> str:
    """'7 Dec 2026' in English (as these tables always wrote it), the reader's own way
    elsewhere."""
    return f"{day:%-d %b %Y}" if _english() else l10n.format_day(day, "day")


def _short(day: dt.date) -> str:
    return f"{day:%d %b}" if _english() else l10n.format_day(day, "day_month")


def _quadrant(word: str) -> str:
    from .templatetags.mastery_tags import quadrant

    return quadrant(word)


def attainment(rows: Sequence[CycleAttainment]) -> str:
    """Bars: the mean score of each closed cycle, the progress so far of an open one, with
    the 0.7 line that aspirational work aims for."""
    fig = go.Figure(
        go.Bar(
            x=[r.name for r in rows],
            y=[r.average for r in rows],
            marker_color=[ACCENT if r.closed else "#9fc2b6" for r in rows],
            text=[
                l10n.written(f"{r.average:.2f}")
                if r.closed
                else _("%(average)s so far") % {"average": l10n.written(f"{r.average:.2f}")}
                for r in rows
            ],
            textposition="auto",
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        )
    )
    fig.add_hline(
        y=0.7, line={"dash": "dot", "color": "#9aa5b1"}, annotation_text=l10n.written("0.7")
    )
    fig.update_layout(
        height=220, yaxis={"range": [0, 1.05], "title": _("mean score"), "automargin": True}
    )
    table = Table(
        _("Mean key-result score per cycle (0.7 is what aspirational work aims for)"),
        [_("Cycle"), _("Mean score"), _("Key results"), _("Cycle state")],
        [
            (
                r.name,
                l10n.written(f"{r.average:.2f}"),
                r.count,
                pgettext("cycle state", "closed") if r.closed else _("open: progress so far"),
            )
            for r in rows
        ],
    )
    return to_html(fig, table)


# who rates a person beside them: a company's manager; in a school, a student's teachers
# and a teacher's (or head teacher's) head teacher. Each wording is its own sentence.
RATERS = ("manager", "teacher", "head teacher")


def _rater_words(rater: str) -> tuple[str, str, str]:
    """(the legend's "%(skill)s (…)", the table's caption, the table's "rated by" word)."""
    if rater == "teacher":
        return (
            pgettext("school", "%(skill)s (teacher)"),
            pgettext(
                "school",
                "Skill levels over time (1 to 5), as rated by the student and by their teachers",
            ),
            pgettext("school", "teacher"),
        )
    if rater == "head teacher":
        return (
            pgettext("school", "%(skill)s (head teacher)"),
            pgettext(
                "school",
                "Skill levels over time (1 to 5), as rated by the person and by their head teacher",
            ),
            pgettext("school", "head teacher"),
        )
    return (
        _("%(skill)s (manager)"),
        _("Skill levels over time (1 to 5), as rated by the person and by their manager"),
        pgettext("rated by", "manager"),
    )


def skills(histories: Sequence[SkillHistory], *, rater: str = "manager") -> str:
    """One line per skill: the person's own ratings (solid) and their rater's (dotted) —
    ``rater`` one of RATERS."""
    legend, caption, rated_by = _rater_words(rater)
    fig = go.Figure()
    for i, history in enumerate(histories):
        colour = PALETTE[i % len(PALETTE)]
        for points, name, dash in (
            (history.own, history.skill.name, "solid"),
            (history.managers, legend % {"skill": history.skill.name}, "dot"),
        ):
            if points:
                fig.add_trace(
                    go.Scatter(
                        x=[d for d, _ in points],
                        y=[lv for _, lv in points],
                        mode="lines+markers",
                        name=name,
                        line={"color": colour, "dash": dash, "shape": "hv"},
                        hovertemplate=_("%(name)s: level %%{y} on %%{x}") % {"name": name}
                        + "<extra></extra>",
                    )
                )
    days = [d for h in histories for d, _ in h.own + h.managers]
    xaxis: dict[str, object] = {"type": "date"}
    if days and (max(days) - min(days)).days < 28:  # a few ratings close together
        xaxis["range"] = [min(days) - dt.timedelta(days=28), max(days) + dt.timedelta(days=14)]
    fig.update_layout(
        height=260,
        xaxis=xaxis,
        yaxis={"range": [0.5, 5.5], "dtick": 1, "title": _("level")},
    )
    table = Table(
        caption,
        [_("Skill"), _("Rated by"), _("Date"), _("Level")],
        [
            (h.skill.name, who, _date(day), level)
            for h in histories
            for who, points in (
                (pgettext("rated by", "self"), h.own),
                (rated_by, h.managers),
            )
            for day, level in points
        ],
    )
    return to_html(fig, table)


def flow_map(fm: FlowMap) -> str:
    """Each week placed against the person's own averages (z-scores): four quadrants."""
    fig = go.Figure()
    for quadrant, colour in QUADRANT_COLOURS.items():
        points = [p for p in fm.points if p.quadrant == quadrant]
        if points:
            fig.add_trace(
                go.Scatter(
                    x=[p.z_skill for p in points],
                    y=[p.z_challenge for p in points],
                    mode="markers",
                    name=_quadrant(quadrant),
                    marker={"color": colour, "size": 11},
                    text=[
                        _("week of %(week)s: challenge %(challenge)s, skill %(skill)s")
                        % {"week": _short(p.week), "challenge": p.challenge, "skill": p.skill}
                        for p in points
                    ],
                    hovertemplate="%{text}<extra>" + _quadrant(quadrant) + "</extra>",
                )
            )
    latest = fm.points[-1] if fm.points else None
    if latest is not None:
        fig.add_annotation(
            x=latest.z_skill,
            y=latest.z_challenge,
            text=_("latest"),
            showarrow=True,
            arrowhead=2,
        )
    span = max(
        [2.0]
        + [abs(p.z_skill) + 0.3 for p in fm.points]
        + [abs(p.z_challenge) + 0.3 for p in fm.points]
    )
    for x, y, label in (
        (span * 0.7, span * 0.85, "flow"),
        (-span * 0.7, span * 0.85, "anxiety"),
        (span * 0.7, -span * 0.85, "boredom"),
        (-span * 0.7, -span * 0.85, "apathy"),
    ):
        fig.add_annotation(
            x=x,
            y=y,
            text=_quadrant(label),
            showarrow=False,
            font={"color": QUADRANT_COLOURS[label]},
        )
    fig.add_hline(y=0, line={"color": "#cbd2d9"})
    fig.add_vline(x=0, line={"color": "#cbd2d9"})
    fig.update_layout(
        height=300,
        showlegend=False,
        xaxis={
            "range": [-span, span],
            "title": _("skill (vs own average)"),
            "zeroline": False,
            "automargin": True,
        },
        yaxis={
            "range": [-span, span],
            "title": _("challenge (vs own average)"),
            "zeroline": False,
            "automargin": True,
        },
    )
    table = Table(
        _("Each week's challenge and skill, against the person's own averages (z-scores)"),
        [
            _("Week of"),
            _("Challenge"),
            _("Skill"),
            _("Challenge vs average"),
            _("Skill vs average"),
            _("Quadrant"),
        ],
        [
            (
                _date(p.week),
                p.challenge,
                p.skill,
                l10n.format_signed(p.z_challenge, 2),
                l10n.format_signed(p.z_skill, 2),
                _quadrant(p.quadrant),
            )
            for p in fm.points
        ],
    )
    return to_html(fig, table)
