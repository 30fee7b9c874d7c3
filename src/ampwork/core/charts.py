"""Plotly figures rendered to HTML fragments; plotly.js itself is served as a static file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import plotly.graph_objects as go
from django.templatetags.static import static

from .staticfinders import PUBLIC_PATH

CONFIG = {"displayModeBar": False, "responsive": True}
INK = "#1f2933"
ACCENT = "#2f6f5e"


@dataclass(frozen=True)
class Table:
    """A chart's numbers as a table: a caption, the column heads, and rows whose first
    cell names the row. Cells are shown as given (format numbers before)."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]

    def to_html(self) -> str:
        head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{escape(str(cell))}</th>'
                if i == 0
                else f'<td class="num">{escape(str(cell))}</td>'
                for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in self.rows
        )
        return (
            '<details class="chart__data"><summary>Show the numbers as a table</summary>'
            '<div class="table-wrap" role="region" tabindex="0" '
            f'aria-label="{escape(self.caption)}"><table class="table table--compact">'
            f"<caption>{escape(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>"
        )


def to_html(fig: go.Figure, table: Table | None) -> str:
    """The figure as a ``<div>`` holding its data, and its numbers as a table beside it.

    ``static/ampwork/ampwork.js`` draws the figure once it comes near the screen, fetching
    plotly.js (``data-plotly``) then; no inline script (plotly's own ``to_html`` writes
    one), so the Content-Security-Policy can refuse every script that is not a file served
    by ampwork. The JSON sits in an attribute, HTML-escaped, so no text from a chart's
    labels can end the element. The drawing is hidden from screen readers: the table, in a
    ``<details>`` anyone can open, holds the same numbers. ``table`` is ``None`` only where
    the page shows the chart's numbers in a table of its own beside it.
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
        f'<div class="plotly-graph-div js-chart" style="{style}" aria-hidden="true" '
        f'data-plotly="{escape(static(PUBLIC_PATH))}" '
        f'data-figure="{escape(fig.to_json())}" data-config="{escape(json.dumps(CONFIG))}">'
        "</div>" + (table.to_html() if table is not None else "")
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
    return to_html(fig, None)  # the home page lists the same numbers in a table below
