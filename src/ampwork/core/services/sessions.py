"""Where an account is signed in: ending its sessions (allauth.usersessions' rows, and the
sessions themselves in Django's session store)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.http import HttpRequest

from ampwork.core.models import Person, User
from ampwork.core.permissions import Actor, require

from .audit import record


def end_sessions_of(user_ids: Iterable[int]) -> int:
    """Sign these accounts out of every browser: each tracked session is deleted from the
    session store and its row removed. Returns how many were ended."""
    ended = 0
    for session in UserSession.objects.filter(user_id__in=list(user_ids)):
        session.end()
        ended += 1
    return ended


def track_session(request: HttpRequest, user: User) -> None:
    """Record a session signed in outside allauth (a class code) at once, so ending the
    account's sessions (``end_sessions_of``) finds it from its first request."""
    UserSession.objects.create_from_request(request, user=user, session=request.session)


def end_other_sessions(
    sender: object = None, *, request: Any = None, user: Any = None, **kwargs: Any
) -> int:
    """A second factor was added (allauth.mfa's ``authenticator_added``): every other
    session of the account ends, so one opened earlier with the password alone — perhaps
    by whoever learnt it — does not inherit what two-factor opens (pay data, exports)."""
    if user is None or user.pk is None:
        return 0
    here = getattr(getattr(request, "session", None), "session_key", None)
    ended = 0
    for session in UserSession.objects.filter(user_id=user.pk).exclude(session_key=here or ""):
        session.end()
        ended += 1
    return ended


@transaction.atomic
def end_person_sessions(*, actor: Actor, person: Person) -> int:
    """An admin signs a person out everywhere (their account's every session)."""
    require(actor, "people.end_sessions", person)
    ended = end_sessions_of([person.user_id]) if person.user_id is not None else 0
    record(actor, actor.organisation, "person.sessions_ended", person, sessions=ended)
    return ended
