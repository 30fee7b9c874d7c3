"""Consent for student pulses (the US PPRA's protected areas): the pure rules.

- :func:`parse_topics` reads a school's own sensitive topics, one a line:
  ``Bullying: bully, bullied, picked on`` (a name, then the words that reveal it).
- :func:`touched_topics` says which topics a pulse's question texts touch (a word or
  phrase of the topic, as whole words, in any case).
- :func:`decide` is the gate: which students a pulse that touches a protected area or a
  topic may ask, under the school's rule — or why it may not open.

No Django here but its translations: the gate's data comes in as plain values
(classroom.services).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ampwork.core.words import gettext as _
from ampwork.core.words import gettext_lazy, ngettext

CONSENT = "consent"  # written consent required before a student is invited
OPT_OUT = "opt_out"  # families told beforehand; a student opted out is not invited
RULES = {
    CONSENT: gettext_lazy(
        "Written consent required: only students whose guardian's consent is recorded are asked"
    ),
    OPT_OUT: gettext_lazy(
        "Opt-out offered: families see the questions beforehand; students opted out are not asked"
    ),
}
CONSENTED = "consented"
OPTED_OUT = "opted_out"

MAX_TOPICS = 50
MAX_LINE = 300


@dataclass(frozen=True)
class Topic:
    name: str
    words: tuple[str, ...]


def parse_topics(text: str) -> list[Topic]:
    """A school's topics from its list, one a line (``Name: word, phrase, …``; a line
    without a colon is a topic whose own name is its word). Raises ``ValueError`` naming
    the line for a line too long, a topic without words, or too many topics."""
    topics: list[Topic] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if len(line) > MAX_LINE:
            raise ValueError(
                _("line %(line)d: at most %(max)d characters") % {"line": number, "max": MAX_LINE}
            )
        name, colon, rest = line.partition(":")
        name = name.strip()
        words = tuple(_plain(w) for w in (rest if colon else name).split(","))
        words = tuple(w for w in words if w)
        if not name or not words:
            raise ValueError(
                _("line %(line)d: write a topic, a colon, then its words") % {"line": number}
            )
        topics.append(Topic(name, words))
    if len(topics) > MAX_TOPICS:
        raise ValueError(_("at most %(max)d topics") % {"max": MAX_TOPICS})
    return topics


def parse_topics_leniently(text: str) -> list[Topic]:
    """Every topic of a stored list, whatever today's limits (never fewer than stored)."""
    topics = []
    for raw in text.splitlines():
        name, colon, rest = raw.strip().partition(":")
        words = tuple(w for w in (_plain(w) for w in (rest if colon else name).split(",")) if w)
        if name.strip() and words:
            topics.append(Topic(name.strip(), words))
    return topics


def _plain(text: str) -> str:
    """Text compared as people read it: one Unicode form (NFKC: "é" typed either way, a
    non-breaking space as a space), no case, every run of spaces or line breaks one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _mentions(text: str, word: str) -> bool:
    pattern = r"\s+".join(re.escape(part) for part in word.split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", _plain(text)) is not None


def touched_topics(texts: Iterable[str], topics: Iterable[Topic]) -> list[str]:
    """The names of the topics any of the texts mention, in the list's order."""
    texts = list(texts)
    return [t.name for t in topics if any(_mentions(x, w) for x in texts for w in t.words)]


@dataclass(frozen=True)
class Decision:
    """The gate's answer: the students not to ask, or why the pulse may not open."""

    excluded: frozenset[int]
    refusal: str = ""


def decide(
    rule: str | None,
    students: Iterable[int],
    records: Mapping[int, str],
    *,
    shared_link: bool,
) -> Decision:
    """Which of ``students`` a sensitive pulse leaves out, under ``rule`` (None: the school
    has set no policy), given each student's record (``CONSENTED`` or ``OPTED_OUT``).

    - no rule: the pulse may not open;
    - ``CONSENT``: only students with consent are asked; with none, it may not open;
    - ``OPT_OUT``: students opted out are not asked;
    - a shared link cannot tell who answers, so it opens only when no student is left out.
    """
    students = sorted(set(students))
    if rule is None:
        return Decision(
            frozenset(students),
            _(
                "this pulse asks students about a protected area or one of the school's "
                "sensitive topics, and the school has no consent policy yet: a head teacher "
                "sets it under Consent for pulses first"
            ),
        )
    if rule == CONSENT:
        out = frozenset(s for s in students if records.get(s) != CONSENTED)
    else:
        out = frozenset(s for s in students if records.get(s) == OPTED_OUT)
    if shared_link and out:
        return Decision(
            out,
            (
                ngettext(
                    "%(count)d student of this class has no consent recorded, and a shared "
                    "link cannot tell who answers: record consent for every student, or make "
                    "the pulse with one link per student (invited)",
                    "%(count)d students of this class have no consent recorded, and a shared "
                    "link cannot tell who answers: record consent for every student, or make "
                    "the pulse with one link per student (invited)",
                    len(out),
                )
                if rule == CONSENT
                else ngettext(
                    "%(count)d student of this class has been opted out, and a shared "
                    "link cannot tell who answers: record consent for every student, or make "
                    "the pulse with one link per student (invited)",
                    "%(count)d students of this class have been opted out, and a shared "
                    "link cannot tell who answers: record consent for every student, or make "
                    "the pulse with one link per student (invited)",
                    len(out),
                )
            )
            % {"count": len(out)},
        )
    if students and len(out) == len(students) and rule == CONSENT:
        return Decision(
            out,
            _(
                "no student of this pulse has a guardian's consent recorded yet: record it "
                "under Consent and families first"
            ),
        )
    return Decision(out)
