"""The AMP Pulse: ampwork's own items, written for ampwork (no licensed items are copied).

Modelled on the structure of published instruments — a set of items per need, some
reverse-keyed — and therefore checked for reliability on each organisation's own data
(Cronbach's α per subscale, see scoring.py). A school wording of every item is given, and
one per age band (:data:`BANDS`): the same construct in plainer or older words, the same
code, scale and keying, so answers in every wording are scored together. The band wordings
are adaptations, not yet validated (docs/methods.md, *Age bands*).
Versioned: a round keeps the version it was opened with.

This module is the English source. German, French and Spanish are versioned instrument
translations in :mod:`translations` ("amp-pulse-1/de-1"), never gettext strings: every
wording of every item, the same codes and keying; they are *translated, not yet validated*
(docs/methods.md, *Translations*).

Each item names the protected areas of the US Protection of Pupil Rights Amendment (PPRA,
20 U.S.C. § 1232h(b)) it asks about, in ``areas``; a school's consent policy applies to a
student pulse that touches one (classroom's consent gate). No AMP item touches one
(docs/methods.md, *Protected areas*); an own question carries the areas its author ticks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

VERSION = "amp-pulse-1"


@dataclass(frozen=True)
class Item:
    code: str
    subscale: str
    text: str
    school: str
    reverse: bool = False
    company_only: bool = False
    areas: frozenset[str] = frozenset()


# The eight protected areas of 20 U.S.C. § 1232h(b), by code.
AREAS = {
    "political": "Political affiliations or beliefs of the student or the student's parent",
    "mental": "Mental or psychological problems of the student or the student's family",
    "sex": "Sex behaviour or attitudes",
    "illegal": "Illegal, anti-social, self-incriminating or demeaning behaviour",
    "family_appraisal": "Critical appraisals of others with whom the student has close "
    "family relationships",
    "privileged": "Legally recognised privileged relationships (lawyers, doctors, ministers)",
    "religion": "Religious practices, affiliations or beliefs of the student or parent",
    "income": "Income (other than what a programme's eligibility requires)",
}

SUBSCALES = {
    "autonomy_task": "Autonomy: what I work on",
    "autonomy_technique": "Autonomy: how I work",
    "autonomy_time": "Autonomy: when I work",
    "autonomy_team": "Autonomy: who I work with",
    "mastery": "Mastery",
    "purpose": "Purpose",
    "relatedness": "Relatedness",
    "fairness": "Fair pay",
}

ITEMS: tuple[Item, ...] = (
    Item(
        "task1",
        "autonomy_task",
        "I have a real say in which problems I take on.",
        "I get to choose some of the topics or projects I work on.",
    ),
    Item(
        "task2",
        "autonomy_task",
        "What I work on is mostly decided for me without asking me.",
        "Teachers decide everything I work on without asking me.",
        reverse=True,
    ),
    Item(
        "tech1",
        "autonomy_technique",
        "I can choose how I go about my work.",
        "I can choose how I do my assignments.",
    ),
    Item(
        "tech2",
        "autonomy_technique",
        "I am told exactly how to do my work, step by step.",
        "I am told exactly how to do my work, step by step.",
        reverse=True,
    ),
    Item(
        "time1",
        "autonomy_time",
        "I can arrange when I do my work around what suits me.",
        "I can decide the order and pace of my work in class.",
    ),
    Item(
        "time2",
        "autonomy_time",
        "My working hours leave me no room to organise my day.",
        "I never get to plan when I do my work.",
        reverse=True,
    ),
    Item(
        "team1",
        "autonomy_team",
        "I have a say in who I work with.",
        "I have a say in who I work with on projects.",
    ),
    Item(
        "team2",
        "autonomy_team",
        "I can reach out to whoever I need to get my work done.",
        "I can ask other students for help when I need it.",
    ),
    Item(
        "mast1",
        "mastery",
        "I am getting better at things that matter in my work.",
        "I am getting better at things that matter to me at school.",
    ),
    Item(
        "mast2",
        "mastery",
        "My work stretches me without overwhelming me.",
        "My schoolwork is challenging but not too hard.",
    ),
    Item(
        "mast3",
        "mastery",
        "I rarely learn anything new in my work.",
        "I rarely learn anything new at school.",
        reverse=True,
    ),
    Item(
        "purp1",
        "purpose",
        "I understand how my work helps the people we serve.",
        "I understand why what we learn matters.",
    ),
    Item(
        "purp2",
        "purpose",
        "The work I do feels meaningful to me.",
        "What I do at school feels meaningful to me.",
    ),
    Item(
        "purp3",
        "purpose",
        "I often wonder what my work is for.",
        "I often wonder what school is for.",
        reverse=True,
    ),
    Item(
        "rel1",
        "relatedness",
        "I feel part of a team that has my back.",
        "I feel I belong in my class.",
    ),
    Item(
        "rel2",
        "relatedness",
        "I can be myself with the people I work with.",
        "I can be myself with my classmates.",
    ),
    Item(
        "fair1",
        "fairness",
        "I am paid fairly compared with others doing similar work.",
        "",
        company_only=True,
    ),
    Item(
        "fair2", "fairness", "I worry that my pay is unfair.", "", reverse=True, company_only=True
    ),
)

ENPS_QUESTION = "How likely is it that you would recommend working here to a friend? (0–10)"
ENPS_SCHOOL = "How likely is it that you would recommend this school to a friend? (0–10)"
COMMENT_QUESTION = "Anything else you want to say? (optional)"
# the 1–5 agreement scale's labels, part of the instrument (translations.py translates them)
SCALE = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither",
    4: "Agree",
    5: "Strongly agree",
}


# Age bands a class can be set to (classroom's class settings); each picks a wording.
BANDS = {"8-11": "Ages 8–11", "11-14": "Ages 11–14", "14-18": "Ages 14–18"}

# The wording of each school item per band; the 11–14 wording is the school wording above.
_YOUNG = {
    "task1": "I get to choose some of the things I work on.",
    "task2": "My teacher picks everything I work on without asking me.",
    "tech1": "I can choose how I do my work.",
    "tech2": "I am told exactly how to do every step of my work.",
    "time1": "I can choose what to do first and how fast to go in class.",
    "time2": "I never get to choose when I do my work.",
    "team1": "I get a say in who I work with.",
    "team2": "I can ask other children for help when I need it.",
    "mast1": "I am getting better at things I care about at school.",
    "mast2": "My work is hard enough to make me think, but not too hard.",
    "mast3": "I hardly ever learn something new at school.",
    "purp1": "I know why the things we learn are important.",
    "purp2": "What I do at school matters to me.",
    "purp3": "I often wonder why I have to go to school.",
    "rel1": "I feel like I belong in my class.",
    "rel2": "I can be myself with the other children in my class.",
}
_OLDER = {
    "task1": "I have a real say in which topics or projects I take on.",
    "task2": "What I study is decided for me without my views being asked.",
    "tech1": "I can choose my own approach to my assignments.",
    "tech2": "I am told exactly how to do my work, step by step.",
    "time1": "I can plan when and in what order I do my work.",
    "time2": "I have no room to organise my own study time.",
    "team1": "I have a say in who I work with.",
    "team2": "I can reach out to whoever I need to get my work done.",
    "mast1": "I am getting better at things that matter to me in my studies.",
    "mast2": "My work is challenging but manageable.",
    "mast3": "I rarely learn anything new at school.",
    "purp1": "I understand why what I learn matters beyond school.",
    "purp2": "The work I do at school feels meaningful to me.",
    "purp3": "I often wonder what school is for.",
    "rel1": "I feel part of a class that has my back.",
    "rel2": "I can be myself with the people in my class.",
}
WORDINGS: dict[str, dict[str, str]] = {"8-11": _YOUNG, "14-18": _OLDER}
ENPS_BANDS = {
    "8-11": "How much would you tell a friend to come to this school? "
    "(0 = not at all, 10 = very much)",
}


def clean_band(value: str) -> str:
    """An age band's code, checked against :data:`BANDS` ("" is none: the school wording)."""
    value = value.strip()
    if value and value not in BANDS:
        raise ValueError(f"not an age band: {value}")
    return value


