"""django-allauth, fitted to ampwork: organisations add their people, so nobody signs up on
their own; sign-in, password reset, two-factor and sessions are allauth's flows."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ampwork.core import mail
from ampwork.core.models import Person


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
        a reset link: a deactivated person gets nothing (the page says the same as ever)."""
        if not Person.objects.filter(user_id=user.pk, active=True).exists():
            return
        super().send_password_reset_mail(user, email, context)

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The emailed link names ampwork's public address (``BASE_URL``), never the Host
        header of whoever asked for the reset."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.BASE_URL + path.replace("UID-KEY", key)

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
                    f"{org.name} signs in through its own provider only: "
                    f"use the “Sign in with {org.name}” button.",
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
        "incorrect_code": "Incorrect code. A code works once, for 30 seconds: enter the one "
        "your app shows now, or a recovery code you have not used.",
    }
