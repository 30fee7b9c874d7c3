"""Weekly reviews: writing, answering, privacy (the person, their managers, admins only),
the timeline, the pages and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.autonomy import services as autonomy
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.mastery import selectors, services
from ampwork.mastery.models import Review
from tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory

Make = Callable[[Person], Actor]


def write(actor: Actor, **fields: Any) -> Review:
    return services.save_review(
        actor=actor,
        wins=fields.pop("wins", "Shipped the retry logic"),
        setbacks=fields.pop("setbacks", "Waited on a review"),
        next_steps=fields.pop("next_steps", "Roll it out"),
        challenge=fields.pop("challenge", 5),
        skill=fields.pop("skill", 4),
        **fields,
    )


def test_one_review_a_week_rewritten_in_place(crew: dict[str, Any], actor_of: Make) -> None:
    me = actor_of(crew["ann"])
    first = write(me)
    again = write(me, wins="Shipped it, and the docs")
    assert first.pk == again.pk
    assert Review.objects.count() == 1
    assert again.week == selectors.week_of(timezone.localdate())
    assert again.week.weekday() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"challenge": 8}, "challenge"),
        ({"skill": 0}, "skill"),
        ({"wins": "", "setbacks": "", "next_steps": " "}, "wins"),
        ({"week": timezone.localdate() + dt.timedelta(days=8)}, "week"),
        ({"wins": "x" * 4001}, "wins"),
    ],
)
def test_bad_reviews_name_the_field_and_write_nothing(
    crew: dict[str, Any], actor_of: Make, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        write(actor_of(crew["ann"]), **fields)
    assert caught.value.errors[0].field == field
    assert not Review.objects.exists()


def test_a_review_is_seen_by_the_person_their_managers_and_admins_only(
    crew: dict[str, Any], actor_of: Make, web: Callable[[Person], Client]
) -> None:
    review = write(actor_of(crew["ann"]))
    for who in ("ann", "lead", "admin"):
        assert selectors.get_review(actor_of(crew[who]), review.pk) == review
        assert web(crew[who]).get(f"/mastery/reviews/{review.pk}/").status_code == 200
    for who in ("bob", "other"):
        with pytest.raises(NotFound):
            selectors.get_review(actor_of(crew[who]), review.pk)
        assert web(crew[who]).get(f"/mastery/reviews/{review.pk}/").status_code == 404
        assert web(crew[who]).get(f"/mastery/people/{crew['ann'].pk}/").status_code == 404
        assert review not in selectors.visible_reviews(actor_of(crew[who]))


def test_a_team_lead_who_is_not_the_line_manager_sees_it_too(
    crew: dict[str, Any], actor_of: Make
) -> None:
    crew["ann"].manager = None
    crew["ann"].save()
    review = write(actor_of(crew["ann"]))
    assert selectors.get_review(actor_of(crew["lead"]), review.pk) == review


def test_the_manager_answers_and_the_answer_is_on_the_timeline(
    crew: dict[str, Any], actor_of: Make, web: Callable[[Person], Client]
) -> None:
    review = write(actor_of(crew["ann"]))
    response = web(crew["lead"]).post(
        f"/mastery/reviews/{review.pk}/", {"body": "The retry work held the error budget."}
    )
    assert response.status_code == 302
    events = selectors.timeline(actor_of(crew["ann"]), crew["ann"])
    kinds = {(e.kind, e.by) for e in events}
    assert ("feedback", "Lena Lead") in kinds
    assert ("win", "") in kinds
    page = web(crew["ann"]).get("/mastery/").content.decode()
    assert "The retry work held the error budget." in page


def test_nobody_answers_their_own_review_or_one_they_do_not_coach(
    crew: dict[str, Any], actor_of: Make
) -> None:
    review = write(actor_of(crew["ann"]))
    for who in ("ann", "bob"):
        with pytest.raises(NotAllowed):
            services.reply(actor=actor_of(crew[who]), review=review, body="nice")
    with pytest.raises(ValidationFailed):
        services.reply(actor=actor_of(crew["lead"]), review=review, body="  ")


def test_the_timeline_gathers_achievements_skills_and_autonomy(
    crew: dict[str, Any], actor_of: Make
) -> None:
    ann = crew["ann"]
    cycle = CycleFactory(organisation=ann.organisation)
    objective = ObjectiveFactory(cycle=cycle, owner_person=ann)
    KeyResultFactory(objective=objective, owner=ann, start=0, target=4, current=4, title="Four")
    skill = services.create_skill(
        actor=actor_of(crew["admin"]), name="Writing", levels=["a", "b", "c", "d", "e"]
    )
    me = actor_of(ann)
    services.rate_skill(actor=me, skill=skill, person=ann, level=2, date=dt.date(2026, 9, 1))
    services.rate_skill(actor=me, skill=skill, person=ann, level=3)
    autonomy.set_level(actor=actor_of(crew["lead"]), person=ann, t="technique", level=1)
    titles = [e.title for e in selectors.timeline(me, ann)]
    assert "Key result achieved: Four" in titles
    assert "Writing: level 2 → 3" in titles
    assert "More say over technique: level 0 → 1" in titles


def test_pages_render_for_each_role(
    crew: dict[str, Any], actor_of: Make, web: Callable[[Person], Client]
) -> None:
    write(actor_of(crew["ann"]))
    team = crew["team"].pk
    for who, path in [
        ("ann", "/mastery/"),
        ("ann", "/mastery/review/"),
        ("ann", f"/mastery/review/?week={dt.date(2026, 1, 7)}"),
        ("ann", "/mastery/skills/"),
        ("ann", "/mastery/feedback/"),
        ("ann", "/mastery/recognition/"),
        ("lead", f"/mastery/teams/{team}/"),
        ("lead", f"/mastery/teams/{team}/skills/"),
        ("lead", f"/mastery/people/{crew['ann'].pk}/"),
        ("admin", f"/mastery/teams/{team}/"),
    ]:
        assert web(crew[who]).get(path).status_code == 200, (who, path)
    assert web(crew["ann"]).get(f"/mastery/teams/{team}/").status_code == 403
    assert web(crew["ann"]).get("/mastery/review/?week=not-a-day").status_code == 404


def test_the_review_form_saves_and_shows_errors(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    client = web(crew["ann"])
    bad = client.post("/mastery/review/", {"wins": "", "challenge": "9"}, follow=True)
    assert bad.status_code == 200
    assert not Review.objects.exists()
    assert b"is a whole number from 1 to 7" in bad.content
    ok = client.post(
        "/mastery/review/", {"wins": "Small win", "challenge": "5", "skill": "4"}, follow=True
    )
    assert ok.status_code == 200
    review = Review.objects.get()
    assert (review.wins, review.challenge, review.skill) == ("Small win", 5, 4)


def test_the_home_page_says_whether_this_weeks_review_is_written(
    crew: dict[str, Any], actor_of: Make, web: Callable[[Person], Client]
) -> None:
    client = web(crew["ann"])
    assert "Write it" in client.get("/").content.decode()
    write(actor_of(crew["ann"]))
    assert "waiting for an answer" in client.get("/").content.decode()


def test_api_reviews_round_trip_and_privacy(
    crew: dict[str, Any], bearer: Callable[[Person], dict[str, str]], client: Client
) -> None:
    ann = bearer(crew["ann"])
    created = client.post(
        "/api/v1/reviews",
        {"wins": "API win", "challenge": 6, "skill": 3},
        content_type="application/json",
        **ann,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = client.post(
        "/api/v1/reviews", {"wins": "x", "challenge": 9}, content_type="application/json", **ann
    )
    assert bad.status_code == 422
    assert "challenge" in bad.content.decode()
    answer = client.post(
        f"/api/v1/reviews/{pk}/replies",
        {"body": "Specific and kind"},
        content_type="application/json",
        **bearer(crew["lead"]),
    )
    assert answer.status_code == 201
    mine = client.get(f"/api/v1/reviews/{pk}", **ann).json()
    assert mine["replies"][0]["body"] == "Specific and kind"
    assert client.get(f"/api/v1/reviews/{pk}", **bearer(crew["bob"])).status_code == 404
    listed = client.get("/api/v1/reviews", **bearer(crew["other"])).json()
    assert listed["items"] == []
    lead_list = client.get("/api/v1/reviews", **bearer(crew["lead"])).json()
    assert [r["id"] for r in lead_list["items"]] == [pk]
    person = client.get(f"/api/v1/mastery/people/{crew['ann'].pk}", **ann).json()
    assert person["flow"]["enough"] is False
    assert person["goldilocks"]["enough"] is False
