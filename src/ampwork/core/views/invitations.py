"""The invitations waiting for the signed-in account, accepted or declined by its owner."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ampwork.core import selectors, services
from ampwork.core.errors import ValidationFailed
from ampwork.core.middleware import SESSION_KEY

from .shared import flash_errors


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """The invitations waiting for the signed-in account: an organisation joins it only
    when its owner accepts here."""
    return render(
        request,
        "core/invitations.html",
        {"invitations": selectors.pending_invitations(request.user)},  # type: ignore[arg-type]
    )


@require_POST
@login_required
def invitation_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    user = request.user
    try:
        if decision == "accept":
            person = services.accept_invitation(user=user, invitation_id=pk)  # type: ignore[arg-type]
        else:
            services.decline_invitation(user=user, invitation_id=pk)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("core:invitations")
    if decision == "accept":
        request.session[SESSION_KEY] = person.organisation_id
        messages.success(request, f"You joined {person.organisation.name}.")
        return redirect("core:home")
    messages.info(request, "Invitation declined.")
    return redirect("core:invitations")
