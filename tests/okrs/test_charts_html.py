"""The cycle dashboard's charts, written as the dicts plotly makes of its figures
(``core.charts.figure_html``), are the HTML their plotly figures gave, to the byte: the
figures as they were built before are kept here and rendered beside them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import pytest

from ampwork.core.charts import Table, to_html
from ampwork.okrs import charts, progress
from ampwork.okrs.charts import BANDS, COLOURS

KINDS = (progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK, progress.NOT_STARTED)


def _statuses_by_plotly(rows: Sequence[Any]) -> str:
    names = [r.name for r in rows][::-1]
    fig = go.Figure(
        [
            go.Bar(
                y=names,
                x=[r.counts[s] for r in rows][::-1],
                name=s,
                orientation="h",
                marker_color=COLOURS[s],
                hovertemplate=f"%{{y}}: %{{x}} {s}<extra></extra>",
            )
            for s in KINDS
        ]
    )
    fig.update_layout(
        barmode="stack",
        height=max(200, 32 * len(rows) + 80),
        legend={"traceorder": "normal"},
        xaxis_title="objectives",
    )
    fig.update_yaxes(automargin=True)
    most = max((r.total for r in rows), default=1)
    fig.update_xaxes(tick0=0, dtick=max(1, math.ceil(most / 8)))
    table = Table(
        "Objectives per team by pacing",
        ["Team", *(s.capitalize() for s in KINDS)],
        [(r.name, *(r.counts[s] for s in KINDS)) for r in rows],
    )
    return to_html(fig, table)


def _scores_by_plotly(per_grade: Mapping[float, int], final: bool) -> str:
    grades = [round(i / 10, 1) for i in range(11)]
    counts = [0] * len(grades)
    for value, n in per_grade.items():
        counts[grades.index(progress.round_score(value))] += n
    fig = go.Figure(
        go.Bar(
            x=[f"{g:.1f}" for g in grades],
            y=counts,
            marker_color=[BANDS[progress.score_band(g)] for g in grades],
            hovertemplate="%{y} key results at %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        height=240,
        xaxis_title="score" if final else "progress so far (graded)",
        yaxis_title="key results",
    )
    fig.update_yaxes(tick0=0, dtick=max(1, math.ceil(max(counts, default=1) / 6)))
    table = Table(
        "Key results per score" if final else "Key results per grade of their progress so far",
        ["Score" if final else "Progress (graded)", "Key results"],
        [(f"{g:.1f}", n) for g, n in zip(grades, counts, strict=True)],
    )
    return to_html(fig, table)


@dataclass
class _Row:
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


NAMES = ["Sales", 'R&D <lab> "north"', "Équipe d'été", "</div><script>x()</script>", "1"]


@pytest.mark.parametrize("size", [1, 2, 5, 15])
@pytest.mark.parametrize("scale", [0, 1, 7, 100_000])
def test_the_pacing_chart_is_plotlys_to_the_byte(size: int, scale: int) -> None:
    rows = [
        _Row(
            NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}"),
            {s: (scale * (i + 1) * (k + 2)) % (scale * 3 + 1) for k, s in enumerate(KINDS)},
        )
        for i in range(size)
    ]
    assert charts.statuses(rows) == _statuses_by_plotly(rows)


@pytest.mark.parametrize(
    "per_grade",
    [
        {0.7: 1},
        {0.0: 3, 0.5: 12, 1.0: 4},
        {g / 10: 1000 * g + 1 for g in range(11)},
        {0.05: 2, 0.95: 7, 0.3: 250_000},
    ],
)
@pytest.mark.parametrize("final", [True, False])
def test_the_score_chart_is_plotlys_to_the_byte(per_grade: dict[float, int], final: bool) -> None:
    assert charts.scores(per_grade, final) == _scores_by_plotly(per_grade, final)
