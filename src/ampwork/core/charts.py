"""Plotly figures rendered to HTML fragments; plotly.js itself is served as a static file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from . import l10n
from .staticfinders import PUBLIC_PATH

CONFIG = {"displayModeBar": False, "responsive": True}


def config(language: str | None = None) -> dict[str, Any]:
    """plotly.js's config for a chart read in ``language`` (the active one): CONFIG, and
    the reader's locale built from CLDR (core/l10n.plotly_locale) — month and day names
    and the date shapes on date axes, the decimal and group marks."""
    name, locale = l10n.plotly_locale(language)
    # the one plotly.js message these charts can show (after a zoom; no mode bar)
    words = {"Double-click to zoom back out": _("Double-click to zoom back out")}
    return {**CONFIG, "locale": name, "locales": {name: {**locale, "dictionary": words}}}


@lru_cache(maxsize=16)
def _config_json(language: str) -> str:
    with translation.override(language):
        return json.dumps(config(language))


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
            '<details class="chart__data"><summary>'
            + escape(_("Show the numbers as a table"))
            + "</summary>"
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
    return _div(fig.layout.height, fig.to_dict(), table)


# what to_html's update_layout adds, in the order plotly writes it
_LOOK: dict[str, Any] = {
    "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
    "font": {"family": "system-ui, sans-serif", "size": 13, "color": INK},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
}


@cache
def _template() -> dict[str, Any]:
    """The default template, as plotly writes it into every figure's layout."""
    template: dict[str, Any] = go.Figure().to_dict()["layout"]["template"]
    return template


def figure_html(data: list[dict[str, Any]], layout: dict[str, Any], table: Table | None) -> str:
    """:func:`to_html` of the figure plotly would build, given as the dicts plotly writes:
    ``data`` (each trace's properties in plotly's order, its ``type`` last) and ``layout``
    (without the template and without what :func:`to_html` adds, which must not be in it).
    Building plotly's objects validates every property, some 6 ms a chart; writing the
    dicts takes a few microseconds. The same HTML, to the byte: each chart written so is
    compared with its plotly figure (``tests/okrs/test_charts_html.py``)."""
    assert not _LOOK.keys() & layout.keys()
    figure = {"data": data, "layout": {"template": _template(), **layout, **_LOOK}}
    return _div(layout.get("height"), figure, table)


#: what a line of a chart's words may hold, in characters (some 8 px each in the 13 px
#: font, German's capitals and long words included): a chart on a 375 px phone is some
#: 330 px wide, its plot some 250 px once the y-axis's labels and title are beside it
LINE = 36  # a chart title, across the whole chart
AXIS = 28  # an x-axis title, centred under the plot
ENTRY = 30  # a legend entry, its swatch beside it
CHAR_PX = 8
LINE_PX = 19  # a line of the legend or of a title, with its gap
PHONE_PX = 330  # the chart's width on a phone
SWATCH_PX = 46  # a legend entry's swatch and gaps


def wrap(text: str, width: int) -> str:
    """``text`` broken at spaces into lines of at most ``width`` characters, joined by
    plotly's ``<br>`` (its own breaks kept); a word longer than a line stays whole."""
    lines: list[str] = []
    for part in text.split("<br>"):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def _title(holder: dict[str, Any], width: int) -> None:
    """Wraps the ``title`` of a layout or an axis (a text or ``{"text": …}``) in place."""
    title = holder.get("title")
    if isinstance(title, str):
        holder["title"] = wrap(title, width)
    elif isinstance(title, dict) and isinstance(title.get("text"), str):
        title["text"] = wrap(title["text"], width)


def _lines(holder: dict[str, Any]) -> list[str]:
    """The lines of the ``title`` of a layout or an axis (none without one)."""
    title = holder.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return text.split("<br>") if isinstance(text, str) and text else []


