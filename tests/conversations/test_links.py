"""Links from a talking point to a key result, a weekly review, a 360 request or a skill:
only to what both people of the 1:1 may open, shown to each reader as they may see it, and
carried over with the point. The attacks: linking something the other person may not read
to slip its title onto the shared agenda, and reading a title that became private since."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.conversations import links, selectors, services
from ampwork.conversations.models import (
    FeedbackAnswer,
    FeedbackAsked,
    FeedbackRequest360,
    TalkingPoint,
)
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.mastery.models import Review, Skill
from ampwork.okrs.models import KeyResult, Objective

from ..factories import CycleFactory, KeyResultFactory, ObjectiveFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _kr(person: Person, title: str, *, private: bool = False) -> KeyResult:
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=person.organisation,
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=60),
    )
    objective = ObjectiveFactory(
        cycle=cycle,
        owner_person=person,
        title=f"Objective of {title}",
        visibility=Objective.Visibility.PRIVATE if private else Objective.Visibility.ORGANISATION,
    )
    kr: KeyResult = KeyResultFactory(objective=objective, owner=person, title=title)
    return kr


def _review(person: Person) -> Review:
    today = timezone.localdate()
    return Review.objects.create(
        organisation=person.organisation,
        person=person,
        week=today - dt.timedelta(days=today.weekday()),
        wins="a win",
    )


def _request(receiver: Person, answerer: Person, *, shared: bool) -> FeedbackRequest360:
    request = FeedbackRequest360.objects.create(
        organisation=receiver.organisation,
        receiver=receiver,
        requested_by=receiver,
        due=timezone.localdate() + dt.timedelta(days=7),
    )
    FeedbackAsked.objects.create(
        organisation=receiver.organisation, request=request, person=answerer, answered=True
    )
    FeedbackAnswer.objects.create(
        organisation=receiver.organisation,
        request=request,
        author=answerer,
        question="strengths",
        text="Clear writing",
        shared=shared,
    )
    return request


def _mentoring(pair: dict[str, Any], actor_of: Callable[[Person], Actor]) -> Any:
    """A mentor 1:1 between the report and a colleague (no reporting line)."""
    return services.start(
        actor=actor_of(pair["report"]), with_id=pair["colleague"].pk, relationship="mentor"
    )


def test_a_linked_key_result_shows_to_both_and_carries_over(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    report, lead = pair["report"], pair["lead"]
    kr = _kr(report, "p95 under 200 ms")
    point = services.add_point(
        actor=actor_of(lead), meeting=pair["meeting"], text="Latency", link=("key_result", kr.pk)
    )
    for who in (report, lead):
        (row,) = selectors.point_rows(actor_of(who), [point])
        assert row.link is not None
        assert row.link.label == "p95 under 200 ms"
        assert row.link.url == f"/okrs/objectives/{kr.objective_id}/#kr-h-{kr.pk}"
        assert not row.gone
    following = services.hold(actor=actor_of(lead), meeting=pair["meeting"])
    (carried,) = selectors.points_of(following)
    assert (carried.link_kind, carried.link_id) == ("key_result", kr.pk)


def test_nothing_only_one_of_the_two_may_open_can_be_linked(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    report, colleague = pair["report"], pair["colleague"]
    mentoring = _mentoring(pair, actor_of)
    meeting = services.open_meeting_of(mentoring)
    me = actor_of(report)
    hidden = _kr(report, "Three interviews", private=True)  # the mentor may not see it
    review = _review(report)  # reviews: the person, their managers, admins
    request = _request(report, pair["ops"], shared=True)  # shared with the manager only
    for ref in [("key_result", hidden.pk), ("review", review.pk), ("feedback", request.pk)]:
        with pytest.raises(ValidationFailed) as refused:
            services.add_point(actor=me, meeting=meeting, text="About this", link=ref)
        assert [e.field for e in refused.value.errors] == ["link"]
        assert "Three interviews" not in str(refused.value.errors)
    # the same things with the manager, who may open each of them, are fine
    for ref in [("key_result", hidden.pk), ("review", review.pk), ("feedback", request.pk)]:
        services.add_point(actor=me, meeting=pair["meeting"], text=f"About {ref[0]}", link=ref)
    assert TalkingPoint.objects.filter(meeting=meeting).count() == 0
    assert colleague.pk == mentoring.lead_id


def test_unshared_360_feedback_cannot_be_linked_for_the_manager(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    unshared = _request(pair["report"], pair["ops"], shared=False)
    with pytest.raises(ValidationFailed):
        services.add_point(
            actor=actor_of(pair["report"]),
            meeting=pair["meeting"],
            text="My 360",
            link=("feedback", unshared.pk),
        )
    FeedbackAnswer.objects.filter(request=unshared).update(shared=True)
    point = services.add_point(
        actor=actor_of(pair["report"]),
        meeting=pair["meeting"],
        text="My 360",
        link=("feedback", unshared.pk),
    )
    (row,) = selectors.point_rows(actor_of(pair["lead"]), [point])
    assert row.link is not None
    assert row.link.url == f"/feedback-360/{unshared.pk}/"


def test_skills_of_another_organisation_and_unknown_things_are_refused(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    mine = Skill.objects.create(organisation=pair["report"].organisation, name="Writing")
    theirs = Skill.objects.create(organisation=OrganisationFactory(), name="Secret skill")
    me = actor_of(pair["report"])
    point = services.add_point(
        actor=me, meeting=pair["meeting"], text="Writing", link=("skill", mine.pk)
    )
    assert (point.link_kind, point.link_id) == ("skill", mine.pk)
    for ref in [("skill", theirs.pk), ("key_result", 10**9), ("review", 10**9)]:
        with pytest.raises(ValidationFailed):
            services.add_point(actor=me, meeting=pair["meeting"], text="x", link=ref)
    with pytest.raises(ValidationFailed):
        services.add_point(actor=me, meeting=pair["meeting"], text="x", link=("payslip", 1))


def test_a_title_that_became_private_is_not_shown(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor], client: Client
) -> None:
    """Linked while shared; then its owner (a third person) makes it private: the two see
    that a link is there, not its title."""
    owner = pair["colleague"]
    kr = _kr(owner, "Quiet plan")
    point = services.add_point(
        actor=actor_of(pair["report"]),
        meeting=pair["meeting"],
        text="Help Cleo",
        link=("key_result", kr.pk),
    )
    Objective.objects.filter(pk=kr.objective_id).update(visibility=Objective.Visibility.PRIVATE)
    (row,) = selectors.point_rows(actor_of(pair["report"]), [point])
    assert row.link is None
    assert row.gone
    assert pair["report"].user is not None
    client.force_login(pair["report"].user)
    html = client.get(reverse("conversations:meeting", args=[pair["meeting"].pk])).content.decode()
    assert "Help Cleo" in html
    assert "no longer open to you" in html
    assert "Quiet plan" not in html


def test_the_form_offers_only_what_both_may_open_and_refuses_the_rest(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor], client: Client
) -> None:
    report = pair["report"]
    shared = _kr(report, "Ship the beta")
    review = _review(report)
    Skill.objects.create(organisation=report.organisation, name="Writing")
    mentoring = _mentoring(pair, actor_of)
    today = timezone.localdate()
    manager_page = selectors.meeting_page(actor_of(report), pair["meeting"], today)
    offered = {(c.kind, c.label) for c in manager_page.link_choices}
    assert ("key_result", "Ship the beta") in offered
    assert ("review", f"{report.name}, week of {review.week:%-d %b %Y}") in offered
    assert ("skill", "Writing") in offered
    mentor_page = selectors.meeting_page(
        actor_of(report), services.open_meeting_of(mentoring), today
    )
    assert {c.kind for c in mentor_page.link_choices} == {"key_result", "skill"}
    assert report.user is not None
    client.force_login(report.user)
    url = reverse("conversations:add_point", args=[pair["meeting"].pk])
    page = client.get(reverse("conversations:meeting", args=[pair["meeting"].pk]))
    assert f'value="key_result:{shared.pk}"' in page.content.decode()
    ok = client.post(url, {"text": "Beta", "link": f"key_result:{shared.pk}"}, follow=True)
    assert ok.status_code == 200
    assert TalkingPoint.objects.get(text="Beta").link_id == shared.pk
    for bad in ("payslip:1", "key_result:abc", "key_result:-1", f"review:{10**9}"):
        before = TalkingPoint.objects.count()
        response = client.post(url, {"text": "Nope", "link": bad}, follow=True)
        assert response.status_code in (200, 400, 422), bad
        assert "link" in response.content.decode()
        assert TalkingPoint.objects.count() == before, bad


def test_a_stale_key_result_suggestion_carries_its_link(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    today = timezone.localdate()
    kr = _kr(pair["report"], "Docs rewritten")
    KeyResult.objects.filter(pk=kr.pk).update(clock=today - dt.timedelta(days=15))
    page = selectors.meeting_page(actor_of(pair["lead"]), pair["meeting"], today)
    (stale,) = [s for s in page.suggestions if "Docs rewritten" in s.text]
    assert stale.link == ("key_result", kr.pk)
    assert stale.link_value == f"key_result:{kr.pk}"


def test_parse() -> None:
    assert links.parse("") is None
    assert links.parse(" skill:7 ") == ("skill", 7)
    for bad in ("skill", "skill:", "skill:0", "skill:+7", "skill:1e3", "x:1", "skill:²"):
        with pytest.raises(ValidationFailed):
            links.parse(bad)


def test_links_through_the_api(
    pair: dict[str, Any], bearer: Callable[[Person], dict[str, str]], client: Client
) -> None:
    report, lead = pair["report"], pair["lead"]
    kr = _kr(report, "Onboarding under a week")
    url = f"/api/v1/one-on-ones/meetings/{pair['meeting'].pk}/talking-points"

    def post(body: Any, who: Person) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json", **bearer(who))

    made = post({"text": "Onboarding", "link": {"kind": "key_result", "id": kr.pk}}, report)
    assert made.status_code == 201, made.content
    assert made.json()["link"]["label"] == "Onboarding under a week"
    assert made.json()["link_unavailable"] is False
    read = client.get(f"/api/v1/one-on-ones/meetings/{pair['meeting'].pk}", **bearer(lead))
    (point,) = read.json()["talking_points"]
    assert point["link"]["kind"] == "key_result"
    before = TalkingPoint.objects.count()
    for body in (
        {"text": "x", "link": {"kind": "payslip", "id": 1}},
        {"text": "x", "link": {"kind": "skill", "id": 1, "extra": 1}},
        {"text": "x", "link": {"kind": "review", "id": 10**9}},
    ):
        refused = post(body, report)
        assert refused.status_code in (400, 422), body
        assert "link" in refused.content.decode()
    assert TalkingPoint.objects.count() == before


def test_admins_see_no_link_of_a_1on1(
    pair: dict[str, Any], org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    """The links live on the agenda, which is the two participants' only."""
    admin = make_person(org, Role.ADMIN)
    assert admin.user is not None
    client.force_login(admin.user)
    response = client.get(reverse("conversations:meeting", args=[pair["meeting"].pk]))
    assert response.status_code == 404
