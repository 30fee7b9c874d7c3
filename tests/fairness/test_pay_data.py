"""Pay data in the database: imports, access, the audit log, the gate, the reports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.fairness import selectors, services
from ampwork.fairness.models import AuditRun, CompensationRecord

from ..factories import PersonFactory

Headers = dict[str, str]


@pytest.fixture
def staff(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> Actor:
    return actor_of(make_person(org, Role.PEOPLE_OPS))


@pytest.fixture
def paid(org: Organisation, staff: Actor) -> list[Person]:
    people = [
        PersonFactory(
            organisation=org,
            email=f"p{i}@acme.example",
            job_role="Eng",
            level="L2",
            location="Berlin",
            hire_date=dt.date(2020, 1, 1),
        )
        for i in range(8)
    ]
    rows = "\n".join(
        f"p{i}@acme.example,2025-01-01,{60000 + 1000 * i},EUR,{'female' if i % 2 else 'male'}"
        for i in range(8)
    )
    services.import_pay(
        actor=staff,
        kind="compensation",
        text="email,effective,base_pay,currency,gender\n" + rows + "\n",
    )
    services.import_pay(
        actor=staff,
        kind="bands",
        text="job_role,level,location,currency,minimum,maximum\nEng,L2,Berlin,EUR,55000,75000\n",
    )
    return people


def test_bad_rows_are_refused_whole(org: Organisation, staff: Actor) -> None:
    PersonFactory(organisation=org, email="a@acme.example")
    text = (
        "email,effective,base_pay,currency\n"
        "a@acme.example,2025-01-01,-100,EUR\n"
        "a@acme.example,2025-01-01,,EUR\n"
        "a@acme.example,2025-01-01,50000,GBP\n"
        "a@acme.example,2025-01-01,50000,EUR\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        services.import_pay(actor=staff, kind="compensation", text=text, source="pay.csv")
    found = {(e.line, e.field) for e in caught.value.errors}
    assert found == {(2, "base_pay"), (3, "base_pay"), (4, "currency")}
    assert "no exchange rate for GBP" in str(caught.value)
    assert not CompensationRecord.objects.exists()
    services.import_pay(actor=staff, kind="rates", text="currency,rate\nGBP,1.17\n")
    assert (
        services.import_pay(
            actor=staff,
            kind="compensation",
            text=text.replace("-100", "100").replace(",,EUR", ",10,EUR"),
        )
        == 4
    )


def test_newest_effective_record_counts_and_is_converted(org: Organisation, staff: Actor) -> None:
    PersonFactory(organisation=org, email="a@acme.example", job_role="Eng", level="L1")
    services.import_pay(actor=staff, kind="rates", text="currency,rate\nUSD,0.5\n")
    services.import_pay(
        actor=staff,
        kind="compensation",
        text=(
            "email,effective,base_pay,currency,period,fte\n"
            "a@acme.example,2024-01-01,1000,USD,monthly,1\n"
            "a@acme.example,2025-01-01,3000,USD,monthly,0.5\n"
        ),
    )
    data = selectors.records(org)
    # 3,000 a month × 12 = 36,000 USD at half time = 72,000 full time; × 0.5 = 36,000 EUR
    assert data.records[0].annual == pytest.approx(36_000)


def test_only_people_ops_and_admins_import_or_audit(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    manager = actor_of(make_person(org, Role.MANAGER))
    with pytest.raises(NotAllowed):
        services.import_pay(actor=manager, kind="rates", text="currency,rate\nUSD,1\n")
    with pytest.raises(NotAllowed):
        services.run_audit(actor=manager)


def test_nobody_reads_anyone_elses_pay(
    client: Client,
    org: Organisation,
    paid: list[Person],
    make_person: Callable[..., Person],
    bearer: Callable[[Person], Headers],
) -> None:
    for role in (Role.MEMBER, Role.MANAGER):
        someone = make_person(org, role)
        h = bearer(someone)
        for url in [
            "/api/v1/fairness/gate",
            "/api/v1/fairness/reports/full",
            "/api/v1/fairness/reports/eu",
            "/api/v1/fairness/audits/latest",
        ]:
            assert client.get(url, **h).status_code == 403, url
        assert client.post("/api/v1/fairness/audits", **h).status_code == 403
        # their own pay: none imported for them
        assert client.get("/api/v1/fairness/me", **h).status_code == 404
        client.force_login(someone.user)
        for url in [
            "/fairness/",
            "/fairness/reports/eu/",
            "/fairness/reports/uk/?format=csv",
            "/fairness/import/",
        ]:
            assert client.get(url).status_code == 403, url
        page = client.get("/fairness/me/").content.decode()
        assert "61,000" not in page
        assert "61000" not in page
        client.logout()
    # a person sees their own
    own = paid[1]
    from ampwork.core.services import grant_login

    grant_login(actor=Actor.system(org), person=own, password="a long enough pass")
    own.refresh_from_db()
    body = client.get("/api/v1/fairness/me", **bearer(own)).json()
    assert body["annual_pay"] == 61_000
    assert body["compa_ratio"] == pytest.approx(61 / 65)


def test_export_of_pay_is_admin_only_and_audited(
    client: Client,
    org: Organisation,
    paid: list[Person],
    staff: Actor,
    bearer: Callable[[Person], Headers],
) -> None:
    """The organisation export (the only other route to pay) is the operator's CLI; the API
    report with everyone's pay is staff only and leaves a trace in the audit log."""
    assert staff.person is not None
    h = bearer(staff.person)
    response = client.get("/api/v1/fairness/reports/full", **h)
    assert response.status_code == 200
    assert len(response.json()["people"]) == 8
    assert AuditEvent.objects.filter(action="pay.viewed").exists()
    # and no survey answers or pay figures in the audit log's details
    assert all("base_pay" not in json.dumps(e.detail) for e in AuditEvent.objects.all())


