"""Plotly figures rendered to HTML fragments; plotly.js itself is served as a static file."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

CONFIG = {"displayModeBar": False, "responsive": True}
INK = "#1f2933"
ACCENT = "#2f6f5e"


def to_html(fig: go.Figure) -> str:
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": "system-ui, sans-serif", "size": 13, "color": INK},
    )
    return str(fig.to_html(full_html=False, include_plotlyjs=False, config=CONFIG))


def team_sizes(rows: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars: people in each top-level unit (its sub-teams included)."""
    rows = sorted(rows, key=lambda r: r[1])
    fig = go.Figure(
        go.Bar(
            x=[n for _, n in rows],
            y=[name for name, _ in rows],
            orientation="h",
            marker_color=ACCENT,
            text=[n for _, n in rows],
            textposition="auto",
            hovertemplate="%{y}: %{x} people<extra></extra>",
        )
    )
    fig.update_layout(height=max(160, 40 * len(rows) + 40), xaxis_title="people")
    fig.update_yaxes(automargin=True)
    return to_html(fig)
