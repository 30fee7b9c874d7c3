"""Static files and chart fragments without a browser: the storage's plain-name fallback,
collecting only when something changed, and the table written beside each chart."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

from django.templatetags.static import static
from django.test.utils import override_settings

from ampwork.advisor import charts as advisor_charts
from ampwork.core.charts import Table
from ampwork.core.staticfiles import collect_if_changed


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
