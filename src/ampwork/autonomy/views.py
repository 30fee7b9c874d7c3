"""Autonomy pages: my autonomy, a person's (for their managers), and the team grid."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Role
from ampwork.core.permissions import Actor, can
from ampwork.core.views import member_view

from . import rules, selectors, services


def _context(actor: Actor, data: selectors.PersonAutonomy) -> dict[str, object]:
    school = actor.organisation.is_school
    return {
        "data": data,
        "school": school,
        "ts": [
            (t, rules.T_LABELS[t], data.levels[t], rules.describe(data.levels[t], school))
            for t in rules.TS
        ],
        "may_manage": can(actor, "autonomy.manage", data.person),
        "scale": [(lv, rules.describe(lv, school)) for lv in range(rules.TOP + 1)],
    }


@member_view
def mine(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor.person is None:
        raise NotFound("no person record")
    data = selectors.person_autonomy(actor, actor.person)
    teams = []
    if actor.role in (Role.MANAGER, Role.ADMIN):
        led = core_selectors.led_teams(actor.person)
        teams = list(core_selectors.teams(actor.organisation).filter(pk__in=led))
    return render(
        request, "autonomy/person.html", {**_context(actor, data), "mine": True, "led": teams}
    )


@member_view
def person(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    subject = selectors.get_person(actor, pk)
    data = selectors.person_autonomy(actor, subject)
    return render(
        request, "autonomy/person.html", {**_context(actor, data), "mine": subject == actor.person}
    )


@member_view
def grid(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    team = core_selectors.get_team(actor.organisation, pk)
    if not can(actor, "autonomy.manage", team):
        raise NotAllowed("The team grid is for the team's leads and admins.")
    data = selectors.team_grid(actor, team)
    school = actor.organisation.is_school
    return render(
        request,
        "autonomy/grid.html",
        {
            "grid": data,
            "ts": [(t, rules.T_LABELS[t]) for t in rules.TS],
            "school": school,
            "scale": [(lv, rules.describe(lv, school)) for lv in range(rules.TOP + 1)],
        },
    )


@require_POST
@member_view
def decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Grant, defer or decline a suggested step — or set a level directly."""
    subject = selectors.get_person(actor, pk)
    post = request.POST
    try:
        level = int(post.get("level", ""))
    except ValueError:
        messages.error(request, "Choose a level.")
        return redirect(post.get("next") or "autonomy:person", pk=pk)
    try:
        if post.get("outcome"):
            services.decide(
                actor=actor,
                person=subject,
                t=post.get("t", ""),
                level=level,
                outcome=post["outcome"],
                note=post.get("note", ""),
                guardrails=post.get("guardrails", ""),
            )
        else:
            services.set_level(
                actor=actor,
                person=subject,
                t=post.get("t", ""),
                level=level,
                why=post.get("note", ""),
                guardrails=post.get("guardrails", ""),
            )
    except ValidationFailed as exc:
        messages.error(request, "; ".join(e.message for e in exc.errors))
    else:
        messages.success(request, f"Recorded for {subject.name}.")
    target = post.get("next", "")
    if target.startswith("/autonomy/"):
        return redirect(target)
    return redirect("autonomy:person", pk=pk)
