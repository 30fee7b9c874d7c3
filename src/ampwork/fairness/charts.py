"""Pay against level: each person a dot (coloured by the compared groups), the pay range
of the level as a bar behind them, and the market median as a tick."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core.charts import Table, to_html
from ampwork.core.l10n import format_number

from .audit import Record
from .words import group_label

COLOURS = ["#2f6f5e", "#c05621", "#5a67d8", "#9aa5b1"]
#: above this many people the dots become boxes computed here (the page stays small: at
#: 10,000 people the dots alone were some 400 KB of the page)
DOTS = 1000


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
        low = [statistics.median(a for a, _b in ranges[lv]) for lv in shown]
        high = [statistics.median(b for _a, b in ranges[lv]) for lv in shown]
        fig.add_trace(
            go.Bar(
                x=shown,
                y=[h - lo for lo, h in zip(low, high, strict=True)],
                base=low,
                name=_("pay range (median of the level's bands)"),
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
                name=_("market median"),
                marker={
                    "symbol": "line-ew-open",
                    "size": 28,
                    "color": "#1f2933",
                    "line": {"width": 2},
                },
            )
        )
    shown_groups: list[tuple[str, list[Record]]] = []
    for i, group in enumerate([*groups, ""]):
        members = [r for r in records if (r.group or "") == group and r.level]
        if not members:
            continue
        name = group_label(group) or _("not stated")
        shown_groups.append((name, members))
        marker = {"color": COLOURS[i % len(COLOURS)], "size": 7, "opacity": 0.8}
        if len(records) > DOTS:
            fig.add_trace(_boxes(name, members, levels, COLOURS[i % len(COLOURS)]))
            continue
        # The dots are a box trace with its box hidden, whose legend entry would be that
        # hidden box: no swatch. The legend shows a dot in the group's colour instead (an
        # empty trace in the same legend group, so clicking it still hides the dots).
        fig.add_trace(
            go.Box(
                x=[r.level for r in members],
                y=[r.annual for r in members],
                name=name,
                legendgroup=name,
                showlegend=False,
                boxpoints="all",
                jitter=0.5,
                pointpos=0,
                fillcolor="rgba(0,0,0,0)",
                line={"width": 0},
                marker=marker,
                hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                legendgroup=name,
                marker={**marker, "size": 10, "opacity": 1},
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        height=380,
        boxmode="group",
        yaxis_title=_("annual pay, full time"),
        # whole amounts with the reader's group mark ("120.000" in German), not "120k":
        # the tables beside the chart write pay in full
        yaxis={"tickformat": ",d"},
        xaxis={"categoryorder": "array", "categoryarray": levels},
    )
    return to_html(fig, _table(levels, ranges, market, shown_groups))


def _boxes(name: str, members: Sequence[Record], levels: Sequence[str], colour: str) -> go.Box:
    """One group's pay per level as boxes computed here: the quartiles and the lowest and
    highest as whiskers; no dots sent."""
    pay: dict[str, list[float]] = defaultdict(list)
    for r in members:
        pay[r.level].append(r.annual)
    shown = [lv for lv in levels if pay[lv]]
    stats = [_five(sorted(pay[lv])) for lv in shown]
    return go.Box(
        x=shown,
        lowerfence=[s[0] for s in stats],
        q1=[s[1] for s in stats],
        median=[s[2] for s in stats],
        q3=[s[3] for s in stats],
        upperfence=[s[4] for s in stats],
        name=name,
        legendgroup=name,
        boxpoints=False,
        marker_color=colour,
        hoverinfo="x+y+name",
    )


def _five(values: Sequence[float]) -> tuple[float, float, float, float, float]:
    """Lowest, first quartile, median, third quartile, highest of sorted ``values`` (the
    quartiles by linear interpolation, numpy's and Excel's default)."""
    if len(values) == 1:
        return values[0], values[0], values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return values[0], q1, median, q3, values[-1]


def _table(
    levels: Sequence[str],
    ranges: dict[str, list[tuple[float, float]]],
    market: dict[str, list[float]],
    groups: Sequence[tuple[str, list[Record]]],
) -> Table:
    """Per level: the pay range and market median the chart draws, and for each group its
    people's pay (median, lowest to highest): the dots, summed up."""

    def amount(value: float) -> str:
        return format_number(round(value), 0)

    def pay(values: Sequence[float]) -> str:
        if not values:
            return "–"
        if len(values) == 1:
            return _("%(median)s (1 person)") % {"median": amount(values[0])}
        return ngettext(
            "%(median)s (%(n)d person, %(low)s to %(high)s)",
            "%(median)s (%(n)d people, %(low)s to %(high)s)",
            len(values),
        ) % {
            "median": amount(statistics.median(values)),
            "n": len(values),
            "low": amount(min(values)),
            "high": amount(max(values)),
        }

    rows = []
    for level in levels:
        band = ranges[level]
        rows.append(
            (
                level,
                _("%(low)s to %(high)s")
                % {
                    "low": amount(statistics.median(a for a, _b in band)),
                    "high": amount(statistics.median(b for _a, b in band)),
                }
                if band
                else "–",
                amount(statistics.median(market[level])) if market[level] else "–",
                *(
                    pay([r.annual for r in members if r.level == level])
                    for _name, members in groups
                ),
            )
        )
    return Table(
        _(
            "Annual full-time pay per level: the level's pay range, the market median, and the "
            "median pay of each group (with how many people and the lowest to highest)"
        ),
        [
            _("Level"),
            _("Pay range"),
            _("Market median"),
            *(_("%(group)s: median pay") % {"group": name} for name, _members in groups),
        ],
        rows,
    )
