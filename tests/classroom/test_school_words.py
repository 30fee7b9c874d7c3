"""A school's pages speak a school's words (issue 21): every page the demo school's head
teacher, teacher and student reach (tests/crawl.py's walk) is read, in English, for words
only a company uses — managers, colleagues, employees, incidents, bonuses, pay, direct
reports, "the team" where a school says "the class". Each one a school sees is either a
school string missing (make it a separate ``context "school"`` string beside the
company's) or one of the few legitimate uses in ``ALLOWED`` below, each with its reason.

The per-app tests (tests/*/test_school_words.py) check particular sentences and their
translations; this one finds what they do not know about.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.crawl import walk
from tests.pages import without_tokens

pytestmark = pytest.mark.usefixtures("demo")

SCHOOL_ROLES = ("head", "teacher", "student")

# words (and team phrases) only a company's pages should say
COMPANY_WORDS = re.compile(
    r"\b(?:managers?|colleagues?|employees?|compan(?:y|ies)|incidents?|salar(?:y|ies)|"
    r"bonus(?:es)?|payroll|pay|sandbagging|(?:direct\s+)?reports?|"
    r"(?:the|this|each|per|your|a)\s+team\b|teams?['’]s?(?!\w)|team\s+(?:pages?|grid)\b)(?!\w)",
    re.IGNORECASE,
)

# (where: the page's path starts with it, what: words near the match) — the uses a school
# may see, each with its reason
ALLOWED: tuple[tuple[str, str], ...] = (
    # the methods reference explains every number for companies and schools alike
    ("/methods/", ""),
    # the people and teams CSVs have the same columns everywhere (docs/imports.md: a school
    # imports a roster); the page documents each column as it is named
    ("/import/", ""),
    # the webhook events are named for the integrator, the same in every organisation
    ("/settings/webhooks/", "recognition.given"),
)

TAG = re.compile(r"<[^>]+>")
# words people read in attributes: a placeholder, a label read aloud, a tooltip
ATTRIBUTE = re.compile(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"')
SKIPPED = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def words_of(page: str) -> str:
    """A page's ``<main>`` as people read it: its text and its attributes' words, one space
    between words."""
    found = re.search(r"<main.*?</main>", page, re.S)
    main = SKIPPED.sub(" ", found.group() if found else page)
    said = " ".join([TAG.sub(" ", main), *ATTRIBUTE.findall(main)])
    return re.sub(r"\s+", " ", html.unescape(without_tokens(said)))


def company_words(path: str, text: str) -> list[str]:
    """Each company word in ``text`` not allowed on ``path``, with the words around it."""
    out = []
    for match in COMPANY_WORDS.finditer(text):
        near = text[max(0, match.start() - 60) : match.end() + 60]
        if any(path.startswith(where) and what in near for where, what in ALLOWED):
            continue
        out.append(f"{path}: …{near}…")
    return out


def test_company_words_are_found() -> None:
    text = words_of(
        '<main><h1>Reports</h1><p>Ask your manager</p><input placeholder="e.g. the incident">'
        "<p>levels come from the team&#x27;s defaults; Team — who; Slack and Teams</p></main>"
    )
    # the attributes' words come after the text
    assert [m.group() for m in COMPANY_WORDS.finditer(text)] == [
        "Reports",
        "manager",
        "the team",
        "incident",
    ]
    assert company_words("/methods/", text) == []
    assert len(company_words("/people/", text)) == 4
    assert company_words("/", "staff, students, teachers, the class's page, reporting") == []
    found = [m.group() for m in COMPANY_WORDS.finditer("Your teams' channels; Maya’s team’s page")]
    assert found == ["teams'", "team’s"]


@pytest.mark.parametrize("role", SCHOOL_ROLES)
def test_a_schools_pages_say_no_company_word(role: str, db: Any) -> None:
    result = walk(role)
    assert len(result.pages) > 10  # the walk got past the home page
    found = [
        said
        for answer in result.answers.values()
        if answer.html is not None and answer.status == 200
        for said in company_words(answer.final.split("?")[0], words_of(answer.html))
    ]
    assert found == [], f"{role}:\n" + "\n".join(sorted(set(found)))
