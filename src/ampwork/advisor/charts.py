"""Advisor charts: the organisation's pulse trend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ampwork.core.charts import Table, to_html
from ampwork.core.l10n import format_day, format_percent, labelled

LINES = (
    ("autonomy", gettext_lazy("Autonomy"), "#3b6ea8"),
    ("mastery", gettext_lazy("Mastery"), "#2f6f5e"),
    ("purpose", gettext_lazy("Purpose"), "#a05195"),
)


def trend(rounds: Sequence[tuple[Any, dict[str, float | None]]]) -> str:
    """Favourable share per pulse round for autonomy (the four Ts together), mastery and
    purpose; a suppressed round leaves a gap."""
    fig = go.Figure()
    names = [format_day(r.closes) for r, _values in rounds]  # round names are long
    for key, lazy_label, colour in LINES:
        label = str(lazy_label)
        shares = [values.get(key) for _round, values in rounds]
        fig.add_trace(
            go.Scatter(
                x=names,
                y=shares,
                mode="lines+markers",
                name=label,
                line={"color": colour, "width": 3},
                text=[r.name for r, _values in rounds],
                # the share as the reader writes it ("50 %" in German): plotly's own
                # percent format has no space
                customdata=[format_percent(v) for v in shares],
                hovertemplate=labelled(label, "%{customdata}") + "<extra>%{text}</extra>",
            )
        )
    ticks = [i / 5 for i in range(6)]
    fig.update_layout(
        height=220,
        # room at both ends: the first date clear of the "0 %" beside it, the last one
        # not cut at the edge
        xaxis={"range": [-0.4, len(names) - 0.6], "automargin": True},
        yaxis={
            "range": [0, 1],
            "tickvals": ticks,
            "ticktext": [format_percent(t) for t in ticks],
            "title": _("favourable"),
            "automargin": True,
        },
    )

    def share(value: float | None) -> str:
        return _("suppressed") if value is None else format_percent(value)

    table = Table(
        _("Favourable answers per closed pulse"),
        [
            _("Pulse"),
            pgettext("the date a pulse closed", "Closed"),
            *(str(label) for _key, label, _colour in LINES),
        ],
        [
            (
                r.name,
                format_day(r.closes),
                *(share(values.get(key)) for key, _label, _colour in LINES),
            )
            for r, values in rounds
        ],
    )
    return to_html(fig, table)
