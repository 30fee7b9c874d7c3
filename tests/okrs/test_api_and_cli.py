"""The OKR API and the okrs command: contracts, errors, CSV round trip."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.okrs import services
from ampwork.okrs.models import CheckIn, Cycle, KeyResult, Objective

from ..factories import TeamFactory

Headers = dict[str, str]


@pytest.fixture
def cycle(admin_actor: Actor) -> Cycle:
    return services.create_cycle(
        actor=admin_actor, name="Q4", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )


def post(client: Client, url: str, body: Any, headers: Headers) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_objective_detail_has_the_computed_numbers(
    client: Client, cycle: Cycle, admin: Person, bearer: Callable[[Person], Headers]
) -> None:
    h = bearer(admin)
    response = post(
        client, "/api/v1/objectives", {"cycle_id": cycle.pk, "title": "Reply within a day"}, h
    )
    assert response.status_code == 201, response.content
    oid = response.json()["id"]
    assert response.json()["self_authored"] is True
    kr = post(
        client,
        "/api/v1/key-results",
        {"objective_id": oid, "title": "Reply from 30 to 8", "start": 30, "target": 8, "unit": "h"},
        h,
    ).json()
    low = post(
        client,
        "/api/v1/key-results",
        {"objective_id": oid, "title": "CSAT 80 to 90", "start": 80, "target": 90},
        h,
    ).json()
    response = post(
        client,
        f"/api/v1/key-results/{kr['id']}/check-ins",
        {"value": 19, "confidence": 6, "note": "new rota", "date": "2026-11-10"},
        h,
    )
    assert response.status_code == 201, response.content
    post(client, f"/api/v1/key-results/{low['id']}/check-ins", {"value": 81}, h)
    body = client.get(f"/api/v1/objectives/{oid}", **h).json()
    assert body["key_results"][0]["progress"] == pytest.approx(0.5)
    assert body["key_results"][0]["current"] == 19
    assert body["lowest_key_result_progress"] == pytest.approx(0.1)
    assert body["progress"] == pytest.approx(0.3)
    assert body["pacing"] in {"on track", "at risk", "off track"}
    assert body["score"] is None
    history = client.get(f"/api/v1/key-results/{kr['id']}/check-ins", **h).json()["items"]
    assert history[0]["note"] == "new rota"
    listing = client.get(f"/api/v1/objectives?cycle_id={cycle.pk}", **h).json()
    assert listing["count"] == 1
    assert listing["items"][0]["id"] == oid


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": "12"}, "value"),
        ({"value": 1, "confidence": 11}, "confidence"),
        ({"value": 1, "date": 0}, "date"),
        ({"value": 1, "extra": 1}, "extra"),
        ({}, "value"),
    ],
)
def test_bad_check_ins_are_422_naming_the_field(
    client: Client,
    cycle: Cycle,
    admin: Person,
    admin_actor: Actor,
    bearer: Callable[[Person], Headers],
    body: dict[str, Any],
    field: str,
) -> None:
    objective = services.create_objective(actor=admin_actor, cycle=cycle, title="O")
    kr = services.create_key_result(actor=admin_actor, objective=objective, title="k", target=5)
    response = post(client, f"/api/v1/key-results/{kr.pk}/check-ins", body, bearer(admin))
    assert response.status_code == 422
    assert any(field in item["loc"] for item in response.json()["detail"]), response.json()
    assert not CheckIn.objects.exists()


def test_members_cannot_check_in_on_others(
    client: Client,
    cycle: Cycle,
    org: Organisation,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], Headers],
) -> None:
    owner = make_person(org)
    objective = services.create_objective(
        actor=admin_actor, cycle=cycle, title="O", owner_person_id=owner.pk
    )
    kr = services.create_key_result(actor=admin_actor, objective=objective, title="k", target=5)
    other = make_person(org)
    response = post(client, f"/api/v1/key-results/{kr.pk}/check-ins", {"value": 3}, bearer(other))
    assert response.status_code == 403
    response = post(client, f"/api/v1/key-results/{kr.pk}/check-ins", {"value": 3}, bearer(owner))
    assert response.status_code == 201


def test_csv_round_trip(
    cycle: Cycle,
    org: Organisation,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    owner = make_person(org, Role.MEMBER)
    team = TeamFactory(organisation=org, name="Support")
    text = (
        "cycle,objective,owner_email,owner_team,kind,parent_objective,key_result,start,target,"
        "unit,current\n"
        "Q4,Customers trust us,,,committed,,NPS from 30 to 45,30,45,,36\n"
        f"Q4,Answers within a day,,Support,committed,Customers trust us,Reply from 30 to 8,30,8,"
        "h,\n"
        f"Q4,Learn the domain,{owner.email},,aspirational,,Cases solved alone from 0 to 6,0,6,,\n"
        f"Q4,Learn the domain,{owner.email},,aspirational,,Docs written from 0 to 3,0,3,,\n"
    )
    path = tmp_path / "okrs.csv"
    path.write_text(text, encoding="utf-8")
    call_command("okrs", "import", str(path))
    assert Objective.objects.count() == 3
    assert KeyResult.objects.count() == 4
    support = Objective.objects.get(owner_team=team)
    assert support.parent_links.get().parent.title == "Customers trust us"
    assert KeyResult.objects.get(title__startswith="NPS").current == 36
    capsys.readouterr()
    call_command("okrs", "export", "--cycle", "Q4")
    exported = capsys.readouterr().out
    assert exported.splitlines()[0].startswith("cycle,objective,owner_email")
    assert "Reply from 30 to 8" in exported
    assert ",36" in exported
    # the export imports again (into a fresh cycle of the same name elsewhere)
    other = Organisation.objects.create(name="Other", slug="other")
    Cycle.objects.create(organisation=other, name="Q4", start=cycle.start, end=cycle.end)
    TeamFactory(organisation=other, name="Support")
    Person.objects.create(organisation=other, name="O", email=owner.email)
    again = tmp_path / "again.csv"
    again.write_text(exported, encoding="utf-8")
    call_command("import", "okrs", str(again), "--org", "other")
    assert Objective.objects.filter(organisation=other).count() == 3


def test_csv_errors_name_line_and_column(cycle: Cycle, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "cycle,objective,key_result,start,target\nQ4,Fine,k,0,10\n"
        "Q9,Nope,k,0,10\nQ4,Bad,k,zero,10\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("okrs", "import", str(path))
    message = str(caught.value)
    assert f"{path}: line 3: cycle:" in message
    assert f"{path}: line 4: start:" in message
    assert not Objective.objects.exists()


def test_alignment_through_the_api(
    client: Client,
    cycle: Cycle,
    admin: Person,
    admin_actor: Actor,
    bearer: Callable[[Person], Headers],
) -> None:
    h = bearer(admin)
    parent = services.create_objective(
        actor=admin_actor, cycle=cycle, title="P", owner_kind="organisation"
    )
    child = services.create_objective(actor=admin_actor, cycle=cycle, title="C")
    response = post(
        client,
        f"/api/v1/objectives/{child.pk}/parents",
        {"parent_id": parent.pk, "kind": "supports"},
        h,
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "supports"
    body = client.get(f"/api/v1/objectives/{child.pk}", **h).json()
    assert body["parents"] == [{"id": parent.pk, "kind": "supports"}]
    loop = post(client, f"/api/v1/objectives/{parent.pk}/parents", {"parent_id": child.pk}, h)
    assert loop.status_code == 422
    assert "loop" in loop.json()["detail"][0]["msg"]
    gone = client.delete(f"/api/v1/objectives/{child.pk}/parents/{parent.pk}", **h)
    assert gone.status_code == 204
    assert client.get(f"/api/v1/objectives/{child.pk}", **h).json()["parents"] == []


def test_alignment_in_the_web(
    client: Client, cycle: Cycle, admin: Person, admin_actor: Actor
) -> None:
    parent = services.create_objective(
        actor=admin_actor, cycle=cycle, title="P", owner_kind="organisation"
    )
    child = services.create_objective(actor=admin_actor, cycle=cycle, title="C")
    assert admin.user is not None
    client.force_login(admin.user)
    page = client.get(f"/okrs/objectives/{child.pk}/").content.decode()
    assert 'name="parent"' in page
    client.post(f"/okrs/objectives/{child.pk}/align/", {"parent": parent.pk, "kind": "contributes"})
    assert child.parent_links.get().parent == parent
    client.post(f"/okrs/objectives/{child.pk}/align/", {"parent": parent.pk, "remove": "1"})
    assert not child.parent_links.exists()
