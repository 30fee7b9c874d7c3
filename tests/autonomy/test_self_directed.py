"""Self-directed time: the budget maths, projects, logged hours, who sees and changes what."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ampwork.autonomy import rules, selectors, services
from ampwork.autonomy.models import Project, TimeLog
from ampwork.core import l10n
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor

from ..factories import MembershipFactory, TeamFactory

MONDAY = dt.date(2026, 1, 5)


def test_working_days_and_budget() -> None:
    assert rules.working_days(MONDAY, MONDAY + dt.timedelta(days=4)) == 5
    assert rules.working_days(MONDAY, MONDAY + dt.timedelta(days=6)) == 5  # the weekend
    assert rules.working_days(MONDAY, MONDAY - dt.timedelta(days=1)) == 0
    # 20% of a 40-hour week is one 8-hour day a week
    assert rules.budget_hours(20, 40, MONDAY, MONDAY + dt.timedelta(days=13)) == pytest.approx(16)
    assert rules.budget_used(4, 16) == 0.25
    assert rules.budget_used(4, 0) is None
    assert rules.quarter_start(dt.date(2026, 11, 21)) == dt.date(2026, 10, 1)
    assert rules.quarter_start(dt.date(2026, 3, 31)) == dt.date(2026, 1, 1)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.integers(min_value=0, max_value=800),
)
def test_working_days_matches_counting(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    counted = sum(1 for i in range(length + 1) if (start + dt.timedelta(days=i)).weekday() < 5)
    assert rules.working_days(start, end) == counted


@pytest.fixture
def crew(org: Organisation, make_person: Callable[..., Person]) -> dict[str, Any]:
    team = TeamFactory(organisation=org, name="Core")
    lead = make_person(org, Role.MANAGER)
    MembershipFactory(team=team, person=lead, role="lead")
    member = make_person(org, manager=lead)
    MembershipFactory(team=team, person=member)
    return {"team": team, "lead": lead, "member": member, "stranger": make_person(org)}


def test_own_projects_only_and_hours_add_up(
    crew: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    me, lead = actor_of(crew["member"]), actor_of(crew["lead"])
    project = services.add_project(actor=me, title="  Faster builds ", why="waiting hurts")
    assert project.title == "Faster builds"
    assert project.person == crew["member"]
    today = timezone.localdate()
    services.log_time(actor=me, project=project, day=today, hours=2.25)
    services.log_time(actor=me, project=project, day=today, hours=1)
    with pytest.raises(NotAllowed):
        services.log_time(actor=lead, project=project, day=today, hours=1)
    with pytest.raises(NotAllowed):
        services.update_project(actor=lead, project=project, outcome="dropped")
    # the lead sees it; a stranger does not
    seen = selectors.projects_of(lead, crew["member"])
    assert [(p.title, float(p.hours)) for p in seen] == [("Faster builds", 3.3)]  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        selectors.projects_of(actor_of(crew["stranger"]), crew["member"])
    budget = selectors.time_budgets(crew["member"].organisation, [crew["member"].pk])
    assert budget[crew["member"].pk].used == pytest.approx(3.3)


@pytest.mark.parametrize(
    ("days_ahead", "hours", "field"),
    [
        (1, 1.0, "day"),
        (0, 0.0, "hours"),
        (0, 0.04, "hours"),
        (0, 25.0, "hours"),
        (0, float("nan"), "hours"),
    ],
)
def test_bad_time_is_refused_and_nothing_written(
    crew: dict[str, Any],
    actor_of: Callable[[Person], Actor],
    days_ahead: int,
    hours: float,
    field: str,
) -> None:
    # the day is taken when the test runs, not when it is collected (a run across midnight)
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    me = actor_of(crew["member"])
    project = services.add_project(actor=me, title="x")
    with pytest.raises(ValidationFailed) as caught:
        services.log_time(actor=me, project=project, day=day, hours=hours)
    assert caught.value.errors[0].field == field
    assert not TimeLog.objects.exists()


def test_policy_is_for_admins_and_sets_the_budget(
    crew: dict[str, Any], admin_actor: Actor, actor_of: Callable[[Person], Actor]
) -> None:
    with pytest.raises(NotAllowed):
        services.set_policy(actor=actor_of(crew["lead"]), share_percent=10, weekly_hours=40)
    with pytest.raises(ValidationFailed):
        services.set_policy(actor=admin_actor, share_percent=60, weekly_hours=40)
    services.set_policy(actor=admin_actor, share_percent=10, weekly_hours=35)
    org = admin_actor.organisation
    assert selectors.policy(org) == (10, 35.0)
    today = dt.date(2026, 1, 9)  # Friday of the first full week: 7 working days so far
    budget = selectors.time_budgets(org, [crew["member"].pk], today)[crew["member"].pk]
    assert budget.budget == pytest.approx(0.10 * 35 / 5 * 7)


def _json(client: Client, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json", **headers)


def test_api_projects_time_and_outcome(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    member, lead = crew["member"], crew["lead"]
    r = _json(
        client,
        "POST",
        "/api/v1/self-directed-projects",
        {"title": "Accessibility audit", "serves_purpose": True},
        bearer(member),
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    today = timezone.localdate().isoformat()
    r = _json(
        client,
        "POST",
        f"/api/v1/self-directed-projects/{pid}/time",
        {"day": today, "hours": 4},
        bearer(member),
    )
    assert r.status_code == 201, r.content
    assert r.json()["hours"] == 4.0, r.content
    r = _json(
        client,
        "PATCH",
        f"/api/v1/self-directed-projects/{pid}",
        {"outcome": "shipped", "learned": "screen readers first"},
        bearer(member),
    )
    assert r.json()["outcome"] == "shipped"
    listed = client.get(
        f"/api/v1/self-directed-projects?person_id={member.pk}", **bearer(lead)
    ).json()
    assert [p["title"] for p in listed["items"]] == ["Accessibility audit"]
    assert (
        client.get(
            f"/api/v1/self-directed-projects?person_id={member.pk}", **bearer(crew["stranger"])
        ).status_code
        == 404
    )
    # the lead may read but not log time on someone else's project
    r = _json(
        client,
        "POST",
        f"/api/v1/self-directed-projects/{pid}/time",
        {"day": today, "hours": 1},
        bearer(lead),
    )
    assert r.status_code == 403
    r = _json(
        client,
        "POST",
        f"/api/v1/self-directed-projects/{pid}/time",
        {"day": today, "hours": 0},
        bearer(member),
    )
    assert r.status_code == 422
    assert "hours" in json.dumps(r.json()["detail"])
    person = client.get(f"/api/v1/autonomy/people/{member.pk}", **bearer(member)).json()
    assert person["self_directed_time"]["used_hours"] == 4.0
    assert Project.objects.get().learned == "screen readers first"


def test_api_policy(crew: dict[str, Any], admin: Person, client: Client, bearer: Any) -> None:
    r = _json(
        client,
        "PUT",
        "/api/v1/autonomy/time-policy",
        {"share_percent": 10, "weekly_hours": 37.5},
        bearer(admin),
    )
    assert r.status_code == 200
    assert r.json() == {"share_percent": 10, "weekly_hours": 37.5}
    r = _json(
        client,
        "PUT",
        "/api/v1/autonomy/time-policy",
        {"share_percent": 10, "weekly_hours": 37.5},
        bearer(crew["member"]),
    )
    assert r.status_code == 403


def test_web_start_project_and_log_time(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    client = web(crew["member"])
    r = client.post("/autonomy/projects/", {"title": "Docs revamp", "why": "new joiners"})
    assert r.status_code == 302
    project = Project.objects.get()
    r = client.post(
        f"/autonomy/projects/{project.pk}/time/", {"day": "not a day", "hours": "2"}, follow=True
    )
    assert b"must be a date" in r.content
    assert not TimeLog.objects.exists()
    client.post(
        f"/autonomy/projects/{project.pk}/time/",
        {"day": timezone.localdate().isoformat(), "hours": "2"},
    )
    page = client.get("/autonomy/").content.decode()
    assert "Docs revamp" in page
    assert "2 h" in page


def test_web_outcome_and_policy(
    crew: dict[str, Any], admin: Person, web: Callable[[Person], Client]
) -> None:
    client = web(crew["member"])
    client.post("/autonomy/projects/", {"title": "Docs revamp"})
    project = Project.objects.get()
    r = client.post(f"/autonomy/projects/{project.pk}/", {"outcome": "nonsense"}, follow=True)
    assert b"must be one of active, shipped, objective, learning, dropped" in r.content
    client.post(f"/autonomy/projects/{project.pk}/", {"outcome": "shipped", "learned": "a lot"})
    project.refresh_from_db()
    assert (project.outcome, project.learned) == ("shipped", "a lot")
    # someone else's project: not theirs to change
    r = web(crew["lead"]).post(f"/autonomy/projects/{project.pk}/", {"outcome": "dropped"})
    assert r.status_code == 403
    assert Project.objects.get().outcome == "shipped"
    admin_client = web(admin)
    r = admin_client.post("/autonomy/time-policy/", {"share_percent": "x", "weekly_hours": "40"})
    assert r.status_code == 302
    assert selectors.policy(admin.organisation) == (20, 40.0)
    admin_client.post("/autonomy/time-policy/", {"share_percent": "10", "weekly_hours": "37.5"})
    assert selectors.policy(admin.organisation) == (10, 37.5)


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_the_weeks_share_is_written_as_each_language_writes_a_percentage(
    crew: dict[str, Any], web: Callable[[Person], Client], language: str
) -> None:
    """The sentence is given the percentage whole (core.l10n.format_percent): French
    '20 %' with its no-break space, never a '%' glued on by the sentence."""
    page = web(crew["member"]).get("/autonomy/", HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    share = l10n.format_percent(0.2, 0, language)
    assert share in text
    assert "20%%" not in text
    if language == "en":
        assert "20% of a 40-hour week is yours" in text
    else:
        assert "20%" not in text
