"""A pseudo-language that shows which text on a page is not translated (issue 21).

``write_pseudo_locale(directory, code)`` writes a catalogue (``<code>/LC_MESSAGES/django.po``
and its ``.mo``) that "translates" every message ampwork, Django and django-allauth know:
each letter becomes an accented look-alike and the text is wrapped in markers —
"Save" becomes "⟦Šàṽé⟧" — while placeholders (``%(name)s``, ``%s``, ``{name}``), HTML tags
and entities stay as they are. Rendered in that language, a page whose every word went
through the catalogue has no plain ASCII letter left outside a placeholder's value:
``untranslated(html, allowed)`` lists the text that still has one (a word that is not data
from the database, a brand name or a date Babel writes).

Used by tests/core/test_translations.py (every page of every demo role) and
tests/e2e/test_right_to_left.py (a right-to-left pseudo-language).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

OPEN, CLOSE = "⟦", "⟧"
_LOOK_ALIKES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "àƀçđéƒĝĥîĵķļɱñõþʠŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
        strict=True,
    )
)
# what a translation must keep as it is: placeholders, HTML tags and entities
KEEP = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]"  # %(name)s, %(count)d, %(pct).1f
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifr%]"  # %s, %d, %%
    r"|\{[^{}\s]*\}"  # {name}, {0}
    r"|<[^<>]+>"  # <a href="…">, </strong>
    r"|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);"  # &amp; &#39;
)


def pseudo(text: str) -> str:
    """ "Save %(name)s" -> "⟦Šàṽé %(name)s⟧": letters swapped, placeholders and tags kept."""
    if not text:
        return text
    out: list[str] = []
    at = 0
    for match in KEEP.finditer(text):
        out.append(text[at : match.start()].translate(str.maketrans(_LOOK_ALIKES)))
        out.append(match.group())
        at = match.end()
    out.append(text[at:].translate(str.maketrans(_LOOK_ALIKES)))
    return OPEN + "".join(out) + CLOSE


def source_catalogues() -> list[Path]:
    """The catalogues whose messages the pseudo-language translates: ampwork's own (every
    app's and the project's), Django's (its own and its contrib apps') and django-allauth's.
    One language of each is enough for the message ids; German is complete in all three."""
    import allauth
    import django

    ampwork = Path(__file__).resolve().parents[1] / "src" / "ampwork"
    found = sorted(ampwork.glob("**/locale/*/LC_MESSAGES/django.po"))
    for package in (Path(django.__file__).parent, Path(allauth.__file__).parent):
        found += sorted(package.glob("**/locale/de/LC_MESSAGES/django.po"))
    return found


def write_pseudo_locale(directory: Path, code: str = "en_XA") -> Path:
    """Write ``directory/<code>/LC_MESSAGES/django.po`` and ``.mo``; returns the .mo."""
    catalogue = Catalog(locale="en", fuzzy=False)  # English plural rules: n != 1
    seen: set[tuple[str | None, str | tuple[str, ...]]] = set()
    for path in source_catalogues():
        with path.open("rb") as source:
            for message in read_po(source):
                if not message.id or (message.context, message.id) in seen:
                    continue
                seen.add((message.context, message.id))
                if isinstance(message.id, str):
                    string: str | tuple[str, ...] = pseudo(message.id)
                else:
                    singular, plural = message.id[0], message.id[1]
                    string = (pseudo(singular), pseudo(plural))
                catalogue.add(message.id, string, context=message.context)
    folder = directory / code / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "django.po").open("wb") as po:
        write_po(po, catalogue, width=0)
    mo = folder / "django.mo"
    with mo.open("wb") as target:
        write_mo(target, catalogue, use_fuzzy=False)
    return mo


# ---- reading a page ---------------------------------------------------------------------

# not text a reader reads as the page's wording (code, scripts, data typed into a form)
SKIP = {"script", "style", "template", "code", "pre", "textarea", "kbd", "samp"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# attributes a reader sees or hears
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
BUTTON_INPUTS = {"submit", "button", "reset"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.where: list[str] = []
        self.found: list[tuple[str, str]] = []  # (where, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.skipping:  # inside a skipped element: only follow the nesting
            if tag not in VOID:
                self.skipping.append(tag)
            return
        if tag != "html" and values.get("lang"):
            # text that declares its own language (lang="en": the methods page's body,
            # which is English by design and says so) is not the page's own, untranslated
            if tag not in VOID:
                self.skipping.append(tag)
                self.where.append(tag)
            return
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.found.append((f"{tag}[{name}]", values[name] or ""))
        if tag == "input" and (values.get("type") or "") in BUTTON_INPUTS and values.get("value"):
            self.found.append(("input[value]", values["value"] or ""))
        if tag in VOID:
            return
        if tag in SKIP:
            self.skipping.append(tag)
        self.where.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
            if self.skipping:  # still inside the skipped element
                return
        if tag in self.where:  # close up to the tag (HTML forgives unclosed <li>, <p> …)
            while self.where and self.where.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.found.append((self.where[-1] if self.where else "", data))


def texts(html: str) -> list[tuple[str, str]]:
    """(element, text) of every visible text node and read attribute of a page."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.found


# addresses and e-mails are data, whatever words they hold
_ADDRESSES = re.compile(
    r"\b(?:https?|webcal|mailto)://\S+|\S+@\S+\.\S+|(?<![\w])/[\w./{}:?=&%-]*[\w/]"
)
WORD = re.compile(r"[^\W\d_]+")
TRUNCATED = re.compile(r"[^\W\d_]+…")


def words(text: str) -> Iterator[str]:
    """The words of a text, as the allow-list and the check both split it."""
    return (w for w in WORD.findall(_ADDRESSES.sub(" ", text)))


def _plain(word: str) -> bool:
    return len(word) >= 2 and word.isascii()


@dataclass(frozen=True)
class Snippet:
    where: str  # the element (or element[attribute]) holding the text
    text: str  # the text, shortened
    words: tuple[str, ...]  # its words not translated


def untranslated(html: str, allowed: set[str]) -> list[Snippet]:
    """The texts of a page rendered in the pseudo-language that still hold a plain word
    (two or more ASCII letters) that is not data, a brand or a date: each once."""
    found: list[Snippet] = []
    seen: set[str] = set()
    for where, text in texts(html):
        # a word cut short ("without he…") is data shortened to fit, not a sentence
        text = TRUNCATED.sub("…", text)
        plain = tuple(w for w in words(text) if _plain(w) and w.lower() not in allowed)
        if not plain:
            continue
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 100 else shown[:97] + "…"
        if shown not in seen:
            seen.add(shown)
            found.append(Snippet(where, shown, plain))
    return found


def allow_list(values: Iterable[str]) -> set[str]:
    """The lower-cased plain words of the given texts (data, brands, names); addresses and
    e-mails are left out as the check leaves them out of a page's text."""
    return {w.lower() for value in values for w in words(value) if _plain(w)}
