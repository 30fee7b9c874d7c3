"""Charts and date ranges in the reader's language: every plotly chart carries the active
language's locale (built from CLDR, never plotly's own locale files) and its decimal
marks; the d3 date shapes given to plotly.js write what Babel writes; spans of days are
CLDR's interval formats; percentages in charts with the language's own spacing."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.template import Context, Template
from django.utils import translation

from ampwork.advisor import charts as advisor_charts
from ampwork.core import charts as core_charts
from ampwork.core import l10n
from ampwork.mastery import charts as mastery_charts
from ampwork.mastery.flow import FlowMap, Point
from ampwork.mastery.selectors.calibration import CycleAttainment
from ampwork.okrs import charts as okrs_charts

LANGUAGES = ["en-gb", "de", "fr", "es"]
SRC = Path(__file__).resolve().parents[2] / "src" / "ampwork"


def _d3(pattern: str, day: dt.date, fmt: dict[str, Any]) -> str:
    """A small d3-time-format for dates, enough for the shapes plotly is given: the test's
    own reading of the directives, to compare with Babel's writing."""
    weekday = (day.weekday() + 1) % 7  # d3 counts from Sunday
    values = {
        "%-d": str(day.day),
        "%d": f"{day.day:02d}",
        "%-m": str(day.month),
        "%m": f"{day.month:02d}",
        "%b": fmt["shortMonths"][day.month - 1],
        "%B": fmt["months"][day.month - 1],
        "%Y": str(day.year),
        "%y": f"{day.year % 100:02d}",
        "%a": fmt["shortDays"][weekday],
        "%A": fmt["days"][weekday],
        "%%": "%",
    }
    return re.sub(r"%-?[a-zA-Z%]", lambda m: values[m.group(0)], pattern)


