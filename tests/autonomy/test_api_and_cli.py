"""Autonomy over the REST API and the CLI export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ampwork.autonomy.models import Decision, LedgerEntry
from ampwork.core.models import Organisation, Person, Role

from ..factories import MembershipFactory, TeamFactory


@pytest.fixture
def crew(org: Organisation, make_person: Callable[..., Person]) -> dict[str, Any]:
    team = TeamFactory(organisation=org, name="Core")
    lead = make_person(org, Role.MANAGER)
    MembershipFactory(team=team, person=lead, role="lead")
    member = make_person(org, manager=lead, name="Mia Member")
    MembershipFactory(team=team, person=member)
    stranger = make_person(org)
    return {"team": team, "lead": lead, "member": member, "stranger": stranger}


def _post(client: Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_lead_sets_a_level_and_the_member_reads_it(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    member, lead = crew["member"], crew["lead"]
    url = f"/api/v1/autonomy/people/{member.pk}"
    r = _post(
        client,
        f"{url}/levels",
        {"t": "technique", "level": 2, "why": "ships clean work", "guardrails": "pairs on infra"},
        bearer(lead),
    )
    assert r.status_code == 201, r.content
    assert r.json()["levels"]["technique"] == 2
    mine = client.get(url, **bearer(member)).json()
    assert mine["levels"] == {"task": 0, "technique": 2, "time": 0, "team": 0}
    assert mine["history"][0]["why"] == "ships clean work"
    assert mine["history"][0]["changed_by_id"] == lead.pk


def test_members_cannot_raise_their_own_level_and_strangers_see_nothing(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    member = crew["member"]
    url = f"/api/v1/autonomy/people/{member.pk}"
    r = _post(client, f"{url}/levels", {"t": "time", "level": 3}, bearer(member))
    assert r.status_code == 403
    assert client.get(url, **bearer(crew["stranger"])).status_code == 404
    grid = f"/api/v1/autonomy/teams/{crew['team'].pk}/grid"
    assert client.get(grid, **bearer(member)).status_code == 403
    assert not LedgerEntry.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    url = f"/api/v1/autonomy/people/{crew['member'].pk}/levels"
    for body, field in [
        ({"t": "money", "level": 1}, "t"),
        ({"t": "task", "level": 7}, "level"),
        ({"t": "task", "level": 1, "extra": 1}, "extra"),
        ({"t": "task", "level": 1, "why": "a\x00b"}, "why"),
    ]:
        r = _post(client, url, body, bearer(crew["lead"]))
        assert r.status_code == 422, body
        assert field in json.dumps(r.json()["detail"]), body
    assert not LedgerEntry.objects.exists()


def test_decisions_and_the_team_grid(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    member, lead = crew["member"], crew["lead"]
    r = _post(
        client,
        f"/api/v1/autonomy/people/{member.pk}/decisions",
        {"t": "task", "level": 1, "outcome": "deferred", "note": "after the launch"},
        bearer(lead),
    )
    assert r.status_code == 201, r.content
    assert Decision.objects.get().note == "after the launch"
    grid = client.get(f"/api/v1/autonomy/teams/{crew['team'].pk}/grid", **bearer(lead)).json()
    names = [row["name"] for row in grid["rows"]]
    assert "Mia Member" in names
    # levels are all 0, but with no objectives there is too little evidence to call it control
    assert grid["defaulting_to_control"] == []
    assert grid["autonomy_index"] is None


def test_cli_export_current_levels_and_history(
    crew: dict[str, Any],
    client: Client,
    bearer: Callable[[Person], dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Any,
) -> None:
    member = crew["member"]
    _post(
        client,
        f"/api/v1/autonomy/people/{member.pk}/levels",
        {"t": "time", "level": 1, "why": "core hours only"},
        bearer(crew["lead"]),
    )
    call_command("autonomy", "export")
    rows = {r["email"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows[member.email]["time"] == "1"
    assert rows[crew["stranger"].email]["time"] == "0"
    target = tmp_path / "history.csv"
    call_command("autonomy", "export", "--history", "-o", str(target))
    history = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(h["person_email"], h["t"], h["level"], h["why"]) for h in history] == [
        (member.email, "time", "1", "core hours only")
    ]
