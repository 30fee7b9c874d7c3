"""Sign-in throttling with django-axes: the account's spelling, the per-address limit, the
page a locked-out person sees, and the audit event each affected organisation gets.

Two limits, both counted in django-axes' ``AccessAttempt`` table (the shared database, so
every app server sees the same counts; the default cache is per process):

* per account: ``LOGIN_FAILURE_LIMIT`` (5) failures for one account, from any address,
  lock that account (django-axes' own ``AXES_LOCKOUT_PARAMETERS = ["username"]``; the
  account+address pair is contained in it: its count can never be higher);
* per address: ``LOGIN_ADDRESS_FAILURE_LIMIT`` (50) failures from one address, for any
  accounts, lock that address. A school or office behind one shared (NAT) address is not
  locked out by one person's mistypes; password spraying from one address still is.

django-axes compares the largest of its per-parameter counts with one limit, so it cannot
give the address a looser limit by itself; ``SignInHandler`` (``AXES_HANDLER``) adds the
address count to its ``get_failures``. Both locks last ``LOGIN_COOLOFF_MINUTES`` and refuse
even the right password.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from ampwork.logs import account_hash, event

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


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, for any account."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


class SignInHandler(AxesDatabaseHandler):  # type: ignore[misc]  # django-axes is untyped
    """django-axes' database handler, with a separate, looser limit per address.

    ``get_failures`` is what django-axes compares with ``AXES_FAILURE_LIMIT``, both before a
    password is checked and after each failure (when it sends ``user_locked_out``). It is
    the account's count, unless the address has reached ``LOGIN_ADDRESS_FAILURE_LIMIT``:
    then at least the account limit, so the address is refused for every account.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        account = int(super().get_failures(request, credentials))
        address = address_failures(request)
        by_address = address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        request.ampwork_locked_by = "address" if by_address else "account"  # type: ignore[attr-defined]
        if by_address:
            return max(account, address, int(get_failure_limit(request, credentials)))
        return account


def message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed sign-ins; try again in %(minutes)d minute.",
        "Too many failed sign-ins; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page again, saying plainly why, with HTTP 429 (Too Many Requests)."""
    from allauth.account.forms import LoginForm

    messages.error(request, message())
    form = LoginForm(request=request, initial={"login": username(request, credentials) or ""})
    response = render(request, "account/login.html", {"form": form}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


@receiver(user_locked_out, dispatch_uid="ampwork.core.throttle.audit_lockout")
def audit_lockout(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    """Write ``login.locked_out`` to the audit log of every organisation the account belongs
    to, once per account, address and wait (axes logs every attempt itself)."""
    from .models import AuditEvent, Person
    from .services import record

    address = kwargs.get("ip_address") or ""
    event(
        log,
        "signin.locked_out",
        level=logging.WARNING,
        account=account_hash(username) if username else None,
        address=account_hash(address) if address else None,
        by=getattr(request, "ampwork_locked_by", "account"),
        failures=getattr(request, "axes_failures_since_start", None),
    )
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
                by=getattr(request, "ampwork_locked_by", "account"),
                failures=getattr(request, "axes_failures_since_start", None),
                minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            )


@receiver(user_login_failed, dispatch_uid="ampwork.core.throttle.log_failure")
def log_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Log ``signin.failed`` with the account as an opaque hash (``ampwork.logs``): the
    email never reaches a log line (django-axes' own per-attempt warnings are off)."""
    account = username(request, credentials)  # type: ignore[arg-type]  # None: no POST
    event(
        log,
        "signin.failed",
        level=logging.WARNING,
        account=account_hash(account) if account else None,
    )