def test_audit_run_and_gate(
    org: Organisation,
    paid: list[Person],
    staff: Actor,
    client: Client,
    bearer: Callable[[Person], Headers],
) -> None:
    assert selectors.gate_of(org).status == "red"  # no audit yet
    run = services.run_audit(actor=staff)
    assert run.status in {"green", "amber", "red"}
    gate = selectors.gate_of(org)
    assert gate.run == run
    assert gate.reasons == run.reasons
    AuditRun.objects.filter(pk=run.pk).update(run_at=run.run_at - dt.timedelta(days=400))
    assert selectors.gate_of(org).status == "red"
    assert "12 months" in selectors.gate_of(org).reasons[0]
    assert staff.person is not None
    h = bearer(staff.person)
    assert client.post("/api/v1/fairness/audits", **h).status_code == 201
    assert client.get("/api/v1/fairness/gate", **h).json()["status"] == run.status


def test_api_import_with_dry_run(
    client: Client, org: Organisation, staff: Actor, bearer: Callable[[Person], Headers]
) -> None:
    assert staff.person is not None
    h = bearer(staff.person)
    body = {"csv": "currency,rate\nUSD,0.9\n", "dry_run": True}
    response = client.post(
        "/api/v1/fairness/imports/rates", json.dumps(body), content_type="application/json", **h
    )
    assert response.status_code == 201
    assert response.json()["count"] == 1
    assert "USD" not in selectors.currencies(org)
    bad = client.post(
        "/api/v1/fairness/imports/rates",
        json.dumps({"csv": "currency,rate\nUSD,-1\n"}),
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "line 2", "rate"]


def test_schools_have_no_pay(
    school: Organisation,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], Headers],
    client: Client,
) -> None:
    head = make_person(school, Role.ADMIN)
    assert client.get("/api/v1/fairness/gate", **bearer(head)).status_code == 404
    client.force_login(head.user)
    assert client.get("/fairness/").status_code == 404


def test_demo_plants_a_gap_the_audit_finds(db: Any) -> None:
    call_command("demo", "--no-serve")
    run = AuditRun.objects.get(organisation__slug="brightwater")
    adjusted = run.summary["adjusted_gap"]
    assert adjusted["ci95"][0] <= -0.06 <= adjusted["ci95"][1]
    assert run.status == "red"


def test_a_file_that_is_not_csv_is_refused_with_its_line(admin_actor: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.import_pay(actor=admin_actor, kind="market", text="a\rb,c\n", source="bad.csv")
    assert caught.value.source == "bad.csv"
    assert [(e.field, e.line) for e in caught.value.errors] == [("file", 1)]
    assert "not valid CSV" in caught.value.errors[0].message


# ---------------------------------------------------------------- absurd amounts (issue 14)


def test_absurd_amounts_are_refused_with_file_line_and_field(
    org: Organisation, staff: Actor
) -> None:
    """Before, 1e308 was imported (and overflowed to infinity once annualised)."""
    PersonFactory(organisation=org, email="a@acme.example")
    text = (
        "email,effective,base_pay,currency,variable_pay,complementary_pay,fte,factor:shift\n"
        "a@acme.example,2025-01-01,1e308,EUR,,,,\n"
        "a@acme.example,2025-01-01,50000,EUR,inf,,,\n"
        "a@acme.example,2025-01-01,50000,EUR,,nan,,\n"
        "a@acme.example,2025-01-01,50000,EUR,-1,,,\n"
        "a@acme.example,2025-01-01,50000,EUR,,,nan,\n"
        "a@acme.example,2025-01-01,50000,EUR,,,,1e308\n"
        "a@acme.example,2025-01-01,1000000000001,EUR,,,,\n"
        "a@acme.example,2025-01-01,1000000000000,EUR,,,,\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        services.import_pay(actor=staff, kind="compensation", text=text, source="pay.csv")
    found = {(e.line, e.field): e.message for e in caught.value.errors}
    assert set(found) == {
        (2, "base_pay"),
        (3, "variable_pay"),
        (4, "complementary_pay"),
        (5, "variable_pay"),
        (6, "fte"),
        (7, "factor:shift"),
        (8, "base_pay"),
    }
    assert "plausible" in found[(2, "base_pay")]
    assert "finite" in found[(3, "variable_pay")]
    assert "pay.csv: line 2: base_pay: '1e308' is not a plausible amount" in caught.value.lines()[0]
    assert not CompensationRecord.objects.exists()


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [
        ("market", "job_role,level,currency,p25,p50,p75\nEng,L1,EUR,1,2,1e308\n", "p75"),
        ("bands", "job_role,level,currency,minimum,maximum\nEng,L1,EUR,1,inf\n", "maximum"),
        ("rates", "currency,rate\nUSD,1e308\n", "rate"),
        ("rates", "currency,rate\nUSD,1e-12\n", "rate"),
    ],
)
def test_absurd_amounts_in_other_pay_files(
    org: Organisation, staff: Actor, kind: str, text: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.import_pay(actor=staff, kind=kind, text=text, source=f"{kind}.csv")
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, field)]


