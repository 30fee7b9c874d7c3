"""Templates stay readable: no line of markup over 200 characters. The translation tags
and the words people read inside them do not count (the line as it reads without them): a
sentence is kept whole for its translators (``{% translate "…" %}``,
``{% blocktranslate %}…{% endblocktranslate %}``)."""

from __future__ import annotations

import re
from pathlib import Path

import ampwork

LIMIT = 200
PACKAGE = Path(ampwork.__file__).parent


def templates() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("templates/**/*") if p.is_file())


def test_templates_are_found() -> None:
    found = {p.relative_to(PACKAGE).as_posix() for p in templates()}
    assert "templates/base.html" in found
    assert "core/templates/core/home.html" in found
    assert len(found) > 50


# the translation tags, and the words of a blocktranslate body (its variables still count)
TRANSLATED = re.compile(r"""{%\s*translate\s+(?:"[^"]*"|'[^']*')[^%]*%}""")
BODY = re.compile(r"{%\s*blocktranslate\b[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.S)
TAG = re.compile(r"{{.*?}}|{%.*?%}")


def markup(text: str) -> str:
    """A template as it reads without its translation tags and the words inside them (a
    body over several lines keeps its line breaks, so line numbers stay)."""
    text = TRANSLATED.sub("", text)
    return BODY.sub(
        lambda m: (
            "".join(t for t in TAG.findall(m.group(1)) if "plural" not in t)
            + "\n" * m.group(1).count("\n")
        ),
        text,
    )


def test_markup_leaves_out_only_translated_words() -> None:
    line = (
        '<p class="x">{% translate "A long sentence" %} '
        "{% blocktranslate with n=a.b %}Has {{ n }} words{% endblocktranslate %}</p>"
    )
    assert markup(line) == '<p class="x"> {{ n }}</p>'


def test_no_template_line_is_over_200_characters() -> None:
    long = [
        f"{path.relative_to(PACKAGE)}:{number}: {len(line)} characters"
        for path in templates()
        for number, line in enumerate(markup(path.read_text(encoding="utf-8")).splitlines(), 1)
        if len(line) > LIMIT
    ]
    assert long == []
