"""The advisor on real data: items tick themselves and untick when the data changes; hand
ticks keep who and when; findings come from incentives, autonomy and the fairness gate, are
shown to admins and the managers they concern, and can be acknowledged; the reward-style
questions set an objective's work style."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.advisor import selectors, services, style
from ampwork.advisor.data import gather
from ampwork.advisor.models import Acknowledgement, Incentive, Tick
from ampwork.autonomy import services as autonomy
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.fairness.models import AuditRun
from ampwork.mastery.models import Review
from ampwork.mastery.selectors import week_of
from ampwork.purpose.models import PublishedPurpose
from tests.factories import CycleFactory, ObjectiveFactory

Make = Callable[[Person], Actor]


def items(org: Organisation, team: int | None = None) -> dict[str, Any]:
    data = gather(org)
    return {i.item.key: i for s in selectors.checklist_of(data, team) for i in s.items}


def test_items_tick_themselves_from_the_data_and_untick_when_it_changes(
    crew: dict[str, Any], actor_of: Make, org: Organisation
) -> None:
    state = items(org)
    assert not state["published-purpose"].done
    assert state["published-purpose"].by_data
    assert not state["pay-audit"].done
    assert "no pay audit" in state["pay-audit"].reason
    purpose = PublishedPurpose.objects.create(organisation=org, version=1, text="Help nurses rest")
    run = AuditRun.objects.create(organisation=org, status="green", reasons=[])
    autonomy.set_level(actor=actor_of(crew["lead"]), person=crew["ann"], t="technique", level=1)
    this = week_of(timezone.localdate())
    for who in ("ann", "bob"):
        Review.objects.create(organisation=org, person=crew[who], week=this, wins="w")
    state = items(org)
    assert state["published-purpose"].done
    assert "version 1" in state["published-purpose"].reason
    assert state["pay-audit"].done
    assert "green" in state["pay-audit"].reason
    assert state["autonomy-step"].done
    assert "1 of 1 teams" in state["autonomy-step"].reason
    assert state["weekly-reviews"].done
    assert items(org, crew["team"].pk)["weekly-reviews"].done
    # …and the data changes back
    purpose.delete()
    run.run_at = timezone.now() - dt.timedelta(days=400)
    run.save()
    Review.objects.filter(person=crew["bob"]).delete()
    Review.objects.filter(person=crew["ann"]).delete()
    state = items(org)
    assert not state["published-purpose"].done
    assert not state["pay-audit"].done
    assert "more than 12 months ago" in state["pay-audit"].reason
    assert not state["weekly-reviews"].done
    red = AuditRun.objects.create(organisation=org, status="red", reasons=["a gap"])
    assert not items(org)["pay-audit"].done
    red.delete()


def test_hand_ticks_keep_who_and_when_and_data_items_refuse_them(
    crew: dict[str, Any], actor_of: Make, org: Organisation, web: Callable[[Person], Client]
) -> None:
    admin = actor_of(crew["admin"])
    services.tick(actor=admin, item="pay-visible", note="since spring")
    state = items(org)["pay-visible"]
    assert state.done
    assert state.tick.by == crew["admin"].name
    assert state.tick.note == "since spring"
    services.tick(actor=admin, item="pay-visible", done=False)
    assert not items(org)["pay-visible"].done
    assert Tick.objects.count() == 2  # both kept
    with pytest.raises(ValidationFailed) as caught:
        services.tick(actor=admin, item="published-purpose")
    assert caught.value.errors[0].field == "item"
    with pytest.raises(ValidationFailed):
        services.tick(actor=admin, item="no-such-item")
    with pytest.raises(NotAllowed):
        services.tick(actor=actor_of(crew["ann"]), item="pay-visible")
    # a team lead ticks their own team's item, not the organisation's
    services.tick(actor=actor_of(crew["lead"]), item="own-time", team=crew["team"])
    assert items(org, crew["team"].pk)["own-time"].done
    with pytest.raises(NotAllowed):
        services.tick(actor=actor_of(crew["lead"]), item="own-time")
    response = web(crew["lead"]).post(
        "/advisor/checklist/", {"item": "feedback", "team_id": crew["team"].pk, "done": "on"}
    )
    assert response.status_code == 302
    assert items(org, crew["team"].pk)["feedback"].done


def bonus(actor: Actor, objective: Any) -> Incentive:
    return services.add_incentive(
        actor=actor,
        what="Launch bonus",
        outcome="Activation at 50%",
        style="if_then",
        amount="2000",
        currency="eur",
        objective_id=objective.pk,
    )


def test_an_if_then_bonus_on_creative_work_is_found_and_shown_to_whom_it_concerns(
    crew: dict[str, Any],
    actor_of: Make,
    org: Organisation,
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    objective = ObjectiveFactory(cycle=CycleFactory(organisation=org), owner_person=crew["ann"])
    found = bonus(actor_of(crew["admin"]), objective)
    assert (found.amount, found.currency) == (2000, "EUR")
    rules = {
        f["rule"] for f in client.get("/api/v1/advisor/findings", **bearer(crew["admin"])).json()
    }
    assert {"if-then-creative", "okrs-tied-to-bonuses"} <= rules
    lead = {
        f["rule"] for f in client.get("/api/v1/advisor/findings", **bearer(crew["lead"])).json()
    }
    assert "if-then-creative" in lead
    assert "ignoring-fairness" not in lead
    other_team_lead = client.get("/api/v1/advisor/findings", **bearer(crew["other"]))
    assert other_team_lead.status_code == 403  # members have no advisor
    # the role of the work decides: answered as routine work, rule 1 falls silent
    services.assess_style(
        actor=actor_of(crew["ann"]),
        answers=style.Answers(
            known_procedure=True, countable=True, quality_judged=False, novel=False
        ),
        objective=objective,
    )
    objective.refresh_from_db()
    assert objective.work_style == "algorithmic"
    rules = {
        f["rule"] for f in client.get("/api/v1/advisor/findings", **bearer(crew["admin"])).json()
    }
    assert "if-then-creative" not in rules
    assert "okrs-tied-to-bonuses" in rules


def test_acknowledging_a_finding_over_the_web_and_the_api(
    crew: dict[str, Any],
    actor_of: Make,
    org: Organisation,
    web: Callable[[Person], Client],
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    objective = ObjectiveFactory(cycle=CycleFactory(organisation=org), owner_person=crew["ann"])
    incentive = bonus(actor_of(crew["admin"]), objective)
    key = f"if-then-creative.incentive-{incentive.pk}"
    page = web(crew["admin"]).get(f"/advisor/findings/{key}/")
    assert page.status_code == 200
    assert b"Launch bonus" in page.content
    assert web(crew["admin"]).post(f"/advisor/findings/{key}/", {"note": ""}).status_code == 302
    assert not Acknowledgement.objects.exists()  # an empty note is refused
    web(crew["admin"]).post(f"/advisor/findings/{key}/", {"note": "Ending it next quarter"})
    ack = Acknowledgement.objects.get()
    assert (ack.key, ack.by) == (key, crew["admin"])
    body = client.post(
        f"/api/v1/advisor/findings/okrs-tied-to-bonuses.incentive-{incentive.pk}/acknowledgements",
        {"note": "seen"},
        content_type="application/json",
        **bearer(crew["admin"]),
    )
    assert body.status_code == 201
    assert body.json()["acknowledged"]["note"] == "seen"
    missing = client.post(
        "/api/v1/advisor/findings/no-such.finding/acknowledgements",
        {"note": "x"},
        content_type="application/json",
        **bearer(crew["admin"]),
    )
    assert missing.status_code == 404
    assert web(crew["admin"]).get("/advisor/findings/nothing-here/").status_code == 404


def test_incentives_validate_their_fields(
    crew: dict[str, Any],
    actor_of: Make,
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    admin = actor_of(crew["admin"])
    for fields, field in [
        ({"style": "maybe"}, "style"),
        ({"amount": "-3"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"what": " "}, "what"),
        ({"objective_id": 10**9}, "objective_id"),
    ]:
        base = {"what": "Prize", "outcome": "x", "style": "now_that", **fields}
        with pytest.raises(ValidationFailed) as caught:
            services.add_incentive(actor=admin, **base)
        assert caught.value.errors[0].field == field, fields
    with pytest.raises(NotAllowed):
        services.add_incentive(
            actor=actor_of(crew["lead"]), what="x", outcome="y", style="now_that"
        )
    made = client.post(
        "/api/v1/incentives",
        {
            "what": "Dinner",
            "outcome": "after the launch",
            "style": "now_that",
            "reward_kind": "dinner",
        },
        content_type="application/json",
        **bearer(crew["admin"]),
    )
    assert made.status_code == 201
    listed = client.get("/api/v1/incentives", **bearer(crew["lead"])).json()
    assert [i["what"] for i in listed] == ["Dinner"]
    gone = client.delete(f"/api/v1/incentives/{made.json()['id']}", **bearer(crew["admin"]))
    assert gone.status_code == 204
    assert not Incentive.objects.exists()


def test_checklist_readiness_and_style_over_the_api(
    crew: dict[str, Any], bearer: Callable[[Person], dict[str, str]], client: Client
) -> None:
    admin = bearer(crew["admin"])
    body = client.get("/api/v1/advisor/checklist", **admin).json()
    assert [s["key"] for s in body["steps"]] == ["fairness", "autonomy", "mastery", "purpose"]
    ticked = client.put(
        "/api/v1/advisor/checklist/pay-visible",
        {"done": True, "note": "yes"},
        content_type="application/json",
        **admin,
    )
    assert ticked.status_code == 200
    item = next(i for s in ticked.json()["steps"] for i in s["items"] if i["key"] == "pay-visible")
    assert item["done"]
    assert item["ticked_by"] == crew["admin"].name
    refused = client.put(
        "/api/v1/advisor/checklist/pay-audit",
        {"done": True},
        content_type="application/json",
        **admin,
    )
    assert refused.status_code == 422
    ready = client.get(f"/api/v1/advisor/readiness?team_id={crew['team'].pk}", **admin).json()
    assert [s["name"] for s in ready["stages"]] == ["purpose", "mastery", "autonomy"]
    verdict = client.post(
        "/api/v1/advisor/reward-style",
        {
            "job_role": "Support Engineer",
            "known_procedure": True,
            "countable": True,
            "quality_judged": False,
            "novel": False,
        },
        content_type="application/json",
        **admin,
    )
    assert verdict.status_code == 201
    assert verdict.json()["work_style"] == "algorithmic"
    both = client.post(
        "/api/v1/advisor/reward-style",
        {"known_procedure": True, "countable": True, "quality_judged": False, "novel": False},
        content_type="application/json",
        **admin,
    )
    assert both.status_code == 422
    assert "job_role" in both.content.decode()


def test_advisor_pages_render_for_admin_manager_and_teacher(
    crew: dict[str, Any],
    web: Callable[[Person], Client],
    school: Organisation,
    make_person: Callable[..., Person],
) -> None:
    for who in ("admin", "lead"):
        client = web(crew[who])
        for path in ("/advisor/", "/advisor/incentives/", "/advisor/reward-style/", "/"):
            assert client.get(path).status_code == 200, (who, path)
    assert web(crew["ann"]).get("/advisor/").status_code == 403
    teacher = make_person(school, "manager")
    from tests.factories import MembershipFactory, TeamFactory

    MembershipFactory(team=TeamFactory(organisation=school, name="7B"), person=teacher, role="lead")
    page = web(teacher).get("/advisor/").content.decode()
    assert "Your classes: readiness" in page
    assert "7B" in page
