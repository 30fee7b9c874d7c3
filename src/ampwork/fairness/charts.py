"""Pay against level: each person a dot (coloured by the compared groups), the pay range
of the level as a bar behind them, and the market median as a tick."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence

import plotly.graph_objects as go

from ampwork.core.charts import to_html

from .audit import Record

COLOURS = ["#2f6f5e", "#c05621", "#5a67d8", "#9aa5b1"]


def pay_by_level(records: Sequence[Record], groups: Sequence[str]) -> str:
    levels = sorted({r.level for r in records if r.level})
    fig = go.Figure()
    ranges: dict[str, list[tuple[float, float]]] = defaultdict(list)
    market: dict[str, list[float]] = defaultdict(list)
    for r in records:
        if r.band_min is not None and r.band_max is not None:
            ranges[r.level].append((r.band_min, r.band_max))
        if r.market_p50:
            market[r.level].append(r.market_p50)
    shown = [lv for lv in levels if ranges[lv]]
    if shown:
        low = [statistics.median(a for a, _ in ranges[lv]) for lv in shown]
        high = [statistics.median(b for _, b in ranges[lv]) for lv in shown]
        fig.add_trace(
            go.Bar(
                x=shown,
                y=[h - lo for lo, h in zip(low, high, strict=True)],
                base=low,
                name="pay range (median of the level's bands)",
                marker_color="rgba(47,111,94,0.12)",
                hoverinfo="skip",
            )
        )
    with_market = [lv for lv in levels if market[lv]]
    if with_market:
        fig.add_trace(
            go.Scatter(
                x=with_market,
                y=[statistics.median(market[lv]) for lv in with_market],
                mode="markers",
                name="market median",
                marker={
                    "symbol": "line-ew-open",
                    "size": 28,
                    "color": "#1f2933",
                    "line": {"width": 2},
                },
            )
        )
    for i, group in enumerate([*groups, ""]):
        members = [r for r in records if (r.group or "") == group and r.level]
        if not members:
            continue
        fig.add_trace(
            go.Box(
                x=[r.level for r in members],
                y=[r.annual for r in members],
                name=group or "not stated",
                boxpoints="all",
                jitter=0.5,
                pointpos=0,
                fillcolor="rgba(0,0,0,0)",
                line={"width": 0},
                marker={"color": COLOURS[i % len(COLOURS)], "size": 7, "opacity": 0.8},
                hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
            )
        )
    fig.update_layout(
        height=380,
        boxmode="group",
        yaxis_title="annual pay, full time",
        legend={"orientation": "h", "y": -0.18},
        xaxis={"categoryorder": "array", "categoryarray": levels},
    )
    return to_html(fig)
