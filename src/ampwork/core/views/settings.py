"""The organisation's settings page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ampwork.core import services
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import OrganisationForm, add_errors
from ampwork.core.permissions import Actor, require

from .shared import member_view


@require_http_methods(["GET", "POST"])
@member_view
def organisation_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    org = actor.organisation
    require(actor, "organisation.edit", org)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        form.instance.refresh_from_db()
        try:
            services.update_organisation(actor=actor, **changes)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("core:settings")
    return render(request, "core/settings.html", {"form": form})
