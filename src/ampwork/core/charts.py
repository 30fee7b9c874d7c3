"""Plotly figures rendered to HTML fragments; plotly.js itself is served as a static file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

import plotly.graph_objects as go

CONFIG = {"displayModeBar": False, "responsive": True}
INK = "#1f2933"
ACCENT = "#2f6f5e"


def to_html(fig: go.Figure) -> str:
    """The figure as a ``<div>`` holding its data; ``static/ampwork/ampwork.js`` draws it.

    No inline script (plotly's own ``to_html`` writes one), so the Content-Security-Policy
    can refuse every script that is not a file served by ampwork. The JSON sits in an
    attribute, HTML-escaped, so no text from a chart's labels can end the element.
    """
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": "system-ui, sans-serif", "size": 13, "color": INK},
    )
    height = fig.layout.height
    style = f"height:{int(height)}px; width:100%;" if height else "height:100%; width:100%;"
    return (
        f'<div class="plotly-graph-div js-chart" style="{style}" '
        f'data-figure="{escape(fig.to_json())}" data-config="{escape(json.dumps(CONFIG))}">'
        "</div>"
    )


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
