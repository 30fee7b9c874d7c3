"""Team pages: the list, one team, adding and editing, members, the org chart."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import selectors, services
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import MembershipForm, TeamForm, add_errors, whole_number
from ampwork.core.permissions import Actor, require

from .shared import flash_errors, member_view


@member_view
def team_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "teams.view")
    nodes = selectors.flatten(selectors.team_tree(actor.organisation))
    page = Paginator(nodes, 200).get_page(request.GET.get("page"))
    return render(request, "core/team_list.html", {"nodes": page.object_list, "page": page})


@member_view
def team_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "teams.view")
    team, members, subteams = selectors.team_detail(actor.organisation, pk)
    return render(
        request,
        "core/team_detail.html",
        {
            "team": team,
            "members": members,
            "subteams": subteams,
            "membership_form": MembershipForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def team_form(request: HttpRequest, actor: Actor, pk: int | None = None) -> HttpResponse:
    org = actor.organisation
    team = selectors.get_team(org, pk) if pk is not None else None
    require(actor, "teams.edit", team or org)
    initial: dict[str, Any] = {"kind": "class" if org.is_school else "team"}
    if team is not None:
        initial = {
            "name": team.name,
            "kind": team.kind,
            "parent": team.parent_id or "",
            "description": team.description,
        }
    elif request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = TeamForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "kind": data["kind"],
            "description": data["description"],
            "parent_id": int(data["parent"]) if data["parent"] else None,
        }
        try:
            if team is None:
                team = services.create_team(actor=actor, **fields)
            else:
                services.update_team(actor=actor, team=team, **fields)
        except ValidationFailed as exc:
            add_errors(form, exc, {"parent_id": "parent"})
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": team.name})
            return redirect("core:team", pk=team.pk)
    return render(request, "core/team_form.html", {"form": form, "team": team})


@require_POST
@member_view
def team_add_member(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    team = selectors.get_team(actor.organisation, pk)
    require(actor, "memberships.edit", team)
    form = MembershipForm(request.POST)
    if form.is_valid():
        person = (
            selectors.people(actor.organisation, active=None)
            .filter(email__iexact=form.cleaned_data["email"])
            .first()
        )
        try:
            if person is None:
                raise ValidationFailed.single("email", _("nobody here has that email"))
            services.add_membership(
                actor=actor, team_id=team.pk, person_id=person.pk, role=form.cleaned_data["role"]
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, _("%(name)s joined %(team)s.") % {"name": person.name, "team": team.name}
            )
    else:
        messages.error(request, _("Enter the email of someone in this organisation."))
    return redirect("core:team", pk=pk)


@require_POST
@member_view
def membership_remove(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    membership = selectors.get_membership(actor.organisation, pk)
    team_id = membership.team_id
    services.remove_membership(actor=actor, membership=membership)
    messages.success(request, _("Removed from the team."))
    return redirect("core:team", pk=team_id)


@member_view
def org_chart(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "teams.view")
    raw = request.GET.get("team", "")
    team_id = whole_number(raw)
    level = selectors.org_chart_level(actor.organisation, team_id)
    template = "core/_org_chart_level.html" if request.htmx else "core/org_chart.html"  # type: ignore[attr-defined]
    return render(request, template, {"level": level})
