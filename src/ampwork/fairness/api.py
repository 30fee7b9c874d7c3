"""REST routes under /fairness: the gate, audits, reports, imports, and one's own pay.

Everything but ``/fairness/me`` is for people ops and admins; schools have no pay data.
"""

from typing import Literal, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from ampwork.apitools import actor, responses
from ampwork.core.errors import NotFound
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record

from . import audit, selectors, services
from .models import AuditRun
from .schemas import (
    AuditOut,
    EuReportOut,
    FullReportOut,
    GateOut,
    GateStatus,
    ImportIn,
    ImportOut,
    MyPayOut,
    UkReportOut,
    VariablePayOut,
)

router = Router(tags=["fairness"])


def _staff(request: HttpRequest) -> Actor:
    who = actor(request)
    if who.organisation.is_school:
        raise NotFound(_("pay fairness is for companies"))
    require(who, "fairness.view", who.organisation)
    return who


@router.get("/fairness/gate", response=responses(200, GateOut))
def get_gate(request: HttpRequest) -> GateOut:
    """The fairness gate: red with no audit in the last 12 months (docs/methods.md)."""
    gate = selectors.gate_of(_staff(request).organisation)
    return GateOut(
        status=cast(GateStatus, gate.status),
        reasons=gate.reasons,
        last_audit_at=gate.run.run_at if gate.run else None,
    )


@router.post("/fairness/audits", response=responses(201, AuditOut))
def run_audit(request: HttpRequest) -> Status[AuditRun]:
    who = _staff(request)
    return Status(201, services.run_audit(actor=who))


@router.get("/fairness/audits/latest", response=responses(200, AuditOut))
def latest_audit(request: HttpRequest) -> AuditRun:
    gate = selectors.gate_of(_staff(request).organisation)
    if gate.run is None:
        raise NotFound(_("no pay audit has been run"))
    return gate.run


@router.get(
    "/fairness/reports/{report}",
    response=responses(200, EuReportOut | UkReportOut | FullReportOut),
)
def report(
    request: HttpRequest, report: Literal["eu", "uk", "full"]
) -> EuReportOut | UkReportOut | FullReportOut:
    """The audit as of now: ``eu`` (art. 9(1)(a)–(g): gaps in total and in complementary or
    variable pay, quartiles, categories with basic, variable and total gaps), ``uk`` (six
    measures), ``full`` (everything, with each person's figures: recorded in the audit log).
    Gaps cover the two compared groups; ``left_out`` counts everyone else."""
    who = _staff(request)
    data = selectors.records(who.organisation)
    if not data.records:
        raise NotFound(_("there is no pay to report on yet"))
    result = audit.audit(data.records, data.reference, data.comparison)
    population = {
        "reference": data.reference,
        "comparison": data.comparison,
        "compared": result["compared"],
        "left_out": result["left_out"],
    }
    if report == "uk":
        return UkReportOut(**population, **result["uk"])
    if report == "eu":
        eu = result["eu"]
        return EuReportOut(
            **population,
            raw_gap=result["raw_gap"],
            quartiles=result["quartiles"],
            categories=result["categories"],
            a_mean_gap=eu["a_mean_gap"],
            b_mean_variable_gap=eu["b_mean_variable_gap"],
            c_median_gap=eu["c_median_gap"],
            d_median_variable_gap=eu["d_median_variable_gap"],
            e_receiving_variable=eu["e_receiving_variable"],
            variable_pay=VariablePayOut(
                mean_gap=eu["b_mean_variable_gap"],
                median_gap=eu["d_median_variable_gap"],
                share=eu["e_receiving_variable"],
            ),
        )
    record(
        who, who.organisation, "pay.viewed", None, page="api full report", people=len(data.records)
    )
    return FullReportOut(
        currency=data.currency, reference=data.reference, comparison=data.comparison, **result
    )


@router.post("/fairness/imports/{kind}", response=responses(201, ImportOut))
def import_file(
    request: HttpRequest,
    kind: Literal["compensation", "market", "bands", "rates"],
    payload: ImportIn,
) -> Status[ImportOut]:
    """Import a CSV given as text. All or nothing; ``dry_run`` checks without writing."""
    who = _staff(request)
    run = services.check_pay if payload.dry_run else services.import_pay
    count = run(actor=who, kind=kind, text=payload.csv, source=f"{kind}.csv")
    return Status(201, ImportOut(kind=kind, count=count, dry_run=payload.dry_run))


@router.get("/fairness/me", response=responses(200, MyPayOut))
def my_pay(request: HttpRequest) -> MyPayOut:
    """Your own pay against your band: nobody else's, ever."""
    who = actor(request)
    if who.organisation.is_school or who.person is None:
        raise NotFound(_("no pay record"))
    mine = selectors.my_pay(who.person)
    if mine.record is None:
        raise NotFound(_("no pay record has been imported for you"))
    return MyPayOut(
        annual_pay=mine.annual,
        currency=mine.currency,
        effective=mine.record.effective,
        band_min=mine.band.minimum if mine.band else None,
        band_max=mine.band.maximum if mine.band else None,
        compa_ratio=mine.compa_ratio,
        range_penetration=mine.range_penetration,
    )
