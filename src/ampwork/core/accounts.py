"""django-allauth, fitted to ampwork: organisations add their people, so nobody signs up on
their own; sign-in, password reset, two-factor and sessions are allauth's flows."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """An account comes from an organisation (an admin adds a person, an invitation,
        a roster or single sign-on for an allowed domain), never from a sign-up form."""
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Never to an address under ``.invalid`` (RFC 6761): a rostered student without an
        email, a class-code student's account — addresses that only name an account."""
        if email.strip().lower().endswith(".invalid"):
            return
        super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth is untyped
    """allauth.mfa's answers in ampwork's words: a refused code says why it may have been
    refused (a code works once, for its 30 seconds), so that a replay is not a mystery."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "Incorrect code. A code works once, for 30 seconds: enter the one "
        "your app shows now, or a recovery code you have not used.",
    }
