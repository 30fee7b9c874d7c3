"""OKR charts: a key result's history against its target and expected pace; the cycle's
pacing per team; the distribution of scores."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ampwork.core import l10n
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


def _label(status: str) -> str:
    """A pacing status in the reader's language (okrs_tags.STATUS_LABELS)."""
    from .templatetags.okrs_tags import status_label

    return status_label(status)


def _grade(g: float) -> str:
    """A grade as the score chart labels it: '0.7' in English, '0,7' in German."""
    return l10n.written(f"{g:.1f}")


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
                name=_("expected pace"),
                line={"dash": "dot", "color": "#9aa5b1"},
            )
        )
        fig.add_hline(
            y=kr.target,
            line={"color": ACCENT, "width": 1},
            annotation_text=_("target %(target)s")
            % {"target": l10n.with_unit(l10n.format_measure(kr.target), kr.unit)},
            annotation_position="top left",
        )
    elif kr.low is not None and kr.high is not None:
        fig.add_hrect(
            y0=kr.low,
            y1=kr.high,
            fillcolor=ACCENT,
            opacity=0.12,
            line_width=0,
            annotation_text=_("keep within"),
            annotation_position="top left",
        )
    if points:
        fig.add_trace(
            go.Scatter(
                x=[d for d, _ in points],
                y=[v for _, v in points],
                mode="lines+markers",
                name=_("check-ins"),
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
        aim = _("from %(start)s on %(first)s to %(target)s by %(last)s") % {
            "start": l10n.with_unit(l10n.format_measure(kr.start), kr.unit),
            "first": l10n.format_day(cycle.start, "day_month"),
            "target": l10n.with_unit(l10n.format_measure(kr.target), kr.unit),
            "last": l10n.format_day(cycle.end, "day"),
        }
    elif kr.low is not None and kr.high is not None:
        aim = _("kept within %(low)s to %(high)s") % {
            "low": l10n.with_unit(l10n.format_measure(kr.low), kr.unit),
            "high": l10n.with_unit(l10n.format_measure(kr.high), kr.unit),
        }
    else:
        aim = _("no band set")
    table = Table(
        _("Check-ins of %(title)s (%(aim)s)") % {"title": kr.title, "aim": aim},
        [
            _("Date"),
            _("Value (%(unit)s)") % {"unit": kr.unit} if kr.unit else _("Value"),
        ],
        [(l10n.format_day(d, "day"), l10n.format_measure(v)) for d, v in points]
        or [(_("no check-in yet"), "–")],
    )
    return to_html(fig, table)


def statuses(rows: Sequence[Any], *, school: bool = False) -> str:
    """Stacked bars: objectives on track, at risk, off track per team. Written as the
    dicts plotly would make of its figure (:func:`ampwork.core.charts.figure_html`)."""
    names = [r.name for r in rows][::-1]
    kinds = (progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK, progress.NOT_STARTED)
    data = [
        {
            "hovertemplate": f"%{{y}}: %{{x}} {_label(s)}<extra></extra>",
            "marker": {"color": COLOURS[s]},
            "name": _label(s),
            "orientation": "h",
            "x": [r.counts[s] for r in rows][::-1],
            "y": names,
            "type": "bar",
        }
        for s in kinds
    ]
    most = max((r.total for r in rows), default=1)
    layout = {
        # in rows under the axis title, with room reserved (core.charts._fit)
        "legend": {"traceorder": "normal"},
        "barmode": "stack",
        "height": max(200, 32 * len(rows) + 80),
        "xaxis": {
            "title": {"text": _("objectives")},
            "tick0": 0,
            "dtick": max(1, math.ceil(most / 8)),
        },
        "yaxis": {"automargin": True},
    }
    table = Table(
        pgettext("school", "Objectives per class by pacing")
        if school
        else pgettext("company", "Objectives per team by pacing"),
        [
            pgettext("school", "Class") if school else pgettext("company", "Team"),
            *(capfirst(_label(s)) for s in kinds),
        ],
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
            "hovertemplate": _("%{y} key results at %{x}") + "<extra></extra>",
            "marker": {"color": [BANDS[progress.score_band(g)] for g in grades]},
            "x": [_grade(g) for g in grades],
            "y": counts,
            "type": "bar",
        }
    ]
    layout = {
        "height": 240,
        "xaxis": {"title": {"text": _("score") if final else _("progress so far (graded)")}},
        "yaxis": {
            "title": {"text": _("key results")},
            "tick0": 0,
            "dtick": max(1, math.ceil(max(counts, default=1) / 6)),
        },
    }
    table = Table(
        _("Key results per score")
        if final
        else _("Key results per grade of their progress so far"),
        [_("Score") if final else _("Progress (graded)"), _("Key results")],
        [(_grade(g), n) for g, n in zip(grades, counts, strict=True)],
    )
    return figure_html(data, layout, table)
