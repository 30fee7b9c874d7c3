"""What every app's views share: the member-only decorator and flashing a write's outcome."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ampwork.core.errors import ValidationFailed
from ampwork.core.l10n import list_separator
from ampwork.core.permissions import Actor

View = Callable[..., HttpResponse]

# where an account that is a person of no organisation belongs instead, if anywhere: each
# answers a page's URL or None (classroom: a guardian's family page). Apps add theirs.
ELSEWHERE: list[Callable[[Any], str | None]] = []


def elsewhere(user: Any) -> str | None:
    """The page of an account without an organisation (a guardian's family page), if any."""
    for where in ELSEWHERE:
        if url := where(user):
            return url
    return None


def member_view(view: View) -> View:
    """Signed in and a member of the current organisation; passes the actor along. Anyone
    else signed in is refused (403), with a link to where their account belongs, if it
    belongs somewhere (a guardian: their family page)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor: Actor | None = getattr(request, "actor", None)
        if actor is None:
            return render(
                request,
                "core/no_organisation.html",
                {"elsewhere": elsewhere(request.user)},
                status=403,
            )
        return view(request, actor, *args, **kwargs)

    return wrapper


def flash_errors(request: HttpRequest, exc: ValidationFailed) -> None:
    """Show a validation failure's messages on the next page."""
    messages.error(request, list_separator().join(e.message for e in exc.errors))


def attempt(
    request: HttpRequest, ok: str, action: Callable[[], object], to: str, **to_kwargs: Any
) -> HttpResponse:
    """Run a write; say what happened (or what was wrong) and go on to ``to``."""
    try:
        action()
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, ok)
    response: HttpResponse = redirect(to, **to_kwargs)
    return response
