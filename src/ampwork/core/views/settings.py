"""The organisation's settings page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core import selectors, services, sso
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import IdentityProviderForm, OrganisationForm, add_errors
from ampwork.core.permissions import Actor, can, require
from ampwork.core.scim.protocol import base_url
from ampwork.core.services import sso as sso_services

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
            messages.success(request, _("Settings saved."))
            return redirect("core:settings")
    context: dict[str, object] = {"form": form}
    if can(actor, "scim.manage", org):
        context["scim"] = {
            "url": base_url(),
            "token": selectors.scim_token_of(org),
            "created": request.session.pop(NEW_SCIM_TOKEN_KEY, None),
        }
    return render(request, "core/settings.html", context)


NEW_SCIM_TOKEN_KEY = "ampwork_new_scim_token"


@require_POST
@member_view
def scim_token_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A new SCIM token (the active one, if any, stops working); shown once, on the
    settings page the browser is sent back to."""
    _token, plaintext = services.create_scim_token(actor=actor)
    request.session[NEW_SCIM_TOKEN_KEY] = plaintext
    return redirect(f"{reverse('core:settings')}#provisioning")


@require_POST
@member_view
def scim_token_revoke(request: HttpRequest, actor: Actor) -> HttpResponse:
    if services.revoke_scim_token(actor=actor):
        messages.success(request, _("The SCIM token was revoked: provisioning stops now."))
    return redirect(f"{reverse('core:settings')}#provisioning")


@require_http_methods(["GET", "POST"])
@member_view
def sso_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The organisation's single sign-on (OpenID Connect): the admin's, unless the
    operator set it in the environment (then read-only here)."""
    org = actor.organisation
    require(actor, "organisation.sso", org)
    current = sso.provider_of(org)
    callback = request.build_absolute_uri(
        reverse("openid_connect_callback", args=[f"{sso.PREFIX}{org.slug}"])
    )
    context: dict[str, Any] = {
        "current": current,
        "callback": callback,
        "env_prefix": sso.env_prefix(org),
    }
    if current is not None and current.from_environment:
        return render(request, "core/sso_settings.html", context)
    initial: dict[str, Any] = {"enabled": True}
    if current is not None:
        initial = {
            "issuer": current.issuer,
            "client_id": current.client_id,
            "allowed_domains": "\n".join(current.domains),
            "sso_only": current.sso_only,
            "enabled": current.enabled,
            "trust_email": current.trust_email,
        }
    form = IdentityProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = sso_services.save_identity_provider(actor=actor, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Single sign-on saved: the provider answered."))
            unlinked = getattr(saved, "unlinked", None)
            if unlinked is not None:
                messages.warning(
                    request,
                    ngettext(
                        "The issuer changed: %(count)d account link(s) to the old provider were "
                        "removed. Each person connects again at their next sign-in.",
                        "The issuer changed: %(count)d account link(s) to the old provider were "
                        "removed. Each person connects again at their next sign-in.",
                        unlinked,
                    )
                    % {"count": unlinked},
                )
            return redirect("core:sso_settings")
    context["form"] = form
    return render(request, "core/sso_settings.html", context, status=400 if form.errors else 200)
