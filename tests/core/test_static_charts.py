"""Static files and chart fragments without a browser: the storage's plain-name fallback,
collecting only when something changed, and the table written beside each chart."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.templatetags.static import static
from django.test.utils import override_settings
from django.utils import translation

from ampwork.advisor import charts as advisor_charts
from ampwork.core.charts import ENTRY, Table, wrap
from ampwork.core.staticfiles import collect_if_changed
from ampwork.fairness import charts as fairness_charts
from ampwork.fairness.audit import Record
from ampwork.mastery import charts as mastery_charts
from ampwork.mastery.flow import FlowMap
from ampwork.okrs import charts as okrs_charts


def test_a_name_never_collected_is_served_under_its_plain_name(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path):  # no manifest: collectstatic never ran
        assert static("ampwork/ampwork.css") == "/static/ampwork/ampwork.css"


def test_collects_again_only_when_a_source_file_changed(tmp_path: Path) -> None:
    source = tmp_path / "extra"
    source.mkdir()
    (source / "note.txt").write_text("one", encoding="utf-8")
    root = tmp_path / "static"
    root.mkdir()
    finders = ["django.contrib.staticfiles.finders.FileSystemFinder"]  # this file alone
    with override_settings(
        STATIC_ROOT=root, STATICFILES_DIRS=[source], STATICFILES_FINDERS=finders
    ):
        assert collect_if_changed()
        hashed = static("note.txt")
        assert re.fullmatch(r"/static/note\.[0-9a-f]{12}\.txt", hashed)
        assert not collect_if_changed()
        (source / "note.txt").write_text("two, longer", encoding="utf-8")
        assert collect_if_changed()
        assert static("note.txt") != hashed  # a new hash: browsers fetch the new file
        assert not (root / hashed.removeprefix("/static/")).exists()  # the old one is gone


def test_the_table_escapes_what_it_shows() -> None:
    html = Table("<b>caption</b>", ["<th>", "n"], [("<script>x</script>", 3)]).to_html()
    assert "<script>" not in html
    assert "<b>" not in html
    assert '<th scope="row">&lt;script&gt;x&lt;/script&gt;</th><td class="num">3</td>' in html
    assert html.startswith('<details class="chart__data"><summary>')


def test_the_trend_table_holds_the_charts_numbers() -> None:
    rounds = [
        (SimpleNamespace(name="Spring pulse", closes=dt.date(2026, 4, 1)), {"autonomy": 0.5}),
        (
            SimpleNamespace(name="Summer pulse", closes=dt.date(2026, 7, 1)),
            {"autonomy": 0.5, "mastery": 0.25, "purpose": None},
        ),
    ]
    html = advisor_charts.trend(rounds)
    cells = [unescape(c) for c in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", html)]
    assert cells == [
        "Pulse", "Closed", "Autonomy", "Mastery", "Purpose",
        "Spring pulse", "1 Apr 2026", "50%", "suppressed", "suppressed",
        "Summer pulse", "1 Jul 2026", "50%", "25%", "suppressed",
    ]  # fmt: skip
    assert 'aria-hidden="true"' in html
    assert 'data-plotly="/static/vendor/plotly.min.js"' in html


def _figure(html: str) -> dict[str, Any]:
    (found,) = re.findall(r'data-figure="([^"]*)"', html)
    figure: dict[str, Any] = json.loads(unescape(found))
    return figure


def test_words_wrap_at_spaces_into_lines_that_fit() -> None:
    assert wrap("Herausforderung (ggü. eigenem Durchschnitt)", 28) == (
        "Herausforderung (ggü.<br>eigenem Durchschnitt)"
    )
    assert wrap("short", 28) == "short"
    assert wrap("a<br>b c", 3) == "a<br>b c"  # its own breaks kept
    assert wrap("a b c", 3) == "a b<br>c"
    assert wrap("Schlüsselergebnisse", 5) == "Schlüsselergebnisse"  # a long word stays whole


def test_every_chart_shares_a_layout_that_fits_a_phone() -> None:
    """German's long legend entries and titles wrapped, every axis making room for its
    labels, the legend in rows under the plot with room reserved for it (issue 21)."""
    people = [
        Record(
            employee_id=str(i),
            base_pay=50_000 + 1_000 * i,
            level=level,
            group=group,
            band_min=40_000,
            band_max=70_000,
            market_p50=55_000,
        )
        for i, (level, group) in enumerate([("L1", "women"), ("L2", "men"), ("L2", "women")])
    ]
    with translation.override("de"):
        figure = _figure(fairness_charts.pay_by_level(people, ["women", "men"]))
    layout = figure["layout"]
    assert layout["xaxis"]["automargin"]
    assert layout["yaxis"]["automargin"]
    assert layout["xaxis"]["ticklabelstandoff"] == 6
    assert layout["legend"] == {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "xref": "container",
        "y": 0,
        "yanchor": "bottom",
        "yref": "container",
    }
    names = [t["name"] for t in figure["data"] if t.get("showlegend") is not False]
    assert "Gehaltsband (Median der Bänder<br>der Stufe)" in names
    assert all(len(line) <= ENTRY for name in names for line in name.split("<br>"))
    # taller by the legend's rows on a phone, the box as tall as the figure
    assert layout["height"] > 380


def test_an_upright_title_wraps_to_the_height_and_english_reads_as_before() -> None:
    fm = FlowMap()
    with translation.override("de"):
        figure = _figure(mastery_charts.flow_map(fm))
    title = figure["layout"]["yaxis"]["title"]["text"]
    assert title == "Herausforderung (ggü.<br>eigenem Durchschnitt)"
    assert figure["layout"]["xaxis"]["title"]["text"] == "Können (ggü. eigenem<br>Durchschnitt)"
    with translation.override("en-gb"):
        figure = _figure(mastery_charts.flow_map(fm))
    assert figure["layout"]["yaxis"]["title"]["text"] == "challenge (vs own average)"
    assert figure["layout"]["xaxis"]["title"]["text"] == "skill (vs own average)"
    assert "legend" not in figure["layout"]  # no legend shown: nothing placed


def test_a_chart_grows_to_hold_an_upright_word_longer_than_its_plot() -> None:
    with translation.override("de"):
        figure = _figure(okrs_charts.scores({0.6: 4}, final=False))
    layout = figure["layout"]
    assert layout["yaxis"]["title"]["text"] == "Schlüsselergebnisse"  # one word: no wrap
    assert layout["xaxis"]["title"]["text"] == "bisheriger Fortschritt<br>(benotet)"
    assert layout["height"] == len("Schlüsselergebnisse") * 8 + 70 + 2 * 19 > 240
    with translation.override("en-gb"):
        assert _figure(okrs_charts.scores({0.6: 4}, final=False))["layout"]["height"] == 240
