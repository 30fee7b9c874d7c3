"""OKR charts: a key result's history against its target and expected pace; the cycle's
pacing per team; the distribution of scores."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from ampwork.core.charts import ACCENT, Table, figure_html, to_html

from . import progress
from .models import CheckIn, Cycle, KeyResult

COLOURS = {
    progress.ON_TRACK: "#2f6f5e",
    progress.AT_RISK: "#c98a00",
    progress.OFF_TRACK: "#b42318",
    progress.NOT_STARTED: "#9aa5b1",
}
BANDS = {"red": "#b42318", "yellow": "#c98a00", "green": "#2f6f5e"}


def key_result(kr: KeyResult, history: Sequence[CheckIn], cycle: Cycle) -> str | None:
    """Check-ins over the cycle, with the target and the expected pace (numeric results),
    or the band (ranges). Nothing for done / milestone results: their bar says it all."""
    if kr.kind not in (KeyResult.Kind.NUMERIC, KeyResult.Kind.RANGE):
        return None
    fig = go.Figure()
    points = [(c.date, c.value) for c in history if c.value is not None]
    if kr.kind == KeyResult.Kind.NUMERIC:
        fig.add_trace(
            go.Scatter(
                x=[cycle.start, cycle.end],
                y=[kr.start, kr.target],
                mode="lines",
                name="expected pace",
                line={"dash": "dot", "color": "#9aa5b1"},
            )
        )
        fig.add_hline(
            y=kr.target,
            line={"color": ACCENT, "width": 1},
            annotation_text=f"target {kr.target:g}{kr.unit}",
            annotation_position="top left",
        )
    elif kr.low is not None and kr.high is not None:
        fig.add_hrect(
            y0=kr.low,
            y1=kr.high,
            fillcolor=ACCENT,
            opacity=0.12,
            line_width=0,
            annotation_text="keep within",
            annotation_position="top left",
        )
    if points:
        fig.add_trace(
            go.Scatter(
                x=[d for d, _ in points],
                y=[v for _, v in points],
                mode="lines+markers",
                name="check-ins",
                line={"color": ACCENT, "width": 3},
                hovertemplate="%{x}: %{y}<extra></extra>",
            )
        )
    fig.update_layout(
        height=220,
        showlegend=False,
        xaxis={"range": [cycle.start, cycle.end]},
        yaxis_title=kr.unit or None,
    )
    if kr.kind == KeyResult.Kind.NUMERIC:
        aim = (
            f"from {kr.start:g}{kr.unit} on {cycle.start:%-d %b} "
            f"to {kr.target:g}{kr.unit} by {cycle.end:%-d %b %Y}"
        )
    elif kr.low is not None and kr.high is not None:
        aim = f"kept within {kr.low:g}{kr.unit} to {kr.high:g}{kr.unit}"
    else:
        aim = "no band set"
    table = Table(
        f"Check-ins of {kr.title} ({aim})",
        ["Date", f"Value{f' ({kr.unit})' if kr.unit else ''}"],
        [(f"{d:%-d %b %Y}", f"{v:g}") for d, v in points] or [("no check-in yet", "–")],
    )
    return to_html(fig, table)


def statuses(rows: Sequence[Any]) -> str:
    """Stacked bars: objectives on track, at risk, off track per team. Written as the
    dicts plotly would make of its figure (:func:`ampwork.core.charts.figure_html`)."""
    names = [r.name for r in rows][::-1]
    kinds = (progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK, progress.NOT_STARTED)
    data = [
        {
            "hovertemplate": f"%{{y}}: %{{x}} {s}<extra></extra>",
            "marker": {"color": COLOURS[s]},
            "name": s,
            "orientation": "h",
            "x": [r.counts[s] for r in rows][::-1],
            "y": names,
            "type": "bar",
        }
        for s in kinds
    ]
    most = max((r.total for r in rows), default=1)
    layout = {
        "legend": {"orientation": "h", "y": -0.15},
        "barmode": "stack",
        "height": max(200, 32 * len(rows) + 80),
        "xaxis": {
            "title": {"text": "objectives"},
            "tick0": 0,
            "dtick": max(1, math.ceil(most / 8)),
        },
        "yaxis": {"automargin": True},
    }
    table = Table(
        "Objectives per team by pacing",
        ["Team", *(s.capitalize() for s in kinds)],
        [(r.name, *(r.counts[s] for s in kinds)) for r in rows],
    )
    return figure_html(data, layout, table)


def scores(per_grade: Mapping[float, int], final: bool) -> str:
    """How many key results got each grade (stored graded to one decimal), coloured by
    Google's bands. Written as the dicts plotly would make of its figure
    (:func:`ampwork.core.charts.figure_html`)."""
    grades = [round(i / 10, 1) for i in range(11)]
    counts = [0] * len(grades)
    for value, n in per_grade.items():
        counts[grades.index(progress.round_score(value))] += n
    data = [
        {
            "hovertemplate": "%{y} key results at %{x}<extra></extra>",
            "marker": {"color": [BANDS[progress.score_band(g)] for g in grades]},
            "x": [f"{g:.1f}" for g in grades],
            "y": counts,
            "type": "bar",
        }
    ]
    layout = {
        "height": 240,
        "xaxis": {"title": {"text": "score" if final else "progress so far (graded)"}},
        "yaxis": {
            "title": {"text": "key results"},
            "tick0": 0,
            "dtick": max(1, math.ceil(max(counts, default=1) / 6)),
        },
    }
    table = Table(
        "Key results per score" if final else "Key results per grade of their progress so far",
        ["Score" if final else "Progress (graded)", "Key results"],
        [(f"{g:.1f}", n) for g, n in zip(grades, counts, strict=True)],
    )
    return figure_html(data, layout, table)
