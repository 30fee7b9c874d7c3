"""core/l10n.py against CLDR's own patterns (Babel's data), per language: dates, numbers,
percentages and money; nothing shown as "None"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.core import l10n

DAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("language", "day", "short", "moment"),
    [
        ("en-gb", "30 Nov 2026", "30 Nov", "30 Nov 2026, 14:05"),
        ("de", "30. Nov. 2026", "30. Nov.", "30. Nov. 2026, 14:05"),
        ("fr", "30 nov. 2026", "30 nov.", "30 nov. 2026, 14:05"),
        ("es", "30 nov 2026", "30 nov", "30 nov 2026, 14:05"),
    ],
)
def test_dates_follow_each_language(language: str, day: str, short: str, moment: str) -> None:
    assert l10n.format_day(DAY, language=language) == day
    assert l10n.format_day(DAY, "day_month", language) == short
    at = dt.datetime(2026, 11, 30, 14, 5)
    assert l10n.format_day(at, language=language) == day  # a datetime's date
    assert l10n.format_moment(at, language=language) == moment


def test_nothing_is_written_as_none() -> None:
    assert l10n.format_day(None) == ""
    assert l10n.format_moment(None) == ""
    assert l10n.format_number(None) == "—"
    assert l10n.format_percent(None) == "—"
    assert l10n.format_money(None, "EUR") == "—"


@pytest.mark.parametrize(
    ("language", "number", "fixed", "percent", "money", "whole"),
    [
        ("en-gb", "1,234.5", "1,234.50", "73.4%", "€1,234.50", "€52,000"),
        ("de", "1.234,5", "1.234,50", "73,4\xa0%", "1.234,50\xa0€", "52.000\xa0€"),
        ("es", "1.234,5", "1.234,50", "73,4\xa0%", "1.234,50\xa0€", "52.000\xa0€"),
    ],
)
def test_numbers_percentages_and_money_follow_each_language(
    language: str, number: str, fixed: str, percent: str, money: str, whole: str
) -> None:
    assert l10n.format_number(1234.5, language=language) == number
    assert l10n.format_number(Decimal("1234.5"), 2, language) == fixed
    assert l10n.format_percent(0.7345, 1, language) == percent
    assert l10n.format_money(Decimal("1234.5"), "EUR", language=language) == money
    assert l10n.format_money(52000, "EUR", 0, language) == whole


def test_a_language_babel_does_not_know_reads_as_british_english() -> None:
    assert l10n.format_day(DAY, language="en-xa") == "30 Nov 2026"
    assert l10n.format_day(DAY, language="xx-yy") == "30 Nov 2026"
    assert l10n.format_number(2, 0, "en-xa") == "2"


def test_plotly_figures_get_each_languages_marks() -> None:
    assert l10n.plotly_separators("en-gb") is None  # plotly's own ".,"
    assert l10n.plotly_separators("de") == ",."
    assert l10n.plotly_separators("fr") == ",\u202f"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234567.0, "1234567"),  # :g wrote '1.23457e+06', losing the last two digits
        (0.1 + 0.2, "0.3"),  # the float's noise past six decimals is not a digit shown
        (2.5, "2.5"),
        (1e21, "1000000000000000000000"),  # never an exponent
        (0.000001, "0.000001"),  # six decimals: kept
        (0.0000014, "0.000001"),  # a seventh: rounded away
        (-0.0000001, "0"),  # no "-0"
        (Decimal("41000"), "41000"),
        (3, "3"),
    ],
)
def test_plain_writes_a_measure_without_loss_or_exponent(value: l10n.Number, text: str) -> None:
    assert l10n.plain(value) == text


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
@settings(deadline=None)
def test_plain_is_the_value_to_six_decimals(value: float) -> None:
    text = l10n.plain(value)
    assert "e" not in text.lower()
    assert abs(Decimal(text) - Decimal(repr(value))) <= Decimal("0.0000005")


@pytest.mark.parametrize(
    ("language", "measure", "rounded", "percent"),
    [
        ("en-gb", "1,234,567.5", "0.80", "12%"),
        ("de", "1.234.567,5", "0,80", "12\u00a0%"),
        ("fr", "1\u202f234\u202f567,5", "0,80", "12\u00a0%"),
        ("es", "1.234.567,5", "0,80", "12\u00a0%"),
    ],
)
def test_written_keeps_the_digits_the_rule_compared(
    language: str, measure: str, rounded: str, percent: str
) -> None:
    """A number already rounded ("0.80") keeps its places in every language; no second
    rounding ("0.845" stays three places, never "0.84" or "0.85")."""
    assert l10n.format_measure(1234567.5, language) == measure
    assert l10n.written("0.80", language=language) == rounded
    assert l10n.written("12", percent=True, language=language) == percent
    assert l10n.written("0.845", language=language).endswith("845")
    assert l10n.format_measure(None, language) == "—"


@given(
    st.one_of(
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
        st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4),
        st.integers(min_value=-(10**12), max_value=10**12),
    ),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["en-gb", "de", "fr", "es"]),
)
@settings(deadline=None)  # Babel's first call per language loads its data
def test_kept_writings_are_babels_own(value: l10n.Number, decimals: int, language: str) -> None:
    """The numbers and percentages kept by their rounded text (core/l10n._fixed) read
    exactly as Babel writes the value itself, called afresh."""
    from babel import numbers

    locale = l10n.locale_for(language)
    places = "." + "0" * decimals if decimals else ""
    direct = numbers.format_decimal(
        value, format="#,##0" + places, locale=locale, decimal_quantization=True
    )
    assert l10n.format_number(value, decimals, language) == direct
    standard = str(locale.percent_formats[None].pattern)
    percent = numbers.format_percent(
        value,
        format=standard.replace("#,##0", "#,##0" + places),
        locale=locale,
        decimal_quantization=True,
    )
    assert l10n.format_percent(value, decimals, language) == percent


@pytest.mark.parametrize("value", [1e28, 1e30, 1e300, -1e29])
def test_a_number_past_decimals_default_precision_is_written_not_a_500(value: float) -> None:
    """Python's decimal context holds 28 digits; rounding 10**28 to two places needs 31.
    A key result's target is whatever its owner typed, so each writing works for any size
    (a review found 1e28 in a key result broke its objective's page)."""
    for language in ("en-gb", "de"):
        assert l10n.format_measure(value, language)[-1].isdigit()
        assert l10n.format_number(value, 2, language)[-2:].isdigit()
        assert l10n.format_percent(value, 1, language).endswith("%")
    assert l10n.written("inf") == "inf"
    assert l10n.written("nan") == "nan"


# ---- punctuation around translated words ------------------------------------------------

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("language", "label", "colon", "quote", "separator"),
    [
        ("en-gb", "Finding: x", "Maya:", "“words”", "; "),
        ("de", "Finding: x", "Maya:", "„words“", "; "),
        ("fr", f"Finding{NBSP}: x", f"Maya{NBSP}:", f"«{NBSP}words{NBSP}»", f"{NNBSP}; "),
        ("es", "Finding: x", "Maya:", "«words»", "; "),
    ],
)
def test_punctuation_is_each_languages_own(
    language: str, label: str, colon: str, quote: str, separator: str
) -> None:
    with translation.override(language):
        assert l10n.labelled("Finding", "x") == label
        assert l10n.with_colon("Maya") == colon
        assert l10n.quoted("words") == quote
        assert l10n.list_separator() == separator


