"""django-allauth, fitted to ampwork: organisations add their people, so nobody signs up on
their own; sign-in, password reset, two-factor and sessions are allauth's flows."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ampwork.core import languages, mail
from ampwork.core.models import Person

# Accounts that are nobody's Person yet may reset their password: apps say which (classroom:
# an active guardian's sign-in), as core imports no other app.
RESET_ALLOWED: list[Callable[[Any], bool]] = []
# An account without a usable password (single sign-on) has no way to reauthenticate: a
# sign-in this recent counts instead, before it adds or removes a second factor.
RECENT_SIGN_IN_SECONDS = 600


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """An account comes from an organisation (an admin adds a person, an invitation,
        a roster or single sign-on for an allowed domain), never from a sign-up form."""
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's emails (password reset) go through ampwork's worker like every other
        email: the answer does not wait for the mail server (its time would tell whether
        the address has an account), and a refused letter is retried. Never to an address
        under ``.invalid`` (RFC 6761): a rostered student without an email, a class-code
        student's account — addresses that only name an account."""
        if email.strip().lower().endswith(".invalid"):
            return
        ctx = {"email": email, **context}
        message = self.render_mail(template_prefix, email, ctx)
        mail.queue_on_commit(
            [message], kind="account." + template_prefix.rsplit("/", 1)[-1], org_id=None
        )

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        """Only an account that is someone's in an organisation where they are active gets
        a reset link, or an account an app allows (an active guardian's): a deactivated
        person gets nothing (the page says the same as ever)."""
        person = Person.objects.filter(user_id=user.pk, active=True).first()
        if person is None and not any(allowed(user) for allowed in RESET_ALLOWED):
            return
        # their own language if they chose one, else the browser's that asked for the link
        with languages.chosen_or_current(person):
            super().send_password_reset_mail(user, email, context)

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The emailed link names ampwork's public address (``BASE_URL``), never the Host
        header of whoever asked for the reset."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.BASE_URL + path.replace("UID-KEY", key)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Wrong passwords are django-axes' to count (per account and per address); allauth's
        "login_failed" limit is kept for what axes does not see, two-factor codes."""

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """An account with no way to reauthenticate (single sign-on: no usable password, no
        second factor yet) may set one up within ``RECENT_SIGN_IN_SECONDS`` of signing in,
        instead of a dead end (allauth answers 403 when no method is left)."""
        from allauth.account.internal.flows.login import get_authentication_records
        from allauth.account.internal.flows.reauthentication import get_reauthentication_flows
        from allauth.core import context

        request = context.request
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.has_usable_password()
            and not get_reauthentication_flows(user)
        ):
            records = get_authentication_records(request, user)
            at = max((float(r.get("at", 0)) for r in records), default=0.0)
            if time.time() - at < RECENT_SIGN_IN_SECONDS:
                return False
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        return required

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """A password (not single sign-on) sign-in: refused for a member of an organisation
        whose policy is "SSO only" (ampwork.core.sso), unless this browser just came back
        from that organisation's provider to connect the account (then it is connected)."""
        signal_kwargs = kwargs.get("signal_kwargs") or {}
        if "sociallogin" not in signal_kwargs:
            from ampwork.core import sso

            org = sso.sso_only_organisation(user)
            if org is not None and not sso.pending_allows(request, user, org):
                from allauth.account.internal.stagekit import clear_login

                clear_login(request)
                messages.error(
                    request,
                    _(
                        "%(org)s signs in through its own provider only: "
                        "use the “Sign in with %(org)s” button."
                    )
                    % {"org": org.name},
                )
                return redirect("core:login")
        response: HttpResponse | None = super().pre_login(request, user, **kwargs)
        return response

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Signed in (every stage passed): note which organisation's provider signed the
        session in (none for a password), and connect a provider's account this browser
        brought back just before, if it named this account's email (ampwork.core.sso)."""
        from ampwork.core import sso

        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        # a provider's sign-in opens only its own organisation (the middleware's list)
        sso.record_sign_in(request, sociallogin)
        if sociallogin is None:
            sso.connect_pending(request, user)
        response: HttpResponse = super().post_login(request, user, **kwargs)
        return response


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth is untyped
    """allauth.mfa's answers in ampwork's words: a refused code says why it may have been
    refused (a code works once, for its 30 seconds), so that a replay is not a mystery."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": gettext_lazy(
            "Incorrect code. A code works once, for 30 seconds: enter the one "
            "your app shows now, or a recovery code you have not used."
        ),
    }
