"""Reads for outgoing webhooks, always inside one organisation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation

from .models import Delivery, Endpoint


def endpoints(org: Organisation) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(organisation=org).order_by("pk")


def endpoint(org: Organisation, pk: int) -> Endpoint:
    found = Endpoint.objects.filter(organisation=org, pk=pk).first()
    if found is None:
        raise NotFound(_("no such webhook endpoint"))
    return found


def deliveries(endpoint: Endpoint) -> QuerySet[Delivery]:
    return Delivery.objects.filter(endpoint=endpoint).order_by("-pk")


def delivery(org: Organisation, pk: int, endpoint_id: int | None = None) -> Delivery:
    """A delivery of the organisation (of that endpoint, when given)."""
    rows = Delivery.objects.select_related("endpoint").filter(organisation=org, pk=pk)
    if endpoint_id is not None:
        rows = rows.filter(endpoint_id=endpoint_id)
    row = rows.first()
    if row is None:
        raise NotFound(_("no such delivery"))
    return row