@pytest.mark.parametrize(
    ("template", "french"),
    [
        ("{% labelled 'Constat' x %}", f"Constat{NBSP}: &lt;b&gt;"),
        ("<strong>{{ 'Maya'|colon }}</strong>", f"<strong>Maya{NBSP}:</strong>"),
        ("<a>Maya</a>{% colon_sign %} x", f"<a>Maya</a>{NBSP}: x"),
        ("{{ x|quoted }}", f"«{NBSP}&lt;b&gt;{NBSP}»"),
        ("{{ words|quoted_list }}", f"«{NBSP}a{NBSP}», «{NBSP}b &amp; c{NBSP}»"),
        ("a{% list_sep %}b", f"a{NNBSP}; b"),
        ("{{ words|joined }}", f"a{NNBSP}; b &amp; c"),
    ],
)
def test_the_template_tags_carry_the_french_spacing_and_escape(template: str, french: str) -> None:
    page = Template("{% load ampwork_tags %}" + template)
    with translation.override("fr"):
        assert page.render(Context({"x": "<b>", "words": ["a", "b & c"]})) == french


def test_text_written_outside_the_catalogues_gets_the_french_spacing() -> None:
    name = "Autonomie : comment je travaille ; vraiment ? « oui » !"
    assert l10n.punctuated(name, "fr") == (
        f"Autonomie{NBSP}: comment je travaille{NNBSP}; vraiment{NNBSP}? «{NBSP}oui{NBSP}»{NNBSP}!"
    )
    assert l10n.punctuated("Autonomía: cómo trabajo", "es") == "Autonomía: cómo trabajo"
    assert l10n.punctuated("Autonomy: how I work", "en-gb") == "Autonomy: how I work"


@pytest.mark.parametrize("language", ["en-gb", "de", "fr", "es"])
def test_a_sentence_ending_in_a_short_month_has_one_period(language: str) -> None:
    """'semaine du 30 nov..': the French and German short months end in their own period."""
    page = Template(
        "{% load i18n ampwork_tags %}{% blocktranslate with week=week|day_month asvar s %}"
        "You have not reviewed the week of {{ week }} yet.{% endblocktranslate %}{{ s|full_stop }}"
    )
    with translation.override(language):
        text = page.render(Context({"week": DAY}))
    assert ".." not in text
    assert text.endswith(".")
    assert l10n.format_day(DAY, "day_month", language).rstrip(".") in text


def test_full_stop_leaves_an_ellipsis_and_a_single_period() -> None:
    assert l10n.full_stop("semaine du 30 nov..") == "semaine du 30 nov."
    assert l10n.full_stop("Wait...") == "Wait..."
    assert l10n.full_stop("Done.") == "Done."


def test_joined_lists_in_english_as_join_did_and_escapes_each_item() -> None:
    page = Template("{% load ampwork_tags %}{{ words|joined }}")
    with translation.override("en"):
        assert page.render(Context({"words": ["<i>a</i>", "b"]})) == "&lt;i&gt;a&lt;/i&gt;; b"


@pytest.mark.parametrize(
    ("language", "unit", "written"),
    [
        ("en-gb", "%", "6%"),
        ("de", "%", "6\xa0%"),
        ("es", " % ", "6\xa0%"),  # the owner's spaces around it do not count
        ("en-gb", "h", "6\xa0h"),
        ("fr", "clients", "6\xa0clients"),
        ("de", "", "6"),
        ("de", "  ", "6"),
        ("fr", "%", "6\xa0%"),  # as every French percentage on the pages (format_percent)
    ],
)
def test_a_value_keeps_its_unit_apart_as_each_language_does(
    language: str, unit: str, written: str
) -> None:
    assert l10n.with_unit("6", unit, language) == written
