"""Attach the signed-in user's current organisation and actor to each request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import selectors

SESSION_KEY = "ampwork_org_id"


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.organisations = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            orgs = selectors.organisations_for(user)
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

        from .errors import NotAllowed, NotFound

        if isinstance(exception, NotFound):
            return render(request, "404.html", {"message": str(exception)}, status=404)
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": str(exception)}, status=403)
        return None
