"""django-allauth, fitted to ampwork: organisations add their people, so nobody signs up on
their own; sign-in, password reset, two-factor and sessions are allauth's flows."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
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
        the address has an account), and a refused letter is retried."""
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
