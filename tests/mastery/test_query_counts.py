"""The team review page, the skills matrix, a person's progress and the lists run a
fixed number of queries whatever the team's size (pinned at two sizes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role, TeamMembership
from ampwork.mastery.models import Feedback, Recognition, Reply, Review, Skill, SkillRating
from ampwork.mastery.selectors import week_of
from ampwork.okrs.models import CheckIn
from tests.budgets import over_budget
from tests.factories import (
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    TeamFactory,
)


def build(org: Organisation, lead: Person, size: int) -> Any:
    team = TeamFactory(organisation=org)
    MembershipFactory(team=team, person=lead, role=TeamMembership.Role.LEAD)
    cycle = CycleFactory(organisation=org)
    skills = [
        Skill.objects.create(organisation=org, name=f"S{i}", levels=list("abcde")) for i in range(3)
    ]
    this = week_of(timezone.localdate())
    for i in range(size):
        person = PersonFactory(organisation=org, manager=lead)
        MembershipFactory(team=team, person=person)
        kr = KeyResultFactory(
            objective=ObjectiveFactory(cycle=cycle, owner_person=person), owner=person
        )
        for d in range(3):
            CheckIn.objects.create(
                organisation=org,
                key_result=kr,
                value=d,
                confidence=5,
                date=cycle.start + dt.timedelta(days=7 * d),
            )
        for w in range(6):
            review = Review.objects.create(
                organisation=org,
                person=person,
                week=this - dt.timedelta(weeks=w),
                wins="w",
                challenge=1 + (i + w) % 7,
                skill=1 + (i * w) % 7,
            )
            if w % 2:
                Reply.objects.create(organisation=org, review=review, author=lead, body="b")
        for skill in skills:
            SkillRating.objects.create(
                organisation=org, skill=skill, person=person, rater=person, level=2
            )
        post = Recognition.objects.create(organisation=org, author=lead, body="Now that")
        post.recipients.set([person])
        Feedback.objects.create(organisation=org, giver=lead, receiver=person, body="f")
    return team


TEAM_PAGES = {"/mastery/teams/{team}/": 13, "/mastery/teams/{team}/skills/": 10}
PERSON_PAGES = {
    "/mastery/": 25,
    "/mastery/people/{person}/": 29,
    "/mastery/recognition/": 7,
    "/mastery/feedback/": 13,
    "/api/v1/reviews": 8,
    "/api/v1/recognition": 8,
}


@pytest.mark.parametrize("size", [4, 40])
def test_team_pages_person_pages_and_lists(
    size: int, org: Organisation, make_person: Callable[..., Person]
) -> None:
    """Every page as the team's lead, each from the team as built (tests/budgets.py): the
    team is built once per size, not once per page. A team page has a row per member (and
    the skills matrix a header row)."""
    lead = make_person(org, Role.MANAGER)
    team = build(org, lead, size)
    person = TeamMembership.objects.filter(team=team).exclude(person=lead).first().person
    pages = {
        page.format(team=team.pk, person=person.pk): limit
        for page, limit in (TEAM_PAGES | PERSON_PAGES).items()
    }
    contents: dict[str, str] = {}
    over = over_budget(pages, lead, contents)
    assert not over, "\n".join(over)
    for page in TEAM_PAGES:
        rows = contents[page.format(team=team.pk)].count('scope="row"')
        assert rows == size + (1 if "skills" in page else 0), page