def _config_and_figure(html: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found = re.findall(r'data-figure="([^"]*)" data-config="([^"]*)"', html)
    assert found, "no chart in the fragment"
    return [(json.loads(unescape(c)), json.loads(unescape(f))) for f, c in found]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("day", [dt.date(2026, 11, 30), dt.date(2027, 3, 7), dt.date(2026, 5, 1)])
def test_plotlys_date_shapes_write_what_babel_writes(language: str, day: dt.date) -> None:
    _name, locale = l10n.plotly_locale(language)
    fmt = locale["format"]
    assert isinstance(fmt, dict)
    babel_locale = l10n.locale_for(language)
    for key, skeleton in (
        ("dayMonthYear", "yMMMd"),
        ("dayMonth", "MMMd"),
        ("month", "yMMM"),
        ("year", "y"),
    ):
        assert _d3(fmt[key], day, fmt) == babel_dates.format_skeleton(
            skeleton, day, locale=babel_locale
        ), key
    assert _d3(fmt["date"], day, fmt) == babel_dates.format_date(day, "short", locale=babel_locale)


@pytest.mark.parametrize(
    ("language", "name", "months", "short", "days", "decimal", "thousands"),
    [
        ("en-gb", "en-GB", "November", "Nov", "Sunday", ".", ","),
        ("de", "de", "November", "Nov.", "Sonntag", ",", "."),
        ("fr", "fr", "novembre", "nov.", "dimanche", ",", "\u202f"),
        ("es", "es", "noviembre", "nov", "domingo", ",", "."),
    ],
)
def test_the_plotly_locale_comes_from_cldr(
    language: str, name: str, months: str, short: str, days: str, decimal: str, thousands: str
) -> None:
    got_name, locale = l10n.plotly_locale(language)
    fmt = locale["format"]
    assert isinstance(fmt, dict)
    assert got_name == name
    assert fmt["months"][10] == months
    assert fmt["shortMonths"][10] == short
    assert fmt["days"][0] == days  # d3 starts the week on Sunday
    assert (fmt["decimal"], fmt["thousands"]) == (decimal, thousands)
    # the same marks as Babel writes a number with
    babel_locale = Locale.parse(name.replace("-", "_"))
    assert (
        babel_numbers.format_decimal(12345.5, locale=babel_locale) == f"12{thousands}345{decimal}5"
    )


@pytest.mark.parametrize(
    ("pattern", "d3"),
    [
        ("d. MMM y", "%-d. %b %Y"),
        ("d 'de' MMM 'de' y", "%-d de %b de %Y"),
        ("dd.MM.yy", "%d.%m.%y"),
        ("EEEE d MMMM y", "%A %-d %B %Y"),
        ("h:mm a", "%-I:%M %p"),
        ("d '%' M ''", "%-d %% %-m '"),
    ],
)
def test_cldr_patterns_become_d3_formats(pattern: str, d3: str) -> None:
    assert l10n.d3_pattern(pattern) == d3


def _charts() -> list[str]:
    """One of each kind of chart the pages draw (each returns core/charts' fragment)."""
    rounds = [
        (SimpleNamespace(name="Spring", closes=dt.date(2026, 4, 1)), {"autonomy": 0.5}),
        (SimpleNamespace(name="Summer", closes=dt.date(2026, 7, 1)), {"autonomy": 0.75}),
    ]
    week = dt.date(2026, 10, 5)
    flow = FlowMap(points=[Point(week, 4, 5, 0.5, -1.25, "boredom")], enough=True)
    rows = [SimpleNamespace(name="Sales", counts=dict.fromkeys(okrs_charts.COLOURS, 1), total=4)]
    return [
        core_charts.team_sizes([("Sales", 1234), ("R&D", 5)]),
        advisor_charts.trend(rounds),
        mastery_charts.attainment([CycleAttainment("Q3", True, 0.584, 3)]),
        mastery_charts.flow_map(flow),
        okrs_charts.statuses(rows),
        okrs_charts.scores({0.7: 2}, True),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chart_carries_the_readers_locale_and_marks(language: str) -> None:
    with translation.override(language):
        fragments = _charts()
    name, locale = l10n.plotly_locale(language)
    for html in fragments:
        for config, figure in _config_and_figure(html):
            assert config["locale"] == name
            assert config["locales"][name]["format"] == locale["format"]
            assert config["displayModeBar"] is False
            assert figure["layout"].get("separators") == l10n.plotly_separators(language)


def test_only_core_charts_writes_a_chart() -> None:
    """Every chart leaves through core/charts._div, so none misses the locale."""
    writers = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*")
        if path.suffix in {".py", ".html"} and "data-config" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["core/charts.py"]


def test_german_charts_write_numbers_and_percentages_the_german_way() -> None:
    with translation.override("de"):
        trend = advisor_charts.trend(
            [
                (SimpleNamespace(name="A", closes=dt.date(2026, 4, 1)), {"autonomy": 0.5}),
                (SimpleNamespace(name="B", closes=dt.date(2026, 7, 1)), {"autonomy": 0.25}),
            ]
        )
        attainment = mastery_charts.attainment([CycleAttainment("Q3", False, 0.584, 3)])
    ((_config, figure),) = _config_and_figure(trend)
    assert figure["layout"]["yaxis"]["ticktext"] == [
        "0\xa0%",
        "20\xa0%",
        "40\xa0%",
        "60\xa0%",
        "80\xa0%",
        "100\xa0%",
    ]
    assert figure["data"][0]["customdata"] == ["50\xa0%", "25\xa0%"]
    assert "tickformat" not in figure["layout"]["yaxis"]
    ((_config, figure),) = _config_and_figure(attainment)
    assert figure["layout"]["annotations"][0]["text"] == "0,7"
    assert figure["data"][0]["text"] == ["0,58 bisher"]


def test_english_charts_read_as_before() -> None:
    with translation.override("en-gb"):
        attainment = mastery_charts.attainment([CycleAttainment("Q3", True, 0.584, 3)])
    ((_config, figure),) = _config_and_figure(attainment)
    assert figure["layout"]["annotations"][0]["text"] == "0.7"
    assert figure["data"][0]["text"] == ["0.58"]
    assert "separators" not in figure["layout"]


@pytest.mark.parametrize(
    ("language", "apart", "same_month", "across_years"),
    [
        ("en-gb", "28 Oct – 7 Nov 2026", "2 – 7 Nov 2026", "28 Dec 2025 – 7 Jan 2026"),
        ("de", "28. Okt. – 7. Nov. 2026", "2.–7. Nov. 2026", "28. Dez. 2025 – 7. Jan. 2026"),
        ("fr", "28 oct. – 7 nov. 2026", "2–7 nov. 2026", "28 déc. 2025 – 7 janv. 2026"),
        ("es", "28 oct – 7 nov 2026", "2–7 nov 2026", "28 dic 2025 – 7 ene 2026"),
    ],
)
def test_a_span_of_days_is_written_once(
    language: str, apart: str, same_month: str, across_years: str
) -> None:
    def span(a: dt.date, b: dt.date) -> str:
        return l10n.format_interval(a, b, language=language).replace("\u2009", " ")

    assert span(dt.date(2026, 10, 28), dt.date(2026, 11, 7)) == apart
    assert span(dt.date(2026, 11, 2), dt.date(2026, 11, 7)) == same_month
    assert span(dt.date(2025, 12, 28), dt.date(2026, 1, 7)) == across_years
    # Babel, asked directly, agrees (the function adds nothing of its own)
    start, end = dt.date(2026, 10, 28), dt.date(2026, 11, 7)
    assert l10n.format_interval(start, end, language=language) == babel_dates.format_interval(
        start, end, "yMMMd", locale=l10n.locale_for(language)
    )


def test_a_span_with_one_end_missing_is_the_day_there_is() -> None:
    assert l10n.format_interval(dt.date(2026, 11, 7), None, language="de") == "7. Nov. 2026"
    assert l10n.format_interval(None, None, language="de") == ""
    same = dt.date(2026, 11, 7)
    assert l10n.format_interval(same, same, language="en-gb") == "7 Nov 2026"


def test_the_template_tag_and_filters() -> None:
    template = Template(
        "{% load ampwork_tags %}{% date_range a b %}|{{ n|number:'-1' }}|{{ w|number:'-1' }}"
        "|{{ p|percent:1 }}|{{ none|percent:1 }}"
    )
    context = Context(
        {"a": dt.date(2026, 10, 28), "b": dt.date(2026, 11, 7), "n": 1800.25, "w": 1800.0,
         "p": -1.64, "none": None}
    )  # fmt: skip
    with translation.override("de"):
        german = template.render(context).replace("\u2009", " ")
    with translation.override("en-gb"):
        english = template.render(context).replace("\u2009", " ")
    assert german == "28. Okt. – 7. Nov. 2026|1.800,2|1.800|-1,6\xa0%|—"
    assert english == "28 Oct – 7 Nov 2026|1,800.2|1,800|-1.6%|—"


@pytest.mark.parametrize(
    ("language", "plus", "minus"),
    [("en-gb", "+0.42", "-1.30"), ("de", "+0,42", "-1,30"), ("fr", "+0,42", "-1,30")],
)
def test_signed_numbers(language: str, plus: str, minus: str) -> None:
    assert l10n.format_signed(0.4199, 2, language) == plus
    assert l10n.format_signed(-1.3, 2, language) == minus
    assert l10n.format_signed(None, 2, language) == "—"


@pytest.mark.parametrize(
    ("language", "after"), [("en-gb", "%"), ("de", "\xa0%"), ("fr", "\xa0%"), ("es", "\xa0%")]
)
def test_percent_affixes(language: str, after: str) -> None:
    assert l10n.percent_affixes(language) == ("", after)