def test_absurd_amounts_in_the_cli_file() -> None:
    from ampwork.fairness import csvinput

    text = (
        "employee_id,base_pay,variable_pay,market_p50,factor:shift\n"
        "1,1e308,,,\n"
        "2,50000,,inf,\n"
        "3,50000,,,nan\n"
        "4,50000,1e13,,\n"
        "5,50000,,,2.5\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        csvinput.read(text, "pay.csv")
    assert [(e.line, e.field) for e in caught.value.errors] == [
        (2, "base_pay"),
        (3, "market_p50"),
        (4, "factor:shift"),
        (5, "variable_pay"),
    ]


def test_api_refuses_an_absurd_amount_with_its_line(
    client: Client, org: Organisation, staff: Actor, bearer: Callable[[Person], Headers]
) -> None:
    PersonFactory(organisation=org, email="a@acme.example")
    assert staff.person is not None
    body = {"csv": "email,effective,base_pay,currency\na@acme.example,2025-01-01,1e308,EUR\n"}
    bad = client.post(
        "/api/v1/fairness/imports/compensation",
        json.dumps(body),
        content_type="application/json",
        **bearer(staff.person),
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "line 2", "base_pay"]
    assert not CompensationRecord.objects.exists()


# ---------------------------------------------------------------- variable pay and population


def test_bonuses_reach_the_eu_report_and_the_gate(
    org: Organisation, staff: Actor, client: Client, bearer: Callable[[Person], Headers]
) -> None:
    """Equal base pay, bonuses 10,000 against 2,000: the category is flagged (issue 13, 3)."""
    for i in range(4):
        PersonFactory(organisation=org, email=f"b{i}@acme.example", job_role="Eng", level="L2")
    services.import_pay(
        actor=staff,
        kind="compensation",
        text=(
            "email,effective,base_pay,currency,variable_pay,complementary_pay,gender\n"
            "b0@acme.example,2025-01-01,50000,EUR,10000,,male\n"
            "b1@acme.example,2025-01-01,50000,EUR,10000,500,male\n"
            "b2@acme.example,2025-01-01,50000,EUR,2000,,female\n"
            "b3@acme.example,2025-01-01,50000,EUR,2000,500,female\n"
        ),
    )
    assert CompensationRecord.objects.filter(complementary_pay=500).count() == 2
    run = services.run_audit(actor=staff)
    (category,) = run.summary["categories"]
    assert category["flag_total"]
    assert not category["flag_basic"]
    assert run.status == "red"
    assert any("categor" in r for r in run.reasons)
    assert staff.person is not None
    eu = client.get("/api/v1/fairness/reports/eu", **bearer(staff.person)).json()
    # complementary or variable pay among those who receive it: 10,250 against 2,250
    assert eu["b_mean_variable_gap"] == pytest.approx(8_000 / 10_250 * 100)
    assert eu["categories"][0]["flag"] is True


def test_people_without_gender_are_left_out_and_counted(
    org: Organisation, paid: list[Person], staff: Actor, client: Client
) -> None:
    for i in range(3):
        PersonFactory(organisation=org, email=f"n{i}@acme.example", job_role="Eng", level="L2")
    services.import_pay(
        actor=staff,
        kind="compensation",
        text="email,effective,base_pay,currency,factor:shift\n"
        + "".join(f"n{i}@acme.example,2025-01-01,30000,EUR,{i}.5\n" for i in range(3)),
    )
    data = selectors.records(org)
    assert {r.factors["shift"] for r in data.records if r.factors} == {0.5, 1.5, 2.5}
    run = services.run_audit(actor=staff)
    assert run.summary["left_out"] == {"n": 3, "blank": 3, "other": {}}
    assert run.summary["groups"] == {"male": 4, "female": 4}
    assert sum(q["n"] for q in run.summary["quartiles"]) == 8
    assert staff.person is not None
    client.force_login(staff.person.user)
    page = client.get("/fairness/").content.decode()
    assert "3 left out of the comparison: 3 with no gender recorded" in page
    eu = client.get("/fairness/reports/eu/").content.decode()
    assert "3 left out of the comparison" in eu
    assert "(g) Categories of workers" in eu
    csv_text = client.get("/fairness/reports/eu/?format=csv").content.decode()
    assert "a: mean pay gap %" in csv_text
    assert "total_mean_gap_pct" in csv_text
