"""Rostering page: upload a OneRoster zip, see what would change, then confirm."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.permissions import Actor, require
from ampwork.core.views import member_view

from . import bundle, services
from .forms import RosterForm

SESSION_KEY = "ampwork_roster"


def _school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("rostering is for schools")
    require(actor, "roster.import", actor.organisation)


@require_http_methods(["GET", "POST"])
@member_view
def roster(request: HttpRequest, actor: Actor) -> HttpResponse:
    _school(actor)
    form = RosterForm(request.POST or None, request.FILES or None)
    result, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(bundle.MAX_BUNDLE_BYTES + 1)  # more is refused unread
        try:
            result = services.check_roster(
                actor=actor, files=services.read_bundle(data, upload.name)
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            request.session[SESSION_KEY] = {
                "name": upload.name,
                "zip": base64.b64encode(data).decode(),
            }
    refused = request.method == "POST" and bool(form.errors or errors)
    return render(
        request,
        "classroom/roster.html",
        {"form": form, "result": result, "errors": errors, "source": request.FILES.get("file")},
        status=400 if refused else 200,
    )


@require_POST
@member_view
def roster_confirm(request: HttpRequest, actor: Actor) -> HttpResponse:
    _school(actor)
    staged = request.session.pop(SESSION_KEY, None)
    if not staged:
        messages.error(request, "Nothing to import: upload the zip again.")
        return redirect("classroom:roster")
    try:
        files = services.read_bundle(base64.b64decode(staged["zip"]), staged["name"])
        result = services.import_roster(actor=actor, files=files, source=staged["name"])
    except ValidationFailed as exc:
        messages.error(request, "Nothing was imported: " + "; ".join(exc.lines()[:5]))
        return redirect("classroom:roster")
    said = "; ".join(
        f"{entity}: " + ", ".join(f"{n} {w}" for w, n in counts.items() if n and w != "unchanged")
        for entity, counts in result.counts.items()
        if any(n for w, n in counts.items() if w != "unchanged")
    )
    messages.success(
        request,
        f"Imported the roster {staged['name']}" + (f" — {said}." if said else ": no changes."),
    )
    return redirect("core:teams")
