"""The home page (with the panels other apps add) and switching organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ampwork.core import selectors
from ampwork.core.middleware import SESSION_KEY
from ampwork.core.panels import HOME_PANELS
from ampwork.core.permissions import Actor

from .shared import elsewhere, member_view


def home(request: HttpRequest) -> HttpResponse:
    """The home page; an account that is no person of an organisation but belongs elsewhere
    (a guardian) lands on its own page instead."""
    user = request.user
    no_actor = user.is_authenticated and getattr(request, "actor", None) is None
    if no_actor and (url := elsewhere(user)):
        return redirect(url)
    return _home(request)


@member_view
def _home(request: HttpRequest, actor: Actor) -> HttpResponse:
    figures = selectors.home_figures(actor.organisation).value
    return render(
        request,
        "core/home.html",
        {
            "counts": figures.counts,
            "tree": figures.teams,
            "units": figures.units,
            "parent_unit": figures.parent,
            "me": actor.person,
            "panels": [panel for make in HOME_PANELS if (panel := make(actor))],
            "chart": figures.chart,
        },
    )


@require_POST
@member_view
def switch_organisation(request: HttpRequest, actor: Actor) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    for org in getattr(request, "organisations", []):
        if str(org.pk) == wanted:
            request.session[SESSION_KEY] = org.pk
            messages.info(request, _("You are now working in %(org)s.") % {"org": org.name})
            break
    else:
        messages.error(request, _("You are not a member of that organisation."))
    return redirect("core:home")
