"""The signed-in account's own pages: signing in, the password, personal API tokens."""

from __future__ import annotations

from typing import Any

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import selectors, services, sso
from ampwork.core.forms import TokenForm
from ampwork.core.permissions import Actor, require

from .shared import member_view

NEW_TOKEN_KEY = "ampwork_new_token"


class SignInView(allauth_views.LoginView):  # type: ignore[misc]  # allauth is untyped
    """allauth's sign-in (its two-factor stage, rate limits and single sign-on buttons) at
    ampwork's address; django-axes still refuses a locked-out account or address first."""

    template_name = "account/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # the "Sign in with …" buttons are plain links to each provider's continue page
        # (the only page whose Content-Security-Policy lets a form go to that provider)
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["sso_providers"] = [
            {
                "name": found.organisation.name,
                "url": reverse("openid_connect_login", args=[found.provider_id]),
            }
            for found in sso.enabled_providers()
        ]
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"

    def get_success_url(self) -> str:
        messages.success(self.request, pgettext("message", "Your password has been changed."))
        return reverse("core:home")


@require_http_methods(["GET", "POST"])
@member_view
def tokens(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "tokens.create")  # never a school's student (a class-code sign-in)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, plaintext = services.create_token(actor=actor, name=form.cleaned_data["name"])
        # Post/redirect/get: shown once, and a reload does not make a second token.
        request.session[NEW_TOKEN_KEY] = plaintext
        return redirect("core:tokens")
    created = request.session.pop(NEW_TOKEN_KEY, None)
    assert actor.user is not None
    rows = selectors.tokens_for(actor.user, actor.organisation)
    return render(request, "core/tokens.html", {"form": form, "tokens": rows, "created": created})


@require_POST
@member_view
def token_revoke(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    assert actor.user is not None
    token = selectors.tokens_for(actor.user, actor.organisation).filter(pk=pk).first()
    if token is not None:
        services.revoke_token(actor=actor, token=token)
        messages.success(request, _("Token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("core:tokens")