def _fit(figure: dict[str, Any], height: int | None) -> None:
    """The layout every chart shares, so that its words fit a phone as well as a laptop
    (issue 21: German's long words were cut at the edges or ran into each other):

    - titles and legend entries wrapped at spaces into lines a phone has room for; an
      upright axis title into lines as long as the plot is high;
    - every axis with ``automargin``: the margins grow to hold its tick labels and title;
    - the legend in rows under everything else, from the left edge of the chart. Placed
      against the chart's box (``yref="container"``), plotly.js reserves the room it
      takes below the x-axis title and grows it with the rows the legend wraps into; placed
      against the plot (``y=-0.25``) it sat at a fixed distance under the bars whatever the
      axis below them held, and ran into the axis title;
    - a chart title, if any, at the top left, also with room reserved for it.

    Applied to the dicts plotly writes (both ways of building a figure), in place; keys
    new to a dict are added at its end, so both ways still write the same bytes."""
    layout = figure["layout"]
    entries = [t for t in figure["data"] if t.get("showlegend") is not False and t.get("name")]
    legend = layout.get("showlegend") is not False and len(entries) > 1
    if legend:
        for trace in entries:
            if isinstance(trace["name"], str):
                trace["name"] = wrap(trace["name"], ENTRY)
    for name in ("xaxis", "yaxis"):
        layout.setdefault(name, {})
    for key in list(layout):
        if key.startswith(("xaxis", "yaxis")) and isinstance(layout[key], dict):
            axis = layout[key]
            if key.startswith("yaxis"):  # upright: as long as the plot is high
                _title(axis, max(14, int(((height or 300) - 90) / CHAR_PX)))
            else:
                _title(axis, AXIS)
                # the dates or names under the plot a little lower: clear of the lowest
                # y-axis label ("0 %") beside the plot's corner
                axis.setdefault("ticklabelstandoff", 6)
            axis["automargin"] = True
    if height:
        # a word longer than the plot is high ("Schlüsselergebnisse") cannot wrap: the
        # chart grows until it fits beside the plot, under the x-axis title's lines
        upright = [line for line in _lines(layout.get("yaxis", {})) if line]
        under = len(_lines(layout.get("xaxis", {}))) * LINE_PX
        need = max((len(line) for line in upright), default=0) * CHAR_PX + 70 + under
        if need > height:
            layout["height"] = height = need
    if layout.get("title"):
        _title(layout, LINE)
        title = layout["title"]
        layout["title"] = {
            **(title if isinstance(title, dict) else {"text": title}),
            "automargin": True,
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
        }
    if legend:
        # the legend's rows on a phone, added to the chart's height: plotly.js takes the
        # legend's room from the plot, and scrolls a legend taller than half the chart
        texts = [str(t["name"]).split("<br>") for t in entries]
        widest = max(len(line) for lines in texts for line in lines) * CHAR_PX + SWATCH_PX
        per_row = max(1, PHONE_PX // widest)
        lines = max(len(lines) for lines in texts)
        rows = -(-len(entries) // per_row)
        layout["height"] = (height or 300) + LINE_PX * lines * rows
        layout["legend"] = {
            **layout.get("legend", {}),
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
        }


def _div(height: int | None, figure: dict[str, Any], table: Table | None) -> str:
    """Every chart leaves here: its words fitted to a phone (:func:`_fit`), its numbers
    with the reader's decimal and group marks (``separators``, set last so both ways of
    building a figure write the same bytes) and plotly.js told the reader's locale
    (:func:`config`)."""
    _fit(figure, height)
    height = figure["layout"].get("height", height)
    language = translation.get_language() or l10n.FALLBACK
    if marks := l10n.plotly_separators(language):
        figure["layout"]["separators"] = marks
    style = f"height:{int(height)}px; width:100%;" if height else "height:100%; width:100%;"
    return (
        f'<div class="plotly-graph-div js-chart" style="{style}" aria-hidden="true" '
        f'data-plotly="{escape(static(PUBLIC_PATH))}" '
        f'data-figure="{escape(pio.to_json(figure, validate=False))}" '
        f'data-config="{escape(_config_json(language))}">'
        "</div>" + (table.to_html() if table is not None else "")
    )


def team_sizes(rows: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars: people in each top-level unit (its sub-teams included)."""
    rows = sorted(rows, key=lambda r: r[1])
    fig = go.Figure(
        go.Bar(
            x=[n for _name, n in rows],
            y=[name for name, _n in rows],
            orientation="h",
            marker_color=ACCENT,
            text=[n for _name, n in rows],
            textposition="auto",
            # plotly's own placeholders, kept out of the translated text
            hovertemplate=_("%(unit)s: %(count)s people") % {"unit": "%{y}", "count": "%{x}"}
            + "<extra></extra>",
        )
    )
    fig.update_layout(height=max(160, 40 * len(rows) + 40), xaxis_title=_("people"))
    fig.update_yaxes(automargin=True)
    return to_html(fig, None)  # the home page lists the same numbers in a table below
