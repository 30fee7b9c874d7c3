"""Sign-in throttling with django-axes: the account's spelling, the page a locked-out
person sees, and the audit event each affected organisation gets.

The limits are settings (``LOGIN_FAILURE_LIMIT`` failures, ``LOGIN_COOLOFF_MINUTES``);
django-axes counts failures per account and per address and refuses both, even with the
right password, until the wait is over. Nothing here decides; it only explains and records.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger(__name__)

ACTION = "login.locked_out"


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in names, spelled as accounts are (emails match case-insensitively),
    so that ``Ann@X`` and ``ann@x `` count against the same account."""
    field = str(settings.AXES_USERNAME_FORM_FIELD)
    value = (credentials or {}).get(field)
    if value is None:
        value = getattr(request, "POST", {}).get(field)
    if value is None:
        return None
    return str(value).strip().lower()


def message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"Too many failed sign-ins; try again in {minutes} minutes."


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page again, saying plainly why, with HTTP 429 (Too Many Requests)."""
    from .forms import SignInForm

    messages.error(request, message())
    form = SignInForm(request, initial={"username": username(request, credentials) or ""})
    response = render(
        request,
        "core/sign_in.html",
        {"form": form, "next": request.POST.get("next", "")},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


@receiver(user_locked_out, dispatch_uid="ampwork.core.throttle.audit_lockout")
def audit_lockout(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    """Write ``login.locked_out`` to the audit log of every organisation the account belongs
    to, once per account, address and wait (axes logs every attempt itself)."""
    from .models import AuditEvent, Person
    from .services import record

    address = kwargs.get("ip_address") or ""
    log.warning("sign-in locked out: account %r from %s", username, address)
    if not username:
        return
    people = Person.objects.filter(user__email__iexact=username).select_related("organisation")
    since = timezone.now() - dt.timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    for person in people:
        already = AuditEvent.objects.filter(
            organisation=person.organisation,
            action=ACTION,
            target_type="Person",
            target_id=str(person.pk),
            detail__address=address,
            created_at__gte=since,
        ).exists()
        if not already:
            record(
                None,
                person.organisation,
                ACTION,
                person,
                email=username,
                address=address,
                failures=getattr(request, "axes_failures_since_start", None),
                minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            )
