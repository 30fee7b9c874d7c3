"""Invitations: those waiting for the signed-in account (accepted or declined by its owner),
and a new person's emailed link to choose their first password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import selectors, services, sso
from ampwork.core.errors import ValidationFailed
from ampwork.core.middleware import SESSION_KEY
from ampwork.core.models import User
from ampwork.core.services import sign_in_invites

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
        messages.success(request, _("You joined %(org)s.") % {"org": person.organisation.name})
        return redirect("core:home")
    messages.info(request, _("Invitation declined."))
    return redirect("core:invitations")


def _private(response: HttpResponse) -> HttpResponse:
    """A page reached by a secret link: never cached, the link never sent on as a referrer."""
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """A new person's emailed link: choose a password (once) and be signed in. A used,
    expired, replaced or forged link says why and changes nothing."""
    code = code[:100]
    row = sign_in_invites.find_invite(code)
    problem = sign_in_invites.problem_of(row)
    if problem or row is None:
        page = render(request, "core/join.html", {"problem": problem}, status=400)
        return _private(page)
    provider = sso.sso_only_provider(row.organisation, row.person.role)
    if provider is not None:
        # SSO only: no password to choose; the organisation's provider signs them in (and
        # connects them: the person the admin added, ampwork.core.sso)
        url = reverse("openid_connect_login", args=[provider.provider_id])
        context = {"invite": row, "sso_url": url}
        return _private(render(request, "core/join.html", context, status=200))
    form = SetPasswordForm(User(email=row.email, name=row.person.name), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_sign_in_invite(
                code=code, password=form.cleaned_data["new_password1"]
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
            return redirect("core:join", code=code)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_KEY] = row.organisation_id
        messages.success(request, _("Welcome to %(org)s.") % {"org": row.organisation.name})
        return redirect("core:home")
    status = 400 if request.method == "POST" else 200
    context = {"invite": row, "form": form}
    return _private(render(request, "core/join.html", context, status=status))