def youngest(bands: Iterable[str | None]) -> str | None:
    """The youngest of the bands given (a pulse for several classes speaks to the youngest
    in the plainest words); None when none is set."""
    order = list(BANDS)
    given = [b for b in bands if b in BANDS]
    return min(given, key=order.index) if given else None


def items_for(school: bool) -> tuple[Item, ...]:
    return tuple(i for i in ITEMS if not (school and i.company_only))


def text_of(item: Item, school: bool, band: str | None = None) -> str:
    """An item's words: the company's, the school's, or — for a class with an age band —
    that band's (an own question keeps its author's words)."""
    if not school or not item.school:
        return item.text
    return WORDINGS.get(band or "", {}).get(item.code, item.school)


def wordings_of(item: Item) -> tuple[str, ...]:
    """Every wording a school's student may read of an item: the school's and each band's."""
    texts = [text_of(item, True, band) for band in (None, *BANDS)]
    return tuple(dict.fromkeys(texts))


def enps_wordings() -> tuple[str, ...]:
    """Every wording of the 0–10 question a school's student may read."""
    return tuple(dict.fromkeys([ENPS_SCHOOL, *ENPS_BANDS.values()]))


def enps_text(school: bool, band: str | None = None) -> str:
    """The 0–10 question, in the school's (and the band's) words."""
    if not school:
        return ENPS_QUESTION
    return ENPS_BANDS.get(band or "", ENPS_SCHOOL)


def clean_areas(codes: Iterable[str]) -> frozenset[str]:
    """The protected-area codes given, each checked against :data:`AREAS`."""
    given = frozenset(c.strip() for c in codes if c.strip())
    unknown = sorted(given - AREAS.keys())
    if unknown:
        raise ValueError(f"not a protected area: {', '.join(unknown)}")
    return given


def areas_of(items: Iterable[Item]) -> frozenset[str]:
    """Every protected area the items touch, together."""
    return frozenset().union(*(item.areas for item in items))
