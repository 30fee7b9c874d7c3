"""django-allauth, fitted to ampwork: organisations add their people, so nobody signs up on
their own; sign-in, password reset, two-factor and sessions are allauth's flows."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """An account comes from an organisation (an admin adds a person, an invitation,
        a roster or single sign-on for an allowed domain), never from a sign-up form."""
        return False
