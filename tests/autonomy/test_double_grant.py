"""A step is granted once: the forms send the level they were drawn with, a stale or
repeated decision records nothing, and the team grid asks for guardrails before it
records (answering with the person's row, drawn in place)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.autonomy import selectors, services
from ampwork.autonomy.models import Decision, LedgerEntry
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor

from ..factories import MembershipFactory, TeamFactory


@pytest.fixture
def team_with(org: Organisation, make_person: Callable[..., Person]) -> dict[str, Any]:
    team = TeamFactory(organisation=org, name="Core")
    lead = make_person(org, Role.MANAGER, name="Lena Lead")
    MembershipFactory(team=team, person=lead, role="lead")
    member = make_person(org, manager=lead, name="Mia Member")
    MembershipFactory(team=team, person=member)
    return {"team": team, "lead": lead, "member": member}


def _technique(person: Person) -> int:
    return selectors.levels_for(person.organisation, [person.pk])[person.pk]["technique"]


def test_a_repeated_grant_records_one_step(
    team_with: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    lead, member = actor_of(team_with["lead"]), team_with["member"]
    grant = {"t": "technique", "level": 1, "outcome": "granted", "guardrails": "in review"}
    services.decide(actor=lead, person=member, expected_level=0, **grant)
    with pytest.raises(ValidationFailed) as caught:  # the same form, sent again
        services.decide(actor=lead, person=member, expected_level=0, **grant)
    assert caught.value.errors[0].field == "expected_level"
    assert "now at level 1, not 0" in caught.value.errors[0].message
    with pytest.raises(ValidationFailed) as caught:  # without the expected level too
        services.decide(actor=lead, person=member, **grant)
    assert caught.value.errors[0].field == "level"
    assert LedgerEntry.objects.filter(person=member).count() == 1
    assert Decision.objects.filter(person=member).count() == 1
    assert LedgerEntry.objects.get(person=member).guardrails == "in review"
    assert _technique(member) == 1


@pytest.mark.parametrize(("expected", "ok"), [(-1, False), (0, True), (1, False)])
def test_the_expected_level_must_be_the_current_one(
    team_with: dict[str, Any], actor_of: Callable[[Person], Actor], expected: int, ok: bool
) -> None:
    lead, member = actor_of(team_with["lead"]), team_with["member"]
    step = {"t": "technique", "level": 1, "outcome": "granted", "expected_level": expected}
    if ok:
        services.decide(actor=lead, person=member, **step)
        assert _technique(member) == 1
        return
    with pytest.raises(ValidationFailed):
        services.decide(actor=lead, person=member, **step)
    assert not LedgerEntry.objects.exists()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(("level", "ok"), [(1, False), (2, False), (3, True)])
def test_a_grant_goes_above_the_current_level(
    team_with: dict[str, Any], actor_of: Callable[[Person], Actor], level: int, ok: bool
) -> None:
    lead, member = actor_of(team_with["lead"]), team_with["member"]
    services.set_level(actor=lead, person=member, t="time", level=2)
    step = {"t": "time", "level": level, "outcome": "granted"}
    if ok:
        services.decide(actor=lead, person=member, **step)
    else:
        with pytest.raises(ValidationFailed, match="already at level 2"):
            services.decide(actor=lead, person=member, **step)
    assert LedgerEntry.objects.filter(person=member).count() == (2 if ok else 1)


def test_a_repeated_deferral_records_one_decision(
    team_with: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    lead, member = actor_of(team_with["lead"]), team_with["member"]
    defer = {"t": "technique", "level": 1, "outcome": "deferred", "note": "after the launch"}
    services.decide(actor=lead, person=member, expected_level=0, **defer)
    with pytest.raises(ValidationFailed, match="already deferred"):
        services.decide(actor=lead, person=member, expected_level=0, **defer)
    # a different answer to the same step is a new decision
    services.decide(actor=lead, person=member, **{**defer, "outcome": "declined"})
    assert list(Decision.objects.values_list("outcome", flat=True)) == ["declined", "deferred"]
    assert not LedgerEntry.objects.exists()


def _grant_form(team_with: dict[str, Any], **extra: str) -> dict[str, str]:
    return {
        "t": "technique",
        "level": "1",
        "expected_level": "0",
        "outcome": "granted",
        "team": str(team_with["team"].pk),
        "next": f"/autonomy/teams/{team_with['team'].pk}/",
        "guardrails": "within the security policy",
        **extra,
    }


def test_two_identical_posts_from_the_grid_record_one_step(
    team_with: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    client, member = web(team_with["lead"]), team_with["member"]
    url = f"/autonomy/people/{member.pk}/decide/"
    first = client.post(url, _grant_form(team_with), headers={"HX-Request": "true"})
    second = client.post(url, _grant_form(team_with), headers={"HX-Request": "true"})
    assert first.status_code == second.status_code == 200
    row = first.content.decode()
    assert row.lstrip().startswith("<tr")
    assert f'id="row-{member.pk}"' in row
    assert "Granted: technique → 1 for Mia Member." in row
    assert 'name="t" value="time"' in row  # the next step: time, from level 0
    assert 'name="expected_level" value="0"' in row
    assert '<details class="grant" open' not in row  # and waits, closed
    assert "Nothing was recorded" in second.content.decode()
    assert LedgerEntry.objects.filter(person=member).count() == 1
    assert LedgerEntry.objects.get(person=member).guardrails == "within the security policy"
    # without htmx: the page, with what happened said at its top
    third = client.post(url, _grant_form(team_with))
    assert third.status_code == 302
    assert third.headers["Location"] == f"/autonomy/teams/{team_with['team'].pk}/"
    assert LedgerEntry.objects.filter(person=member).count() == 1


def test_the_grid_asks_for_guardrails_before_it_grants(
    team_with: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    page = web(team_with["lead"]).get(f"/autonomy/teams/{team_with['team'].pk}/")
    html = page.content.decode()
    member = team_with["member"]
    # the grant sits behind a disclosure holding the guardrails question
    start = html.index('<details class="grant"')
    block = html[start : html.index("</details>", start)]
    assert f'for="guardrails-{member.pk}">Guardrails</label>' in block
    assert 'name="expected_level" value="0"' in block
    assert 'hx-sync="this:drop"' in block
    assert "aria-label" not in block  # the names are the visible text (plus who, after it)
    assert not LedgerEntry.objects.exists()


def test_the_person_page_sends_the_level_it_shows(
    team_with: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    member = team_with["member"]
    client = web(team_with["lead"])
    page = client.get(f"/autonomy/people/{member.pk}/").content.decode()
    assert 'name="expected_level" value="0"' in page
    form = {"t": "technique", "level": "1", "expected_level": "0", "outcome": "granted"}
    client.post(f"/autonomy/people/{member.pk}/decide/", form)
    response = client.post(f"/autonomy/people/{member.pk}/decide/", form, follow=True)
    assert "Nothing was recorded" in response.content.decode()
    assert LedgerEntry.objects.filter(person=member).count() == 1


@pytest.mark.parametrize(
    ("minutes_ago", "recorded"),
    [(9.99, False), (10, True), (10.01, True), (60 * 24 * 90, True)],
    ids=["just-inside-the-window", "on-the-window", "just-outside", "a-quarter-later"],
)
def test_deferring_the_same_step_again_later_is_a_new_decision(
    team_with: dict[str, Any],
    actor_of: Callable[[Person], Actor],
    minutes_ago: float,
    recorded: bool,
) -> None:
    """Only a repeat within ten minutes is the same decision sent twice: deferring again
    in April what was deferred in January is recorded (it was refused for ever)."""
    lead, member = actor_of(team_with["lead"]), team_with["member"]
    defer = {"t": "technique", "level": 1, "outcome": "deferred", "note": "after the launch"}
    first = services.decide(actor=lead, person=member, expected_level=0, **defer)
    first.decided_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    first.save(update_fields=["decided_at"])
    assert dt.timedelta(minutes=10) == services.REPEAT_WINDOW
    if recorded:
        services.decide(actor=lead, person=member, expected_level=0, **defer)
        assert Decision.objects.filter(person=member).count() == 2
    else:
        with pytest.raises(ValidationFailed, match="already deferred"):
            services.decide(actor=lead, person=member, expected_level=0, **defer)
        assert Decision.objects.filter(person=member).count() == 1
