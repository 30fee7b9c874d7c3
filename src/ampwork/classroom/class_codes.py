"""Class-code sign-in, the pure part: class codes, the pictures and words a student picks
from, and the names a class list shows (first name, at most three letters of the last).
No Django here but translation (``core.words``): a picture's or word's label is read in
the page's language, while the secret is its key, the same in every language — a sheet
printed in German and a sign-in page in English match by picture, and a word is shown in
the language the page is in.

A class code is ``LENGTH`` characters from ``ALPHABET``: capital consonants and digits a
child cannot mistake for one another (no 0/O, 1/I/L, 2/Z, 5/S, 8/B) and no vowels, so no
code spells a word. A student's secret is one of ``CHOICES`` (nine) of the class's kind —
pictures or words — and the same nine are shown to everyone, every time: a grid that
changed between tries would give the right answer away (it would be the one always there).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ampwork.core.words import Promise, pgettext_lazy

ALPHABET = "CDFGHJKMNPQRTVWXY34679"
LENGTH = 7
PICTURES_KIND = "pictures"
WORDS_KIND = "words"
KINDS = (PICTURES_KIND, WORDS_KIND)
DOMAIN = "class-code.invalid"  # a class-code account's address (RFC 6761: never delivered)


def generate_code(choose: Callable[[str], str] = secrets.choice) -> str:
    """A new class code, drawn with the operating system's randomness."""
    return "".join(choose(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a child typed, as codes are stored: capitals, without spaces or dashes."""
    return re.sub(r"[\s\-_.]+", "", (typed or "").upper())[:32]


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


@dataclass(frozen=True)
class Choice:
    key: str  # the secret (stored hashed); the same in every language
    label: str | Promise  # what the student reads: in the page's language
    svg: str = ""  # pictures only: an inline SVG drawing (no assets, no fonts needed)


def _svg(body: str) -> str:
    return (
        '<svg viewBox="0 0 100 100" width="72" height="72" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


PICTURES: tuple[Choice, ...] = (
    Choice(
        "sun",
        pgettext_lazy("class-code picture", "sun"),
        _svg(
            '<g stroke="#d97706" stroke-width="7" stroke-linecap="round">'
            '<line x1="50" y1="6" x2="50" y2="20"/><line x1="50" y1="80" x2="50" y2="94"/>'
            '<line x1="6" y1="50" x2="20" y2="50"/><line x1="80" y1="50" x2="94" y2="50"/>'
            '<line x1="19" y1="19" x2="29" y2="29"/><line x1="71" y1="71" x2="81" y2="81"/>'
            '<line x1="19" y1="81" x2="29" y2="71"/><line x1="71" y1="29" x2="81" y2="19"/></g>'
            '<circle cx="50" cy="50" r="22" fill="#fbbf24" stroke="#d97706" stroke-width="4"/>'
        ),
    ),
    Choice(
        "star",
        pgettext_lazy("class-code picture", "star"),
        _svg(
            '<polygon points="50,6 61,38 95,38 67,58 78,92 50,71 22,92 33,58 5,38 39,38" '
            'fill="#facc15" stroke="#a16207" stroke-width="4" stroke-linejoin="round"/>'
        ),
    ),
    Choice(
        "heart",
        pgettext_lazy("class-code picture", "heart"),
        _svg(
            '<path d="M50 90 L12 52 A21 21 0 0 1 50 22 A21 21 0 0 1 88 52 Z" '
            'fill="#ef4444" stroke="#991b1b" stroke-width="4" stroke-linejoin="round"/>'
        ),
    ),
    Choice(
        "moon",
        pgettext_lazy("class-code picture", "moon"),
        _svg(
            '<path d="M62 8 A42 42 0 1 0 92 70 A34 34 0 1 1 62 8 Z" '
            'fill="#c7d2fe" stroke="#3730a3" stroke-width="4" stroke-linejoin="round"/>'
        ),
    ),
    Choice(
        "tree",
        pgettext_lazy("class-code picture", "tree"),
        _svg(
            '<rect x="42" y="66" width="16" height="28" fill="#92400e"/>'
            '<polygon points="50,6 88,70 12,70" fill="#22c55e" stroke="#166534" '
            'stroke-width="4" stroke-linejoin="round"/>'
        ),
    ),
    Choice(
        "fish",
        pgettext_lazy("class-code picture", "fish"),
        _svg(
            '<polygon points="70,50 94,28 94,72" fill="#38bdf8" stroke="#075985" '
            'stroke-width="4" stroke-linejoin="round"/>'
            '<ellipse cx="42" cy="50" rx="34" ry="22" fill="#38bdf8" stroke="#075985" '
            'stroke-width="4"/><circle cx="26" cy="44" r="5" fill="#0c4a6e"/>'
        ),
    ),
    Choice(
        "house",
        pgettext_lazy("class-code picture", "house"),
        _svg(
            '<rect x="20" y="46" width="60" height="46" fill="#fca5a5" stroke="#7f1d1d" '
            'stroke-width="4"/><rect x="42" y="64" width="16" height="28" fill="#7f1d1d"/>'
            '<polygon points="50,8 94,48 6,48" fill="#b91c1c" stroke="#7f1d1d" '
            'stroke-width="4" stroke-linejoin="round"/>'
        ),
    ),
    Choice(
        "flower",
        pgettext_lazy("class-code picture", "flower"),
        _svg(
            '<line x1="50" y1="56" x2="50" y2="96" stroke="#15803d" stroke-width="6"/>'
            '<g fill="#f472b6" stroke="#9d174d" stroke-width="3">'
            '<circle cx="50" cy="18" r="14"/><circle cx="74" cy="36" r="14"/>'
            '<circle cx="65" cy="62" r="14"/><circle cx="35" cy="62" r="14"/>'
            '<circle cx="26" cy="36" r="14"/></g>'
            '<circle cx="50" cy="42" r="11" fill="#facc15" stroke="#a16207" stroke-width="3"/>'
        ),
    ),
    Choice(
        "boat",
        pgettext_lazy("class-code picture", "boat"),
        _svg(
            '<line x1="50" y1="8" x2="50" y2="66" stroke="#374151" stroke-width="5"/>'
            '<polygon points="54,12 88,60 54,60" fill="#f8fafc" stroke="#374151" '
            'stroke-width="4" stroke-linejoin="round"/>'
            '<polygon points="8,68 92,68 78,90 22,90" fill="#2563eb" stroke="#1e3a8a" '
            'stroke-width="4" stroke-linejoin="round"/>'
        ),
    ),
)

WORDS: tuple[Choice, ...] = (
    Choice("apple", pgettext_lazy("class-code word", "apple")),
    Choice("tiger", pgettext_lazy("class-code word", "tiger")),
    Choice("rocket", pgettext_lazy("class-code word", "rocket")),
    Choice("banana", pgettext_lazy("class-code word", "banana")),
    Choice("dragon", pgettext_lazy("class-code word", "dragon")),
    Choice("pencil", pgettext_lazy("class-code word", "pencil")),
    Choice("river", pgettext_lazy("class-code word", "river")),
    Choice("cloud", pgettext_lazy("class-code word", "cloud")),
    Choice("robot", pgettext_lazy("class-code word", "robot")),
)
CHOICES = {PICTURES_KIND: PICTURES, WORDS_KIND: WORDS}


def choices(kind: str) -> tuple[Choice, ...]:
    """The nine things a student of a class of this kind picks from, always in this order."""
    return CHOICES[kind]


def choice(kind: str, key: str) -> Choice | None:
    return next((c for c in CHOICES.get(kind, ()) if c.key == key), None)


def draw_secret(kind: str, choose: Callable[[Sequence[Choice]], Choice] = secrets.choice) -> str:
    """A new secret for one student: one of the kind's choices, drawn at random."""
    return choose(CHOICES[kind]).key


def secret_text(kind: str, key: str) -> str:
    """What is hashed: the kind and the key (a picture and a word never compare equal)."""
    return f"{kind}:{key}"


SURNAME_LETTERS = 3  # a class list never shows more of a surname than this


def short_names(people: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Names a class list shows: the first name and the initial of the last ("Ada L."),
    never a middle name. Two who would read the same get more letters of the last name,
    up to ``SURNAME_LETTERS`` ("Ada Lo.", "Ada Lu."); those still the same are numbered
    ("Ada Lov.", "Ada Lov. (2)"). A surname no longer than the letters shown is shown
    whole ("Dan Day")."""
    parts = {pk: " ".join((name or "").split()).split(" ") for pk, name in people}

    def label(pk: int, letters: int) -> str:
        words = parts[pk]
        if len(words) < 2 or not words[0]:
            return words[0] or "?"
        last = words[-1]
        return f"{words[0]} {last[:letters]}." if letters < len(last) else f"{words[0]} {last}"

    letters = dict.fromkeys(parts, 1)
    for _ in range(SURNAME_LETTERS):
        labels = {pk: label(pk, letters[pk]) for pk in parts}
        seen: dict[str, list[int]] = {}
        for pk, text in labels.items():
            seen.setdefault(text.casefold(), []).append(pk)
        grown = False
        for group in (g for g in seen.values() if len(g) > 1):
            for pk in group:
                if letters[pk] < SURNAME_LETTERS and label(pk, letters[pk] + 1) != labels[pk]:
                    letters[pk] += 1
                    grown = True
        if not grown:
            break
    labels = {pk: label(pk, letters[pk]) for pk in parts}
    counts: dict[str, int] = {}
    for pk in sorted(parts):
        text = labels[pk].casefold()
        counts[text] = counts.get(text, 0) + 1
        if counts[text] > 1:
            labels[pk] = f"{labels[pk]} ({counts[text]})"
    return labels
