"""Attacks through references to private objectives (issue 14, item 6).

A record that points at an objective or key result (recognition, an impact story, an
incentive, a growth area, an aligned objective, a self-directed project) must not let its
writer reach an objective they may not see: pointing at a private one answers exactly as
pointing at one that does not exist, and no page or API shows its title.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core.models import Organisation, Person, Role, TeamMembership
from ampwork.mastery.models import Recognition, Skill
from ampwork.okrs.models import Objective
from ampwork.purpose.models import ImpactStory

from ..factories import (
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
)

Headers = Callable[[Person], dict[str, str]]
SECRET = "Confidential reorg of the Berlin office"
MISSING = 987_654_321


@pytest.fixture
def secret(org: Organisation, make_person: Callable[..., Person]) -> dict[str, Any]:
    owner = make_person(org, name="Olive Owner")
    cycle = CycleFactory(organisation=org)
    private = ObjectiveFactory(
        cycle=cycle, owner_person=owner, title=SECRET, visibility=Objective.Visibility.PRIVATE
    )
    kr = KeyResultFactory(objective=private, title="Secret key result: close the office")
    shared = ObjectiveFactory(cycle=cycle, owner_person=owner, title="Ship the new onboarding")
    return {"owner": owner, "cycle": cycle, "private": private, "kr": kr, "shared": shared}


def _same_answer(
    client: Client,
    url: str,
    body: Callable[[int], dict[str, Any]],
    headers: dict[str, str],
    hidden: int,
) -> Any:
    """POST once with the hidden id and once with an id that exists nowhere: the answers
    must be identical but for the id itself."""
    seen = client.post(url, body(hidden), content_type="application/json", **headers)
    none = client.post(url, body(MISSING), content_type="application/json", **headers)
    assert seen.status_code == none.status_code
    assert seen.status_code in (404, 422), seen.content
    text = seen.content.decode()
    # refused for the reference, not for something else in the body
    assert "objective" in text or "key result" in text or "key_result" in text, text
    assert text.replace(str(hidden), "ID") == none.content.decode().replace(str(MISSING), "ID")
    assert SECRET not in text
    assert "Secret key result" not in text
    return seen


def test_recognition_cannot_point_at_a_private_objective(
    client: Client, secret: dict[str, Any], make_person: Callable[..., Person], bearer: Headers
) -> None:
    org = secret["owner"].organisation
    member = make_person(org, name="Mo Member")
    friend = make_person(org, name="Fay Friend")
    headers = bearer(member)
    url = "/api/v1/recognition"
    base = {"recipient_ids": [friend.pk], "body": "Thank you for the help"}
    _same_answer(client, url, lambda i: {**base, "objective_id": i}, headers, secret["private"].pk)
    _same_answer(client, url, lambda i: {**base, "key_result_id": i}, headers, secret["kr"].pk)
    assert not Recognition.objects.exists()
    # a shared objective is fine, and the feed shows it
    shared = client.post(
        url,
        {**base, "objective_id": secret["shared"].pk},
        content_type="application/json",
        **headers,
    )
    assert shared.status_code == 201
    client.force_login(member.user)  # type: ignore[arg-type]
    assert "Ship the new onboarding" in client.get("/mastery/recognition/").content.decode()


def test_the_feed_never_shows_an_objective_that_became_private(
    client: Client, secret: dict[str, Any], make_person: Callable[..., Person], bearer: Headers
) -> None:
    """Defence in depth: a post made while the objective was shared, read after it became
    private, shows neither its title nor its id to those who may not see it."""
    org = secret["owner"].organisation
    member = make_person(org, name="Mo Member")
    shared = secret["shared"]
    post = Recognition.objects.create(
        organisation=org, author=secret["owner"], body="Well done", objective=shared
    )
    post.recipients.set([member])
    story = ImpactStory.objects.create(
        organisation=org, title="A customer's story", helped="A customer", what_changed="..."
    )
    story.objectives.set([shared])
    Objective.objects.filter(pk=shared.pk).update(visibility=Objective.Visibility.PRIVATE)
    client.force_login(member.user)  # type: ignore[arg-type]
    for url in ("/mastery/recognition/", "/purpose/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Ship the new onboarding" not in page.content.decode(), url
    headers = bearer(member)
    (item,) = client.get("/api/v1/recognition", **headers).json()["items"]
    assert item["objective_id"] is None
    (item,) = client.get("/api/v1/impact-stories", **headers).json()["items"]
    assert item["objective_ids"] == []
    # its owner still sees it
    client.force_login(secret["owner"].user)  # type: ignore[arg-type]
    assert "Ship the new onboarding" in client.get("/mastery/recognition/").content.decode()


def test_an_impact_story_cannot_point_at_a_private_objective(
    client: Client, secret: dict[str, Any], make_person: Callable[..., Person], bearer: Headers
) -> None:
    member = make_person(secret["owner"].organisation, name="Mo Member")
    headers = bearer(member)
    base = {"title": "A story", "helped": "a customer", "what_changed": "they could work again"}
    url = "/api/v1/impact-stories"
    _same_answer(
        client, url, lambda i: {**base, "objective_ids": [i]}, headers, secret["private"].pk
    )
    _same_answer(client, url, lambda i: {**base, "key_result_ids": [i]}, headers, secret["kr"].pk)
    assert not ImpactStory.objects.exists()


def test_people_ops_cannot_tie_an_incentive_to_a_private_key_result(
    client: Client,
    secret: dict[str, Any],
    make_person: Callable[..., Person],
    bearer: Headers,
    admin: Person,
) -> None:
    ops = make_person(secret["owner"].organisation, Role.PEOPLE_OPS)
    base = {"what": "Bonus", "outcome": "close it", "style": "if_then"}
    url = "/api/v1/incentives"
    _same_answer(client, url, lambda i: {**base, "key_result_id": i}, bearer(ops), secret["kr"].pk)
    _same_answer(
        client, url, lambda i: {**base, "objective_id": i}, bearer(ops), secret["private"].pk
    )
    # an admin, who may see it, may
    answer = client.post(
        url,
        {**base, "key_result_id": secret["kr"].pk},
        content_type="application/json",
        **bearer(admin),
    )
    assert answer.status_code == 201, answer.content
    # what people ops then read about it names neither the objective nor its key result
    (item,) = client.get(url, **bearer(ops)).json()
    assert item["key_result_id"] is None
    assert item["objective_id"] is None
    client.force_login(ops.user)  # type: ignore[arg-type]
    for page in ("/advisor/incentives/", "/advisor/", "/"):
        shown = client.get(page)
        assert shown.status_code == 200, page
        text = shown.content.decode()
        assert SECRET not in text, page
        assert "Secret key result" not in text, page
    assert "Bonus" in client.get("/advisor/incentives/").content.decode()
    # the admin, who may see it, still does
    (item,) = client.get(url, **bearer(admin)).json()
    assert item["key_result_id"] == secret["kr"].pk


def test_a_team_lead_cannot_tie_a_growth_area_to_a_members_private_objective(
    client: Client, secret: dict[str, Any], make_person: Callable[..., Person], bearer: Headers
) -> None:
    """A lead coaches the team's members (may rate them) but does not see their private
    objectives, which only the reporting line sees."""
    owner = secret["owner"]
    org = owner.organisation
    lead = make_person(org, Role.MANAGER, name="Lee Lead")
    team = TeamFactory(organisation=org)
    MembershipFactory(team=team, person=lead, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=team, person=owner)
    skill = Skill.objects.create(organisation=org, name="Writing", levels=["a", "b", "c", "d", "e"])
    url = f"/api/v1/skills/{skill.pk}/growth-areas"
    base = {"person_id": owner.pk, "target_level": 3}
    _same_answer(
        client, url, lambda i: {**base, "objective_id": i}, bearer(lead), secret["private"].pk
    )


def test_objectives_cannot_be_aligned_under_a_private_one(
    client: Client, secret: dict[str, Any], make_person: Callable[..., Person], bearer: Headers
) -> None:
    member = make_person(secret["owner"].organisation, name="Mo Member")
    base = {"cycle_id": secret["cycle"].pk, "title": "My own objective"}
    _same_answer(
        client,
        "/api/v1/objectives",
        lambda i: {**base, "parent_id": i},
        bearer(member),
        secret["private"].pk,
    )
    assert not Objective.objects.filter(title="My own objective").exists()


def test_a_self_directed_project_cannot_serve_a_private_objective(
    client: Client, secret: dict[str, Any], make_person: Callable[..., Person], bearer: Headers
) -> None:
    member = make_person(secret["owner"].organisation, name="Mo Member")
    _same_answer(
        client,
        "/api/v1/self-directed-projects",
        lambda i: {"title": "Side project", "objective_id": i},
        bearer(member),
        secret["private"].pk,
    )
