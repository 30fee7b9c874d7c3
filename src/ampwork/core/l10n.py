"""Dates, numbers, percentages and money in the reader's language (pure: no ORM).

Babel's CLDR data decides each language's patterns, so a Spanish reader sees ``1.234,5``
and ``30 nov 2026``, a German one ``1.234,5`` and ``30. Nov. 2026``, an English one
``1,234.5`` and ``30 Nov 2026``. The language is Django's active one (the person's choice,
their browser's, their organisation's: core/middleware.py) unless one is given. Files
meant for machines (CSV exports, the API) never come through here: they stay
locale-neutral.

docs/methods.md, "How numbers are written", lists what each page uses.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import translation
from django.utils.translation import pgettext

FALLBACK = "en_GB"

Number = int | float | Decimal
# decimal digits of working precision: Python's default 28 cannot round 10**28 to two places
# (quantize needs 31), and a key result's target is whatever its owner typed
ROOM = 400


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    """Babel's locale for a Django language code; a pseudo-locale or one Babel does not
    know ("en-xa") reads as its base language, then as British English."""
    name = translation.to_locale(language or FALLBACK)
    base = name.split("_")[0]
    for candidate in (name, FALLBACK if base == "en" else base, FALLBACK):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(FALLBACK)  # pragma: no cover - FALLBACK always parses


def locale_for(language: str | None = None) -> Locale:
    return _locale(language or translation.get_language() or FALLBACK)


# The date shapes the pages use, by name: each is a CLDR pattern or skeleton, so every
# language orders and abbreviates in its own way.
DATE_FORMATS = {
    "day_long": "long",  # 30 November 2026
    "weekday_long": "full",  # Monday, 30 November 2026
}
SKELETONS = {
    # 30 Nov 2026 · 30. Nov. 2026 · 30 nov. 2026 · 30 nov 2026: German's "medium" date is
    # all digits (30.11.2026), which sat oddly beside "1. Sept." and a span's "28. Okt."
    "day": "yMMMd",
    "day_month": "MMMd",  # 30 Nov
    "day_month_long": "MMMMd",  # 30 November
    "weekday_day": "MMMEd",  # Mon 30 Nov
    "month_year": "yMMM",  # Nov 2026
}


def format_day(value: dt.date | None, shape: str = "day", language: str | None = None) -> str:
    """A date (or a datetime's date in its own time zone) in one of the named shapes."""
    if value is None:
        return ""
    locale = locale_for(language)
    if isinstance(value, dt.datetime):
        value = value.date()
    if shape in SKELETONS:
        return str(babel_dates.format_skeleton(SKELETONS[shape], value, locale=locale))
    return str(babel_dates.format_date(value, DATE_FORMATS[shape], locale=locale))


def format_moment(
    value: dt.datetime | None, shape: str = "day", language: str | None = None
) -> str:
    """A date and time of day: '30 Nov 2026, 14:05' in the reader's order. The datetime
    is shown as given: callers convert it to the reader's time zone first (the template
    filters do, through Django's localtime)."""
    if value is None:
        return ""
    locale = locale_for(language)
    time = babel_dates.format_time(value, "short", locale=locale)
    day = format_day(value, shape, language)
    pattern = str(locale.datetime_formats.get("medium", "{1}, {0}"))
    return pattern.replace("{1}", day).replace("{0}", str(time))


def format_number(
    value: Number | None, decimals: int | None = None, language: str | None = None
) -> str:
    """1234.5 → '1,234.5' (en), '1.234,5' (de, es), '1 234,5' (fr); ``decimals`` fixes
    the places shown (rounded half to even as Babel does), else up to three."""
    if value is None:
        return "—"
    locale = locale_for(language)
    if decimals is None:
        return str(babel_numbers.format_decimal(value, locale=locale))
    with localcontext() as room:
        room.prec = ROOM  # a target of 10**30 rounds to two places like any other number
        return _fixed("number", decimals, _rounded(value, decimals), locale)


def format_percent(share: Number | None, decimals: int = 0, language: str | None = None) -> str:
    """0.734 → '73%' (en), '73 %' (de, fr, es)."""
    if share is None:
        return "—"
    with localcontext() as room:
        room.prec = ROOM
        return _fixed("percent", decimals, _rounded(share, decimals, scale=2), locale_for(language))


def _rounded(value: Number, places: int, scale: int = 0) -> str:
    """``value`` rounded as Babel rounds it — the float's shortest decimal form, times
    10**scale, half to even at ``places`` — as text: a page shows the same few hundred
    values again and again, and the text is what :func:`_fixed` keeps them by ("0.80" and
    "0.8", "-0.00" and "0" stay apart)."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        return str(exact)
    try:
        step = Decimal(1).scaleb(-places)
        return str(exact.scaleb(scale).quantize(step, ROUND_HALF_EVEN).scaleb(-scale))
    except InvalidOperation:  # more digits than the context holds: Babel rounds it itself
        return str(exact)


@lru_cache(maxsize=8192)
def _fixed(kind: str, decimals: int, value: str, locale: Locale) -> str:
    """Babel's writing of an already rounded number with ``decimals`` places, kept: a tree
    of 2,000 objectives writes ~400 percentages, nearly all of them among 101 values."""
    places = "." + "0" * decimals if decimals > 0 else ""
    if kind == "number":
        return str(
            babel_numbers.format_decimal(
                Decimal(value), format="#,##0" + places, locale=locale, decimal_quantization=True
            )
        )
    # each language's own spacing and sign order come from its standard pattern
    standard = (
        str(locale.percent_formats[None].pattern) if None in locale.percent_formats else "#,##0%"
    )
    pattern = standard.replace("#,##0", "#,##0" + places)
    return str(
        babel_numbers.format_percent(
            Decimal(value), format=pattern, locale=locale, decimal_quantization=True
        )
    )


def plain(value: Number, most: int = 6) -> str:
    """A measured number written the English way with nothing lost and nothing invented:
    1234567.0 → '1234567', 0.1 + 0.2 → '0.3', 2.5 → '2.5' — at most ``most`` decimals,
    never an exponent (``:g`` wrote 1234567 as '1.23457e+06')."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        return str(value)
    places = -int(exact.as_tuple().exponent)  # finite: the exponent is a number
    with localcontext() as room:
        room.prec = ROOM
        rounded = exact.quantize(Decimal(1).scaleb(-most)) if places > most else exact
        text = format(rounded.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def written(text: str, *, percent: bool = False, language: str | None = None) -> str:
    """A number already rounded the English way ("0.87", "41000", "12"), written as the
    reader writes numbers ("0,87", "41.000", "12 %"), with no second rounding: the digits
    shown are the digits the rule compared."""
    exact = Decimal(text)
    if not exact.is_finite():  # "inf", "nan": nothing to group or round
        return text
    places = max(0, -int(exact.as_tuple().exponent))
    if percent:
        return format_percent(exact / 100, places, language)
    return format_number(exact, places, language)


def format_measure(value: Number | None, language: str | None = None) -> str:
    """A measured value (a check-in, a start, a target) as its reader writes numbers, with
    every decimal it has (up to six) and none added: 1234567 → '1,234,567' / '1.234.567'."""
    return "—" if value is None else written(plain(value), language=language)


def with_unit(written_value: str, unit: str, language: str | None = None) -> str:
    """A written value and the unit its owner chose: a percent sign as the language writes
    one ('6%' in English, '6\xa0%' in German), any other unit after a no-break space
    ('4\xa0h', '8\xa0customers'); no unit, the value alone."""
    unit = unit.strip()
    if not unit:
        return written_value
    if unit == "%":
        before, after = percent_affixes(language)
        return f"{before}{written_value}{after}"
    return f"{written_value}\xa0{unit}"


def format_money(
    amount: Number | None, currency: str, decimals: int | None = None, language: str | None = None
) -> str:
    """1234.5 EUR → '€1,234.50' (en), '1.234,50 €' (de, es), '1 234,50 €' (fr); whole
    amounts when ``decimals`` is 0 (pay figures)."""
    if amount is None:
        return "—"
    locale = locale_for(language)
    if decimals is None:
        return str(babel_numbers.format_currency(amount, currency, locale=locale))
    return str(
        babel_numbers.format_currency(
            amount,
            currency,
            locale=locale,
            currency_digits=False,
            decimal_quantization=True,
            format=None if decimals else _whole_currency_pattern(locale),
        )
    )


def _whole_currency_pattern(locale: Locale) -> str:
    pattern = str(locale.currency_formats["standard"].pattern)
    return pattern.replace(".00", "").split(";")[0]


def plotly_separators(language: str | None = None) -> str | None:
    """The decimal and group marks for a plotly figure's hover and axis numbers ("," and
    "." in German), or None where they are plotly's own ".," (English figures unchanged)."""
    symbols = locale_for(language).number_symbols.get("latn", {})
    marks = str(symbols.get("decimal", ".")) + str(symbols.get("group", ","))
    return None if marks == ".," else marks


def format_interval(
    start: dt.date | None,
    end: dt.date | None,
    skeleton: str = "yMMMd",
    language: str | None = None,
) -> str:
    """A span of days written once, as each language writes one: '28 Oct – 7 Nov 2026'
    (en), '28. Okt. – 7. Nov. 2026' (de), '28 oct. – 7 nov. 2026' (fr); the shared month or year
    is not repeated, and both ends have the same shape (CLDR's interval formats). A
    missing end is written as the one day there is."""
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if start is None or end is None:
        day = start or end
        if day is None:
            return ""
        return str(babel_dates.format_skeleton(skeleton, day, locale=locale_for(language)))
    return str(babel_dates.format_interval(start, end, skeleton, locale=locale_for(language)))


def format_signed(value: Number | None, decimals: int, language: str | None = None) -> str:
    """A difference with its sign always shown, as Python's ``:+.2f`` signs it: +0.42 and
    -1.30 (en), +0,42 and -1,30 (de); the language's own plus and minus signs."""
    if value is None:
        return "—"
    text = f"{value:+.{decimals}f}"  # Python's rounding and sign, digits unchanged
    symbols = locale_for(language).number_symbols.get("latn", {})
    sign = symbols.get("minusSign", "-") if text[0] == "-" else symbols.get("plusSign", "+")
    return str(sign) + written(text[1:], language=language)


def percent_affixes(language: str | None = None) -> tuple[str, str]:
    """What a language writes before and after a percentage's digits: ('', '%') in English,
    ('', '\\xa0%') in German and Spanish, ('', '\\u202f%') in French (its standard pattern)."""
    written_50 = format_percent(0.5, 0, language)
    digits = format_number(50, 0, language)
    before, _digits, after = written_50.partition(digits)
    return before, after


# d3-time-format's directives (plotly.js draws dates with them) for CLDR's pattern letters
_D3 = {
    "y": "%Y",
    "yy": "%y",
    "M": "%-m",
    "MM": "%m",
    "MMM": "%b",
    "MMMM": "%B",
    "d": "%-d",
    "dd": "%d",
    "E": "%a",
    "EE": "%a",
    "EEE": "%a",
    "EEEE": "%A",
    "H": "%-H",
    "HH": "%H",
    "h": "%-I",
    "hh": "%I",
    "m": "%-M",
    "mm": "%M",
    "s": "%-S",
    "ss": "%S",
    "a": "%p",
}


def d3_pattern(pattern: str) -> str:
    """A CLDR date pattern ('d. MMM y', "d 'de' MMM 'de' y") as a d3-time-format string
    ('%-d. %b %Y', '%-d de %b de %Y'): plotly.js writes its date ticks with these."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":
            close = pattern.find("'", i + 1)
            close = len(pattern) if close < 0 else close
            literal = pattern[i + 1 : close]
            out.append("'" if literal == "" else literal.replace("%", "%%"))
            i = close + 1
        elif char.isascii() and char.isalpha():
            run = i
            while run < len(pattern) and pattern[run] == char:
                run += 1
            count = run - i
            letter = {"L": "M", "c": "E", "e": "E", "k": "H", "K": "h", "u": "y"}.get(char, char)
            if letter == "y":
                out.append("%y" if count == 2 else "%Y")
            else:
                out.append(_D3.get(letter * min(count, 4), ""))
            i = run
        else:
            out.append("%%" if char == "%" else char)
            i += 1
    return "".join(out).strip()


def _skeleton_pattern(locale: Locale, skeleton: str) -> str:
    key = babel_dates.match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    return d3_pattern(str(locale.datetime_skeletons[key].pattern))


@lru_cache(maxsize=16)
def _plotly_locale(name: str) -> dict[str, object]:
    locale = Locale.parse(name)
    symbols = locale.number_symbols.get("latn", {})
    days = locale.days["format"]
    months = locale.months["format"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, d3 from Sunday
    return {
        "format": {
            "days": [str(days["wide"][i]) for i in sunday_first],
            "shortDays": [str(days["abbreviated"][i]) for i in sunday_first],
            "months": [str(months["wide"][i]) for i in range(1, 13)],
            "shortMonths": [str(months["abbreviated"][i]) for i in range(1, 13)],
            "periods": [
                str(locale.day_periods["format"]["abbreviated"].get(p, p.upper()))
                for p in ("am", "pm")
            ],
            "date": d3_pattern(str(locale.date_formats["short"].pattern)),
            "time": d3_pattern(str(locale.time_formats["medium"].pattern)),
            "dateTime": "%x, %X",
            "decimal": str(symbols.get("decimal", ".")),
            "thousands": str(symbols.get("group", ",")),
            "grouping": [3],
            "currency": ["", ""],
            "year": _skeleton_pattern(locale, "y"),
            "month": _skeleton_pattern(locale, "yMMM"),
            "dayMonth": _skeleton_pattern(locale, "MMMd"),
            "dayMonthYear": _skeleton_pattern(locale, "yMMMd"),
        },
        "dictionary": {},
    }


def plotly_locale(language: str | None = None) -> tuple[str, dict[str, object]]:
    """The name plotly.js knows the reader's language by ('de', 'en-GB') and its locale
    for ``config.locales``, built from CLDR (Babel): month and day names, the date shapes
    of the date axes' ticks, the decimal and group marks. Never plotly's own locale files."""
    locale = locale_for(language)
    name = str(locale)
    return name.replace("_", "-"), _plotly_locale(name)


# ---- punctuation around translated words ------------------------------------------------
# French writes a no-break space before ":" and inside « », a narrow one before ";", "!"
# and "?"; the other languages none. Text glued to a translated word outside the
# translated sentence ("Constat: x") would lose it: these small translated patterns carry
# the punctuation with them, so each catalogue decides its own spacing.


def labelled(label: object, value: object) -> str:
    """'Finding: Low confidence' — a label and what it names, as each language punctuates
    it ('Constat\\u00a0: …' in French)."""
    return pgettext("a label and its value", "%(label)s: %(value)s") % {
        "label": label,
        "value": value,
    }


def with_colon(label: object) -> str:
    """A label followed by its colon ('Finding:'; 'Constat\\u00a0:' in French)."""
    return pgettext("a label before what it names", "%(label)s:") % {"label": label}


def quoted(text: object) -> str:
    """Words quoted as the reader's language quotes: “…” (en), „…“ (de), «\\u00a0…\\u00a0»
    (fr), «…» (es)."""
    return pgettext("quote", "“%(text)s”") % {"text": text}


def list_separator() -> str:
    """What separates the items of a list that commas cannot ('; '; '\\u202f; ' in French)."""
    return pgettext("list separator", "; ")


# French spaces before these marks: a no-break space before ":", a narrow one before the rest
_FRENCH_SPACE = {":": "\u00a0", ";": "\u202f", "!": "\u202f", "?": "\u202f"}


def punctuated(text: str, language: str | None = None) -> str:
    """Text written once, outside the catalogues (the AMP Pulse's versioned instrument
    texts), with the reader's spacing before its punctuation: in French the plain space
    before ":" ";" "!" "?" becomes a no-break one, so a line never wraps before its colon;
    every other language's text is returned unchanged."""
    if not str(locale_for(language)).startswith("fr"):
        return text
    for mark, space in _FRENCH_SPACE.items():
        text = text.replace(" " + mark, space + mark)
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def full_stop(sentence: str) -> str:
    """A sentence ending in an abbreviation's own period ('… semaine du 30 nov..' — the
    French and German short months end in '.') keeps one period, never two; an ellipsis
    ('…' or '...') is left alone."""
    if sentence.endswith("..") and not sentence.endswith("..."):
        return sentence[:-1]
    return sentence
