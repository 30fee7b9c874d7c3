"""The pay reports of the API have schemas now (``EuReportOut``, ``UkReportOut``,
``FullReportOut``) and answer byte for byte what the hand-built documents answered: each
report is compared with the document built straight from the audit, as before."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from ninja.responses import NinjaJSONEncoder

from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.fairness import audit, selectors, services

from ..factories import PersonFactory


@pytest.fixture
def staff(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> Actor:
    return actor_of(make_person(org, Role.PEOPLE_OPS))


@pytest.fixture
def paid(org: Organisation, staff: Actor) -> None:
    """Two categories, variable pay for some, and people outside the two compared groups."""
    genders = ["male", "female", "male", "female", "female", "male", "", "non-binary", "male"]
    for i, _ in enumerate(genders):
        PersonFactory(
            organisation=org,
            email=f"p{i}@acme.example",
            job_role="Eng" if i < 5 else "Ops",
            level="L2",
            location="Berlin",
            hire_date=dt.date(2020, 1, 1),
        )
    rows = "\n".join(
        f"p{i}@acme.example,2025-01-01,{60000 + 1375 * i},EUR,{2000 * (i % 3)},{g}"
        for i, g in enumerate(genders)
    )
    services.import_pay(
        actor=staff,
        kind="compensation",
        text="email,effective,base_pay,currency,variable_pay,gender\n" + rows + "\n",
    )


def _as_before(org: Organisation, report: str) -> dict[str, Any]:
    """The document the report's handler built by hand before it had a schema."""
    data = selectors.records(org)
    result = audit.audit(data.records, data.reference, data.comparison)
    population = {
        "reference": data.reference,
        "comparison": data.comparison,
        "compared": result["compared"],
        "left_out": result["left_out"],
    }
    if report == "uk":
        return {**population, **result["uk"]}
    if report == "eu":
        return {
            **population,
            "raw_gap": result["raw_gap"],
            "quartiles": result["quartiles"],
            "categories": result["categories"],
            **{k: v for k, v in result["eu"].items() if k not in ("f_quartiles", "g_categories")},
            "variable_pay": {
                "mean_gap": result["eu"]["b_mean_variable_gap"],
                "median_gap": result["eu"]["d_median_variable_gap"],
                "share": result["eu"]["e_receiving_variable"],
            },
        }
    return {
        "currency": data.currency,
        "reference": data.reference,
        "comparison": data.comparison,
        **result,
    }


@pytest.mark.parametrize("report", ["eu", "uk", "full"])
def test_a_report_answers_byte_for_byte_as_before(
    client: Client,
    org: Organisation,
    paid: None,
    staff: Actor,
    bearer: Callable[[Person], dict[str, str]],
    report: str,
) -> None:
    assert staff.person is not None
    response = client.get(f"/api/v1/fairness/reports/{report}", **bearer(staff.person))
    assert response.status_code == 200
    expected = _as_before(org, report)
    assert expected["left_out"]["n"] == 2  # the blank and the third group are counted
    assert response.content == json.dumps(expected, cls=NinjaJSONEncoder).encode()


def test_the_report_schemas_are_named_in_the_openapi_document(
    client: Client, org: Organisation
) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    answer = schema["paths"]["/api/v1/fairness/reports/{report}"]["get"]["responses"]["200"]
    options = answer["content"]["application/json"]["schema"]["anyOf"]
    assert [o["$ref"].rsplit("/", 1)[1] for o in options] == [
        "EuReportOut",
        "UkReportOut",
        "FullReportOut",
    ]
    uk = schema["components"]["schemas"]["UkReportOut"]["properties"]
    assert list(uk)[-6:] == [
        "mean_pay_gap",
        "median_pay_gap",
        "mean_bonus_gap",
        "median_bonus_gap",
        "bonus_share",
        "quartiles",
    ]
