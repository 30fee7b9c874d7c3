"""Fairness pages: the overview for people ops and admins, the EU and UK reports, imports,
and each person's own pay against their band. Companies only."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import csvexport
from ampwork.core import imports as core_imports
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.l10n import list_separator
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.core.views import member_view

from . import audit, gate, selectors, services
from .templatetags.fairness_tags import half_up

KIND_LABELS = {
    "compensation": gettext_lazy("Compensation"),
    "market": gettext_lazy("Market"),
    "bands": gettext_lazy("Bands"),
    "rates": gettext_lazy("Rates"),
}


def _company(actor: Actor) -> None:
    if actor.organisation.is_school:
        raise NotFound(_("pay fairness is for companies"))


FLAGGED_PAGE = 50


@member_view
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    _company(actor)
    require(actor, "fairness.view", actor.organisation)
    fresh = selectors.overview(actor.organisation)
    view = fresh.value
    if view is not None:
        # individual pay is on this page: every view is in the audit log
        record(
            actor,
            actor.organisation,
            "pay.viewed",
            None,
            page="fairness overview",
            people=view.people,
        )
    return render(
        request,
        "fairness/overview.html",
        {
            "gate": selectors.gate_of(actor.organisation),
            "view": view,
            "fresh": fresh,
            "flagged": Paginator(view.flagged if view else [], FLAGGED_PAGE).get_page(
                request.GET.get("page")
            ),
        },
    )


@require_POST
@member_view
def run(request: HttpRequest, actor: Actor) -> HttpResponse:
    _company(actor)
    try:
        result = services.run_audit(actor=actor)
    except ValidationFailed as exc:
        messages.error(request, list_separator().join(e.message for e in exc.errors))
    else:
        messages.success(
            request,
            _("Audit run: the fairness gate is %(status)s.")
            % {"status": gate.status_label(result.status)},
        )
    return redirect("fairness:overview")


def _report(actor: Actor) -> tuple[selectors.AuditData, dict[str, Any]]:
    _company(actor)
    require(actor, "fairness.view", actor.organisation)
    data = selectors.records(actor.organisation)
    if not data.records:
        raise NotFound(_("there is no pay to report on yet: import compensation first"))
    return data, audit.audit(data.records, data.reference, data.comparison)


@member_view
def report_eu(request: HttpRequest, actor: Actor) -> HttpResponse:
    data, result = _report(actor)
    if request.GET.get("format") == "csv":
        eu = result["eu"]
        rows = [
            ["measure (art. 9(1))", "value"],
            ["a: mean pay gap %", _fmt(eu["a_mean_gap"])],
            ["b: mean complementary/variable pay gap %", _fmt(eu["b_mean_variable_gap"])],
            ["c: median pay gap %", _fmt(eu["c_median_gap"])],
            ["d: median complementary/variable pay gap %", _fmt(eu["d_median_variable_gap"])],
        ]
        rows += [
            [f"e: receiving complementary/variable pay: {g} %", _fmt((v or 0) * 100)]
            for g, v in eu["e_receiving_variable"].items()
        ]
        for q in eu["f_quartiles"]:
            rows += [
                [f"f: quartile {q['quartile']}: {g} %", _fmt((q[g] or 0) * 100)]
                for g in (data.reference, data.comparison)
            ]
        rows += [[], ["left out of the comparison", result["left_out"]["n"]], []]
        rows += [
            [
                "role",
                "level",
                "people",
                f"n_{data.reference}",
                f"n_{data.comparison}",
                "basic_mean_gap_pct",
                "basic_median_gap_pct",
                "variable_mean_gap_pct",
                "total_mean_gap_pct",
                "total_median_gap_pct",
                "joint_pay_assessment",
            ]
        ]
        rows += [
            [
                c["role"],
                c["level"],
                c["n"],
                c["n_reference"],
                c["n_comparison"],
                _fmt(c["basic_mean_gap"]),
                _fmt(c["basic_median_gap"]),
                _fmt(c["variable_mean_gap"]),
                _fmt(c["total_mean_gap"]),
                _fmt(c["total_median_gap"]),
                "yes" if c["flag"] else "no",
            ]
            for c in result["categories"]
        ]
        return _csv("eu-pay-transparency.csv", rows)
    return render(
        request,
        "fairness/report_eu.html",
        {"data": data, "result": result, "left_out": audit.left_out_text(result["left_out"])},
    )


@member_view
def report_uk(request: HttpRequest, actor: Actor) -> HttpResponse:
    data, result = _report(actor)
    uk = result["uk"]
    if request.GET.get("format") == "csv":
        rows = [
            ["measure", "value"],
            ["mean pay gap %", _fmt(uk["mean_pay_gap"])],
            ["median pay gap %", _fmt(uk["median_pay_gap"])],
            ["mean bonus gap %", _fmt(uk["mean_bonus_gap"])],
            ["median bonus gap %", _fmt(uk["median_bonus_gap"])],
        ]
        rows += [
            [f"receiving a bonus: {g} %", _fmt((v or 0) * 100)]
            for g, v in uk["bonus_share"].items()
        ]
        for q in uk["quartiles"]:
            rows += [
                [f"quartile {q['quartile']}: {g} %", _fmt((q[g] or 0) * 100)]
                for g in (data.reference, data.comparison)
            ]
        rows.append(["left out of the comparison (people)", result["left_out"]["n"]])
        return _csv("uk-gender-pay-gap.csv", rows)
    return render(
        request,
        "fairness/report_uk.html",
        {"data": data, "uk": uk, "left_out": audit.left_out_text(result["left_out"])},
    )


def _fmt(value: float | None) -> str:
    """A figure for the CSV: one decimal, half up, the same digits as the page shows."""
    return half_up(value) or ""


def _csv(name: str, rows: list[list[Any]]) -> HttpResponse:
    out = io.StringIO()
    csvexport.writer(out).writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_view
def my_pay(request: HttpRequest, actor: Actor) -> HttpResponse:
    _company(actor)
    if actor.person is None:
        raise NotFound(_("no person record"))
    mine = selectors.my_pay(actor.person)
    return render(request, "fairness/my_pay.html", {"mine": mine})


class PayImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[(k, KIND_LABELS.get(k, k.capitalize())) for k in services.COLUMNS],
    )
    file = forms.FileField(label=gettext_lazy("CSV file (UTF-8, header row)"))


IMPORT_KEY = "ampwork_pay_import"


@require_http_methods(["GET", "POST"])
@member_view
def import_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    _company(actor)
    require(actor, "fairness.edit", actor.organisation)
    form = PayImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": request.GET.get("kind", "compensation")},
    )
    preview: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        try:
            text = core_imports.decode(upload.read(), upload.name)
            count = services.check_pay(actor=actor, kind=kind, text=text, source=upload.name)
        except ValidationFailed as exc:
            preview = {"kind": kind, "source": upload.name, "errors": exc.errors}
        else:
            preview = {"kind": kind, "source": upload.name, "count": count, "errors": []}
            request.session[IMPORT_KEY] = {"kind": kind, "name": upload.name, "text": text}
    return render(
        request,
        "fairness/import.html",
        {"form": form, "preview": preview, "columns": services.COLUMNS, "kinds": KIND_LABELS},
    )


@require_POST
@member_view
def import_commit(request: HttpRequest, actor: Actor) -> HttpResponse:
    _company(actor)
    staged = request.session.pop(IMPORT_KEY, None)
    if not staged:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("fairness:import")
    try:
        count = services.import_pay(
            actor=actor, kind=staged["kind"], text=staged["text"], source=staged["name"]
        )
    except ValidationFailed as exc:
        messages.error(
            request,
            _("Nothing was imported: %(problems)s")
            % {"problems": list_separator().join(exc.lines()[:5])},
        )
        return redirect("fairness:import")
    messages.success(
        request,
        ngettext(
            "Imported %(count)d %(kind)s rows from %(name)s.",
            "Imported %(count)d %(kind)s rows from %(name)s.",
            count,
        )
        % {"count": count, "kind": staged["kind"], "name": staged["name"]},
    )
    return redirect("fairness:overview")
