"""Attach the signed-in user's current organisation and actor to each request."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.html import escape

from . import selectors

SESSION_KEY = "ampwork_org_id"
SSO_ORG_KEY = "ampwork_sso_organisation"  # ampwork.core.sso.SESSION_ORG_KEY


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.organisations = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            orgs = selectors.organisations_for(user)
            sso_org = request.session.get(SSO_ORG_KEY)
            if isinstance(sso_org, int):
                # signed in through an organisation's provider: that organisation only
                # (another one opens after its own sign-in: ampwork.core.sso)
                orgs = [o for o in orgs if o.pk == sso_org]
            request.organisations = orgs  # type: ignore[attr-defined]
            wanted = request.session.get(SESSION_KEY)
            # emailed links name their organisation (?org=slug): land in it, if it is yours.
            # ``orgs`` holds only organisations where this account is one of the people: an
            # invitation not yet accepted (services.accept_invitation) never switches here.
            slug = request.GET.get("org") if request.method == "GET" else None
            chosen = next((o for o in orgs if slug and o.slug == slug), None)
            if chosen is not None and chosen.pk != wanted:
                request.session[SESSION_KEY] = wanted = chosen.pk
            current = next((o for o in orgs if o.pk == wanted), orgs[0] if orgs else None)
            if current is not None:
                request.actor = selectors.actor_for(user, current)  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Service errors become the pages people expect, never a 500."""
        from django.shortcuts import render

        from .errors import NotAllowed, NotFound, TwoFactorRequired

        if isinstance(exception, NotFound):
            return render(request, "404.html", {"message": str(exception)}, status=404)
        if isinstance(exception, TwoFactorRequired):
            # not a bare refusal: what the policy asks, and the way to the set-up
            return render(request, "core/two_factor_required.html", status=403)
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": str(exception)}, status=403)
        return None


class RefuseNulInQueryMiddleware:
    """A NUL byte in the query string (``?q=a%00b``) is refused before any view runs: 422
    naming the parameter on the API, 400 on a page. PostgreSQL cannot store or compare text
    holding NUL, so such a value would otherwise end as a server error in whichever view
    passes it to a query (form fields and API bodies refuse it already)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                name = key.replace("\x00", "\\0")
                message = "must not contain NUL bytes"
                if request.path.startswith("/api/"):
                    body = {"detail": [{"loc": ["query", name], "msg": message, "type": "nul"}]}
                    return JsonResponse(body, status=422)
                return HttpResponseBadRequest(
                    f"The address's parameter '{escape(name)}' {message}.",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


SEEN_KEY = "ampwork_seen"
SEEN_EVERY = 300  # seconds: how often a session's "last seen" (and address) is written
# the session key the stamp was written for: a new key (a password change cycles it) gets
# its row at once, not ``SEEN_EVERY`` later (until then it could not be listed nor ended)
SEEN_FOR_KEY = "ampwork_seen_for"
clock = time.time  # seconds since the epoch (tests move it)


class UserSessionsMiddleware:
    """allauth.usersessions' tracking, written at most every ``SEEN_EVERY`` seconds per
    session (allauth's own middleware writes its row on every request): each signed-in
    session gets its row (where it is, which browser) on its first request, so ending a
    person's sessions (deactivation, "sign out everywhere") finds it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.stamp(request)
        response = self.get_response(request)
        self.stamp(request)  # the key may have changed on the way (a password change)
        return response

    @staticmethod
    def stamp(request: HttpRequest) -> None:
        from allauth.usersessions.internal import usersessionkit

        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            now = int(clock())
            key = session.session_key
            if key and (
                now - int(session.get(SEEN_KEY, 0)) >= SEEN_EVERY
                or session.get(SEEN_FOR_KEY) != key
            ):
                usersessionkit.track_activity(request, user=user, session=session)
                session[SEEN_KEY] = now
                session[SEEN_FOR_KEY] = key


def seen_at_sign_in(
    sender: object, request: HttpRequest | None = None, user: object = None, **kwargs: object
) -> None:
    """Every sign-in (allauth's, and Django's ``login()`` after an invitation's password)
    records its session's row at once, so it can be listed and ended; the next stamp is due
    ``SEEN_EVERY`` from now, not on the first page after signing in."""
    from allauth.usersessions.models import UserSession
    from django.core.exceptions import PermissionDenied

    session = getattr(request, "session", None)
    if request is None or session is None or user is None:
        return
    # no client address: only a test's force_login() has none
    with contextlib.suppress(PermissionDenied):
        UserSession.objects.create_from_request(request, user=user, session=session)
    session[SEEN_KEY] = int(clock())
    session[SEEN_FOR_KEY] = session.session_key


class LanguageMiddleware:
    """Each request in its reader's language (after CurrentOrganisationMiddleware, which
    finds the signed-in person): their own choice (Person.language); else the language
    cookie the footer's switcher sets; else the first language their browser asks for
    (Accept-Language) that ampwork speaks; else the current organisation's default; else
    settings.LANGUAGE_CODE. A page for someone signed out that belongs to an organisation
    (a pulse answer link) calls ``languages.use_organisation(request, org)``, which
    switches to that organisation's default when neither a cookie nor a browser said
    more. API requests follow the same order; a token's person's own choice applies once
    the token is authenticated (``ampwork.api.TokenAuth``). The response says which
    language it is in (Content-Language) and that it varies with Accept-Language and
    Cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        from . import languages

        language, source = languages.from_request(request)
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.language_source = source  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
            if not response.has_header("Content-Language"):
                response.headers["Content-Language"] = translation.get_language()
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        finally:
            # the next request (or test) on this thread starts from the default again
            if previous:
                translation.activate(previous)
            else:  # pragma: no cover - Django always has an active language here
                translation.deactivate()
        return response
