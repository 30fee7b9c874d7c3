"""The SCIM routes. No session and no CSRF: the bearer token alone says who asks and for
which organisation; every answer is SCIM JSON, errors included (never a page)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from ampwork.core import services
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.permissions import Actor

from . import discovery, groups, users
from .filters import GROUP_ATTRIBUTES, USER_ATTRIBUTES, to_q
from .protocol import ScimError, invalid, list_response, operations, page, read_body, respond

ACTOR_LABEL = "SCIM provisioning"

logger = logging.getLogger(__name__)

Handler = Callable[..., HttpResponse]


def scim_view(methods: tuple[str, ...]) -> Callable[[Handler], Handler]:
    """Authenticate the bearer token, act as the organisation's provisioning, and answer
    every failure in SCIM's error format. The handler runs in one transaction, left (and
    so rolled back) before any error is answered — an unexpected one too, which is logged
    and answered as a SCIM 500, never as an HTML page."""

    def decorate(handler: Handler) -> Handler:
        @csrf_exempt
        @wraps(handler)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            # a machine protocol: its messages stay in English whatever the identity
            # provider's Accept-Language or cookie ask for
            with translation.override(settings.LANGUAGE_CODE):
                return answer(request, **kwargs)

        def answer(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                actor = _authenticate(request)
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not supported here")
                with transaction.atomic():
                    return handler(request, actor, **kwargs)
            except ScimError as exc:
                return exc.response()
            except ValidationFailed as exc:
                return invalid(str(exc)).response()
            except NotFound as exc:
                return ScimError(404, str(exc)).response()
            except NotAllowed as exc:
                return ScimError(403, str(exc)).response()
            except Exception:
                logger.exception("SCIM %s %s failed", request.method, request.path)
                return ScimError(500, "an unexpected error; nothing was changed").response()

        return view

    return decorate


def _authenticate(request: HttpRequest) -> Actor:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    row = services.authenticate_scim_token(token.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        raise ScimError(401, "a valid SCIM bearer token is required")
    return Actor.system(row.organisation, via=ACTOR_LABEL)


@scim_view(("GET",))
def service_provider_config(request: HttpRequest, actor: Actor) -> HttpResponse:
    return respond(discovery.service_provider_config())


@scim_view(("GET",))
def resource_types(request: HttpRequest, actor: Actor) -> HttpResponse:
    found = list(discovery.resource_types().values())
    return list_response(found, len(found), 1)


@scim_view(("GET",))
def resource_type(request: HttpRequest, actor: Actor, key: str) -> HttpResponse:
    found = discovery.resource_types().get(key)
    if found is None:
        raise ScimError(404, f"ResourceType {key[:80]} not found")
    return respond(found)


@scim_view(("GET",))
def schemas(request: HttpRequest, actor: Actor) -> HttpResponse:
    found = list(discovery.schemas().values())
    return list_response(found, len(found), 1)


@scim_view(("GET",))
def schema(request: HttpRequest, actor: Actor, key: str) -> HttpResponse:
    found = discovery.schemas().get(key)
    if found is None:
        raise ScimError(404, f"Schema {key[:120]} not found")
    return respond(found)


def _window(
    request: HttpRequest, rows: QuerySet[Any], attributes: Any
) -> tuple[list[Any], int, int]:
    """A list request's page: the rows its ``filter`` keeps (within the organisation's
    ``rows``), their total, and the window ``startIndex``/``count`` ask for."""
    start, count = page(request)
    query = request.GET.get("filter")
    if query:
        rows = rows.filter(to_q(query, attributes))
    total = rows.count()
    return (list(rows[start - 1 : start - 1 + count]) if count else []), total, start


@scim_view(("GET", "POST"))
def user_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    org = actor.organisation
    if request.method == "POST":
        person = users.create(actor, read_body(request))
        person = users.get(org, str(person.pk))
        return respond(users.resource(person), 201, users.location(person.pk))
    window, total, start = _window(request, users.people(org), USER_ATTRIBUTES)
    return list_response([users.resource(p) for p in window], total, start)


@scim_view(("GET", "PUT", "PATCH", "DELETE"))
def user_detail(request: HttpRequest, actor: Actor, pk: str) -> HttpResponse:
    org = actor.organisation
    person = users.get(org, pk)
    if request.method == "PUT":
        users.replace(actor, person, read_body(request))
    elif request.method == "PATCH":
        users.patch(actor, person, operations(read_body(request)))
    elif request.method == "DELETE":
        users.deactivate(actor, person)
        return HttpResponse(status=204)
    person = users.get(org, pk)
    return respond(users.resource(person), location=users.location(person.pk))


def _with_members(request: HttpRequest) -> bool:
    excluded = request.GET.get("excludedAttributes", "")
    return "members" not in {a.strip().lower() for a in excluded.split(",")}


@scim_view(("GET", "POST"))
def group_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    org = actor.organisation
    if request.method == "POST":
        team = groups.create(actor, read_body(request))
        team = groups.get(org, str(team.pk))
        return respond(groups.resource(team), 201, groups.location(team.pk))
    window, total, start = _window(request, groups.teams(org), GROUP_ATTRIBUTES)
    members = _with_members(request)
    return list_response([groups.resource(t, members) for t in window], total, start)


@scim_view(("GET", "PUT", "PATCH", "DELETE"))
def group_detail(request: HttpRequest, actor: Actor, pk: str) -> HttpResponse:
    org = actor.organisation
    team = groups.get(org, pk)
    if request.method == "PUT":
        groups.replace(actor, team, read_body(request))
    elif request.method == "PATCH":
        groups.patch(actor, team, operations(read_body(request)))
    elif request.method == "DELETE":
        groups.delete(actor, team)
        return HttpResponse(status=204)
    team = groups.get(org, pk)
    return respond(groups.resource(team, _with_members(request)), location=groups.location(team.pk))
