"""Feedback (private to giver and receiver unless shared with the receiver's managers),
recognition (the whole organisation, never to oneself), skills and growth areas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.mastery import selectors, services
from ampwork.mastery.models import Feedback, Recognition, SkillRating
from tests.factories import CycleFactory, ObjectiveFactory

Make = Callable[[Person], Actor]
LEVELS = ["follows", "does", "leads", "improves", "shapes"]


def test_private_feedback_is_seen_by_giver_and_receiver_only(
    crew: dict[str, Any], actor_of: Make, web: Callable[[Person], Client]
) -> None:
    note = services.give_feedback(
        actor=actor_of(crew["bob"]), receiver_id=crew["ann"].pk, body="Clear incident notes."
    )
    for who in ("bob", "ann"):
        assert note in selectors.visible_feedback(actor_of(crew[who]))
        assert "Clear incident notes." in web(crew[who]).get("/mastery/feedback/").content.decode()
    for who in ("lead", "admin", "other"):  # admins included: private means private
        assert note not in selectors.visible_feedback(actor_of(crew[who]))
        assert (
            "Clear incident notes." not in web(crew[who]).get("/mastery/feedback/").content.decode()
        )
        assert (
            "Clear incident notes."
            not in web(crew[who]).get(f"/mastery/people/{crew['ann'].pk}/").content.decode()
        )


def test_shared_feedback_reaches_the_receivers_managers_too(
    crew: dict[str, Any], actor_of: Make
) -> None:
    note = services.give_feedback(
        actor=actor_of(crew["bob"]),
        receiver_id=crew["ann"].pk,
        body="Great pairing.",
        share_with_managers=True,
    )
    assert note in selectors.visible_feedback(actor_of(crew["lead"]))
    assert note not in selectors.visible_feedback(actor_of(crew["other"]))


def test_a_request_is_answered_once_and_only_by_the_person_asked(
    crew: dict[str, Any], actor_of: Make
) -> None:
    ann, bob = actor_of(crew["ann"]), actor_of(crew["bob"])
    ask = services.request_feedback(actor=ann, asked_id=crew["bob"].pk, about="my design doc")
    assert selectors.feedback_page(bob).asked_of_me == [ask]
    with pytest.raises(ValidationFailed) as caught:
        services.give_feedback(actor=actor_of(crew["other"]), request_id=ask.pk, body="hm")
    assert caught.value.errors[0].field == "request_id"
    answer = services.give_feedback(actor=bob, request_id=ask.pk, body="The trade-offs were clear.")
    assert answer.receiver == crew["ann"]
    assert answer.request == ask
    assert selectors.feedback_page(bob).asked_of_me == []
    with pytest.raises(ValidationFailed) as caught:
        services.request_feedback(actor=ann, asked_id=crew["ann"].pk, about="me")
    assert caught.value.errors[0].field == "asked_id"


def test_feedback_to_someone_of_another_organisation_is_refused(
    crew: dict[str, Any], actor_of: Make, other_org: Any, make_person: Any
) -> None:
    stranger = make_person(other_org)
    with pytest.raises(ValidationFailed) as caught:
        services.give_feedback(actor=actor_of(crew["ann"]), receiver_id=stranger.pk, body="hi")
    assert caught.value.errors[0].field == "receiver_id"
    assert not Feedback.objects.exists()


def test_recognition_is_public_after_the_fact_and_never_to_oneself(
    crew: dict[str, Any], actor_of: Make, web: Callable[[Person], Client]
) -> None:
    ann = actor_of(crew["ann"])
    post = services.recognise(
        actor=ann,
        recipient_ids=[crew["bob"].pk],
        body="Now that the deploys are boring — thank you",
    )
    page = web(crew["other"]).get("/mastery/recognition/").content.decode()
    assert "Now that the deploys are boring" in page
    assert post in selectors.recognition_feed(actor_of(crew["other"]), 10)
    for ids, field in (
        ([crew["ann"].pk], "recipient_ids"),
        ([], "recipient_ids"),
        ([10**9], "recipient_ids"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            services.recognise(actor=ann, recipient_ids=ids, body="thanks")
        assert caught.value.errors[0].field == field
    assert Recognition.objects.count() == 1
    titles = [e.kind for e in selectors.timeline(actor_of(crew["bob"]), crew["bob"])]
    assert "recognition" in titles


def test_skills_are_named_by_staff_and_rated_by_the_person_and_their_managers(
    crew: dict[str, Any], actor_of: Make
) -> None:
    with pytest.raises(NotAllowed):
        services.create_skill(actor=actor_of(crew["ann"]), name="Writing", levels=LEVELS)
    skill = services.create_skill(actor=actor_of(crew["admin"]), name="Writing", levels=LEVELS)
    with pytest.raises(ValidationFailed) as caught:
        services.create_skill(actor=actor_of(crew["admin"]), name="writing", levels=LEVELS)
    assert caught.value.errors[0].field == "name"
    with pytest.raises(ValidationFailed) as caught:
        services.create_skill(actor=actor_of(crew["admin"]), name="Maths", levels=LEVELS[:4])
    assert caught.value.errors[0].field == "levels"
    ann = crew["ann"]
    own = services.rate_skill(actor=actor_of(ann), skill=skill, person=ann, level=2)
    theirs = services.rate_skill(actor=actor_of(crew["lead"]), skill=skill, person=ann, level=3)
    assert own.by_self
    assert not theirs.by_self
    for who in ("bob", "other"):
        with pytest.raises(NotAllowed):
            services.rate_skill(actor=actor_of(crew[who]), skill=skill, person=ann, level=5)
    with pytest.raises(ValidationFailed) as caught:
        services.rate_skill(actor=actor_of(ann), skill=skill, person=ann, level=6)
    assert caught.value.errors[0].field == "level"
    history = selectors.skill_histories(ann.organisation, ann)[0]
    assert (history.latest_own, history.latest_managers) == (2, 3)
    assert SkillRating.objects.count() == 2


def test_a_growth_area_links_a_learning_objective_of_the_persons_own(
    crew: dict[str, Any], actor_of: Make
) -> None:
    skill = services.create_skill(actor=actor_of(crew["admin"]), name="Writing", levels=LEVELS)
    ann = crew["ann"]
    mine = ObjectiveFactory(cycle=CycleFactory(organisation=ann.organisation), owner_person=ann)
    theirs = ObjectiveFactory(cycle=mine.cycle, owner_person=crew["bob"])
    area = services.add_growth_area(
        actor=actor_of(ann), person=ann, skill=skill, target_level=4, objective_id=mine.pk
    )
    assert area.objective == mine
    with pytest.raises(ValidationFailed) as caught:
        services.add_growth_area(
            actor=actor_of(ann), person=ann, skill=skill, target_level=4, objective_id=theirs.pk
        )
    assert caught.value.errors[0].field == "objective_id"


def test_skills_and_feedback_over_the_api(
    crew: dict[str, Any], bearer: Callable[[Person], dict[str, str]], client: Client
) -> None:
    admin, ann, lead = (bearer(crew[w]) for w in ("admin", "ann", "lead"))

    def post(url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        return client.post(url, body, content_type="application/json", **headers)

    made = post("/api/v1/skills", {"name": "Writing", "levels": LEVELS}, admin)
    assert made.status_code == 201
    sid = made.json()["id"]
    assert post("/api/v1/skills", {"name": "X", "levels": LEVELS[:2]}, admin).status_code == 422
    assert post("/api/v1/skills", {"name": "Y", "levels": LEVELS}, ann).status_code == 403
    assert post(f"/api/v1/skills/{sid}/ratings", {"level": 3}, ann).status_code == 201
    assert (
        post(
            f"/api/v1/skills/{sid}/ratings", {"level": 4, "person_id": crew["ann"].pk}, lead
        ).status_code
        == 201
    )
    rated = client.get(f"/api/v1/skills/{sid}/ratings", **ann).json()
    assert [(r["level"], r["by_self"]) for r in rated] == [(3, True), (4, False)]
    assert (
        client.get(
            f"/api/v1/skills/{sid}/ratings?person_id={crew['ann'].pk}", **bearer(crew["bob"])
        ).status_code
        == 404
    )
    given = post("/api/v1/feedback", {"receiver_id": crew["bob"].pk, "body": "Thanks"}, ann)
    assert given.status_code == 201
    assert given.json()["share_with_managers"] is False
    assert post("/api/v1/feedback", {"body": "to nobody"}, ann).status_code == 422
    assert client.get("/api/v1/feedback", **lead).json()["items"] == []
    asked = post("/api/v1/feedback-requests", {"asked_id": crew["bob"].pk, "about": "x"}, ann)
    assert asked.status_code == 201
    posted = post(
        "/api/v1/recognition", {"recipient_ids": [crew["bob"].pk], "body": "Now that"}, ann
    )
    assert posted.status_code == 201
    assert posted.json()["recipients"] == [crew["bob"].pk]
    feed = client.get("/api/v1/recognition", **bearer(crew["other"])).json()
    assert feed["items"][0]["body"] == "Now that"
