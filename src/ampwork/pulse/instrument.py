"""The AMP Pulse: ampwork's own items, written for ampwork (no licensed items are copied).

Modelled on the structure of published instruments — a set of items per need, some
reverse-keyed — and therefore checked for reliability on each organisation's own data
(Cronbach's α per subscale, see scoring.py). A school wording of every item is given.
Versioned: a round keeps the version it was opened with.

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


def items_for(school: bool) -> tuple[Item, ...]:
    return tuple(i for i in ITEMS if not (school and i.company_only))


def text_of(item: Item, school: bool) -> str:
    return item.school if school and item.school else item.text


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
