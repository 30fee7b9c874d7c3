"""Advisor charts: the organisation's pulse trend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ampwork.core.charts import Table, to_html

LINES = (
    ("autonomy", "Autonomy", "#3b6ea8"),
    ("mastery", "Mastery", "#2f6f5e"),
    ("purpose", "Purpose", "#a05195"),
)


def trend(rounds: Sequence[tuple[Any, dict[str, float | None]]]) -> str:
    """Favourable share per pulse round for autonomy (the four Ts together), mastery and
    purpose; a suppressed round leaves a gap."""
    fig = go.Figure()
    names = [f"{r.closes:%-d %b %Y}" for r, _ in rounds]  # round names are long
    for key, label, colour in LINES:
        fig.add_trace(
            go.Scatter(
                x=names,
                y=[values.get(key) for _, values in rounds],
                mode="lines+markers",
                name=label,
                line={"color": colour, "width": 3},
                text=[r.name for r, _ in rounds],
                hovertemplate=f"{label}: %{{y:.0%}}<extra>%{{text}}</extra>",
            )
        )
    fig.update_layout(
        height=220,
        yaxis={"range": [0, 1], "tickformat": ".0%", "title": "favourable"},
        legend={"orientation": "h", "y": -0.3},
    )

    def share(value: float | None) -> str:
        return "suppressed" if value is None else f"{value:.0%}"

    table = Table(
        "Favourable answers per closed pulse",
        ["Pulse", "Closed", *(label for _, label, _ in LINES)],
        [
            (r.name, f"{r.closes:%-d %b %Y}", *(share(values.get(key)) for key, _, _ in LINES))
            for r, values in rounds
        ],
    )
    return to_html(fig, table)
