"""The webhooks pages (an admin's, under Settings): endpoints, their deliveries, test
events, retries and secret rotation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import add_errors
from ampwork.core.permissions import Actor, require
from ampwork.core.views import member_view
from ampwork.core.views.shared import attempt

from . import events, selectors, services
from .forms import EndpointEditForm, EndpointForm
from .models import Delivery, Endpoint

SHOWN = 50  # deliveries shown on an endpoint's page, newest first


@require_http_methods(["GET", "POST"])
@member_view
def webhooks(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "webhooks.manage")
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.create_endpoint(actor=actor, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            # post/redirect/get: the secret is shown once, and a reload adds nothing
            request.session[NEW_SECRET_KEY] = {
                "endpoint": endpoint.pk,
                "secret": secret,
                "created": True,
            }
            return redirect("integrations:endpoint", pk=endpoint.pk)
    return render(
        request,
        "integrations/webhooks.html",
        {"form": form, "endpoints": list(selectors.endpoints(actor.organisation))},
    )


def _deliveries(endpoint: Endpoint) -> dict[str, object]:
    """The newest deliveries, each with its payload as the receiver gets it (JSON), and
    whether one waits for the worker (the table then refreshes itself)."""
    rows = list(selectors.deliveries(endpoint)[:SHOWN])
    for row in rows:
        row.payload_json = json.dumps(row.payload, indent=2)  # type: ignore[attr-defined]
    waiting = any(row.status == Delivery.Status.PENDING for row in rows)
    return {"deliveries": rows, "waiting": waiting}


NEW_SECRET_KEY = "ampwork_new_webhook_secret"  # shown once after create or rotate (session)


def _initial(endpoint: Endpoint) -> dict[str, object]:
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "enabled": endpoint.enabled,
    }


def _endpoint_page(
    request: HttpRequest,
    endpoint: Endpoint,
    form: EndpointForm,
    *,
    secret: str = "",
    created: bool = False,
) -> HttpResponse:
    return render(
        request,
        "integrations/endpoint.html",
        {
            "endpoint": endpoint,
            "form": form,
            "secret": secret,
            "created": created,
            **_deliveries(endpoint),
            "events": events.EVENTS,
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def endpoint(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "webhooks.manage")
    found = selectors.endpoint(actor.organisation, pk)
    form = EndpointEditForm(request.POST or None, initial=_initial(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_endpoint(actor=actor, endpoint=found, **form.cleaned_data)
        except ValidationFailed as exc:
            add_errors(form, exc)
            found.refresh_from_db()
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect("integrations:endpoint", pk=found.pk)
    shown = request.session.pop(NEW_SECRET_KEY, None) if request.method == "GET" else None
    if shown and shown.get("endpoint") == found.pk:
        return _endpoint_page(
            request, found, form, secret=shown["secret"], created=bool(shown["created"])
        )
    return _endpoint_page(request, found, form)


@require_GET
@member_view
def deliveries(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The deliveries table alone (htmx refreshes it while a delivery waits)."""
    require(actor, "webhooks.manage")
    found = selectors.endpoint(actor.organisation, pk)
    return render(
        request,
        "integrations/_deliveries.html",
        {"endpoint": found, **_deliveries(found)},
    )


@require_POST
@member_view
def send_test(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "webhooks.manage")
    found = selectors.endpoint(actor.organisation, pk)
    return attempt(
        request,
        _("Test event queued: its delivery shows below."),
        lambda: services.send_test(actor=actor, endpoint=found),
        "integrations:endpoint",
        pk=found.pk,
    )


@require_POST
@member_view
def rotate(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "webhooks.manage")
    found = selectors.endpoint(actor.organisation, pk)
    secret = services.rotate_secret(actor=actor, endpoint=found)
    request.session[NEW_SECRET_KEY] = {"endpoint": found.pk, "secret": secret, "created": False}
    return redirect("integrations:endpoint", pk=found.pk)


@require_POST
@member_view
def retry(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "webhooks.manage")
    found = selectors.delivery(actor.organisation, pk)
    return attempt(
        request,
        _("Delivery queued again."),
        lambda: services.retry_delivery(actor=actor, delivery=found),
        "integrations:endpoint",
        pk=found.endpoint_id,
    )


@require_POST
@member_view
def delete(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    require(actor, "webhooks.manage")
    found = selectors.endpoint(actor.organisation, pk)
    return attempt(
        request,
        _("Endpoint deleted."),
        lambda: services.delete_endpoint(actor=actor, endpoint=found),
        "integrations:webhooks",
    )
