"""The students' privacy page: each class's age band and recognition opt-in (its teacher,
or a head teacher), the school's recognition opt-in and retention policy, and the retention
policy's dry run (head teachers)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.forms import add_errors
from ampwork.core.permissions import Actor, can, require
from ampwork.core.views import attempt, member_view

from . import privacy_selectors, privacy_services, retention_services
from .forms import SchoolPrivacyForm
from .models import ClassSetting


def _in_school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("students' privacy settings are for schools")
    require(actor, "privacy.view", actor.organisation)


@require_http_methods(["GET", "POST"])
@member_view
def privacy(request: HttpRequest, actor: Actor) -> HttpResponse:
    _in_school(actor)
    head = can(actor, "privacy.school", actor.organisation)
    kept = privacy_selectors.school_privacy(actor.organisation)
    form = SchoolPrivacyForm(
        request.POST or None,
        initial={"recognition": kept.recognition, "retention_months": kept.retention_months},
    )
    if request.method == "POST":
        require(actor, "privacy.school", actor.organisation)
        if form.is_valid():
            try:
                privacy_services.set_school_privacy(
                    actor=actor,
                    recognition=form.cleaned_data["recognition"],
                    retention_months=form.cleaned_data["retention_months"],
                )
            except ValidationFailed as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The school's privacy settings are saved."))
                return redirect("classroom:privacy")
    return render(
        request,
        "classroom/privacy.html",
        {
            "head": head,
            "kept": kept,
            "form": form,
            "classes": privacy_selectors.classes_for(actor),
            "bands": ClassSetting.Band.choices,
            "plan": retention_services.dry_run(actor=actor) if head else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@member_view
def privacy_class(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    _in_school(actor)
    team = core_selectors.get_team(actor.organisation, pk)
    require(actor, "class.settings", team)
    return attempt(
        request,
        _("Saved the settings of %(name)s.") % {"name": team.name},
        lambda: privacy_services.set_class(
            actor=actor,
            team=team,
            age_band=request.POST.get("age_band", ""),
            recognition=request.POST.get("recognition") == "on",
        ),
        "classroom:privacy",
    )
