"""Skills, a person's skill history, growth areas and the team's skills matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, QuerySet

from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.core.permissions import Actor

from ..models import (
    GrowthArea,
    Skill,
    SkillRating,
)


@dataclass
class SkillHistory:
    skill: Skill
    own: list[tuple[dt.date, int]]
    managers: list[tuple[dt.date, int]]

    @property
    def latest_own(self) -> int | None:
        return self.own[-1][1] if self.own else None

    @property
    def latest_managers(self) -> int | None:
        return self.managers[-1][1] if self.managers else None


def skills(org: Organisation) -> QuerySet[Skill]:
    return Skill.objects.filter(organisation=org)


def get_skill(org: Organisation, pk: int) -> Skill:
    skill = Skill.objects.filter(organisation=org, pk=pk).first()
    if skill is None:
        raise NotFound("no such skill")
    return skill


def skill_names(org: Organisation) -> dict[int, str]:
    """For other apps: the organisation's skills, id to name, by name. One query."""
    return dict(Skill.objects.filter(organisation=org).order_by("name").values_list("pk", "name"))


def skill_histories(org: Organisation, person: Person) -> list[SkillHistory]:
    catalogue = list(skills(org))
    by_skill = {s.pk: SkillHistory(s, [], []) for s in catalogue}
    for skill_id, day, level, by_self in (
        SkillRating.objects.filter(person=person)
        .annotate(own=ExpressionWrapper(SkillRating.OWN, output_field=BooleanField()))
        .values_list("skill_id", "date", "level", "own")
    ):
        history = by_skill[skill_id]
        (history.own if by_self else history.managers).append((day, level))
    return [h for h in by_skill.values() if h.own or h.managers]


def growth_areas(person: Person) -> QuerySet[GrowthArea]:
    return GrowthArea.objects.filter(person=person).select_related("skill", "objective")


@dataclass
class Matrix:
    team: Team
    skills: list[Skill]
    people: list[Person]
    # (person, skill) -> (own latest, manager's latest)
    cells: dict[tuple[int, int], tuple[int | None, int | None]]
    growing: dict[tuple[int, int], int]  # (person, skill) -> target level

    @property
    def rows(self) -> list[tuple[Person, list[tuple[Skill, int | None, int | None, int | None]]]]:
        """Per person, per skill: own level, manager's level, target level if growing."""
        return [
            (
                p,
                [
                    (s, *self.cells.get((p.pk, s.pk), (None, None)), self.growing.get((p.pk, s.pk)))
                    for s in self.skills
                ],
            )
            for p in self.people
        ]


def skills_matrix(actor: Actor, team: Team) -> Matrix:
    """People of a team × the organisation's skills: each person's latest own rating and
    their manager's latest, and the skills they are growing. Four queries."""
    people = [
        m.person
        for m in TeamMembership.objects.filter(team=team, person__active=True)
        .select_related("person")
        .order_by("person__name", "person_id")
    ]
    ids = [p.pk for p in people]
    catalogue = list(skills(actor.organisation))
    own: dict[tuple[int, int], int] = {}
    theirs: dict[tuple[int, int], int] = {}
    for pk, skill_id, level, by_self in (
        SkillRating.objects.filter(person_id__in=ids)
        .order_by("date", "id")
        .annotate(own=ExpressionWrapper(SkillRating.OWN, output_field=BooleanField()))
        .values_list("person_id", "skill_id", "level", "own")
    ):
        (own if by_self else theirs)[(pk, skill_id)] = level
    cells = {key: (own.get(key), theirs.get(key)) for key in set(own) | set(theirs)}
    growing = dict(
        ((pk, skill_id), target)
        for pk, skill_id, target in GrowthArea.objects.filter(person_id__in=ids).values_list(
            "person_id", "skill_id", "target_level"
        )
    )
    return Matrix(team, catalogue, people, cells, growing)


def skill_count(org: Organisation) -> int:
    """How many skills the organisation has defined. One query."""
    return Skill.objects.filter(organisation=org).count()
