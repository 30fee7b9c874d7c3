"""Advisor pages: the overview (readiness, the checklist, findings), a finding with its
evidence and acknowledgements, incentives, and the reward-style questions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import whole_number
from ampwork.core.permissions import Actor, can, require
from ampwork.core.views import attempt, flash_errors, member_view
from ampwork.okrs import selectors as okr_selectors

from . import selectors, services, style
from .models import Incentive


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return whole_number(raw)


@member_view
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "advisor.view")
    fresh = selectors.overview(actor)
    return render(
        request,
        "advisor/overview.html",
        {
            **fresh.value,
            "fresh": fresh,
            "may_tick": can(actor, "advisor.tick"),
            "school": actor.organisation.is_school,
            "policy": actor.organisation.get_autonomy_policy_display(),
        },
    )


@require_POST
@member_view
def tick(request: HttpRequest, actor: Actor) -> HttpResponse:
    post = request.POST
    team_id = _int(post.get("team_id"))
    team = core_selectors.get_team(actor.organisation, team_id) if team_id else None
    return attempt(
        request,
        _("Checklist updated."),
        lambda: services.tick(
            actor=actor,
            item=post.get("item", ""),
            done=post.get("done") == "on",
            note=post.get("note", ""),
            team=team,
        ),
        "advisor:overview",
    )


@member_view
def finding(request: HttpRequest, actor: Actor, key: str) -> HttpResponse:
    require(actor, "advisor.view")
    data = selectors.snapshot(actor)
    shown = selectors.get_finding(actor, data, key)
    if request.method == "POST":
        return attempt(
            request,
            _("Acknowledged. It stays listed, marked as seen, while the data shows it."),
            lambda: services.acknowledge(actor=actor, key=key, note=request.POST.get("note", "")),
            "advisor:finding",
            key=key,
        )
    return render(
        request,
        "advisor/finding.html",
        {
            "shown": shown,
            "may_open": selectors.may_open_evidence(actor, shown.finding),
            "history": list(selectors.acknowledgements(actor, key)),
        },
    )


@member_view
def incentives(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "advisor.view")
    if request.method == "POST":
        post = request.POST
        try:
            services.add_incentive(
                actor=actor,
                what=post.get("what", ""),
                outcome=post.get("outcome", ""),
                style=post.get("style", ""),
                amount=post.get("amount", ""),
                currency=post.get("currency", ""),
                reward_kind=post.get("reward_kind", ""),
                objective_id=_int(post.get("objective_id")),
                job_role=post.get("job_role", ""),
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, _("Incentive recorded; the advisor checks it against the work it rewards.")
            )
        return redirect("advisor:incentives")
    return render(
        request,
        "advisor/incentives.html",
        {
            "incentives": selectors.incentive_list(actor),
            "objectives": selectors.rewardable_objectives(actor),
            "styles": Incentive.Style.choices,
            "may_edit": can(actor, "incentives.edit"),
        },
    )


@require_POST
@member_view
def remove_incentive(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_incentive(actor, pk)
    services.remove_incentive(actor=actor, incentive=found)
    messages.success(request, _("Removed “%(what)s”.") % {"what": found.what})
    return redirect("advisor:incentives")


@member_view
def reward_style(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Four questions about a role or an objective → algorithmic or heuristic, and the
    reward practice that fits."""
    verdict = None
    source = request.POST if request.method == "POST" else request.GET
    objective_id = _int(source.get("objective"))
    objective = okr_selectors.get_objective(actor, objective_id) if objective_id else None
    if request.method == "POST":
        answers = style.Answers(
            **{name: request.POST.get(name) == "yes" for name, _text in style.QUESTIONS}
        )
        try:
            _assessment, verdict = services.assess_style(
                actor=actor,
                answers=answers,
                objective=objective,
                job_role="" if objective else request.POST.get("job_role", ""),
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
    return render(
        request,
        "advisor/reward_style.html",
        {
            "questions": style.QUESTIONS,
            "objective": objective,
            "verdict": verdict,
            "history": list(selectors.assessments(actor)[:20]),
            "job_role": request.POST.get("job_role", "") if request.method == "POST" else "",
            "school": actor.organisation.is_school,
        },
    )
