"""REST routes for outgoing webhooks (an admin's): /webhooks, their deliveries, retries,
test events and secret rotation. Thin: parse, call, return."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from ampwork.apitools import Id, Pages, actor, responses
from ampwork.core.permissions import require

from . import events, selectors, services
from .models import Delivery, Endpoint
from .schemas import (
    DeliveryOut,
    EndpointCreatedOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EventTypeOut,
    SecretOut,
)

router = Router(tags=["webhooks"])


@router.get("/webhook-events", response=responses(200, list[EventTypeOut]))
def event_types(request: HttpRequest) -> list[EventTypeOut]:
    require(actor(request), "webhooks.manage")
    return [EventTypeOut(type=k, description=str(v)) for k, v in events.EVENTS.items()]


@router.get("/webhooks", response=responses(200, list[EndpointOut]))
@paginate(Pages)
def list_endpoints(request: HttpRequest) -> QuerySet[Endpoint]:
    who = actor(request)
    require(who, "webhooks.manage")
    return selectors.endpoints(who.organisation)


@router.post("/webhooks", response=responses(201, EndpointCreatedOut))
def create_endpoint(request: HttpRequest, payload: EndpointIn) -> Status[EndpointCreatedOut]:
    """A new endpoint; its signing ``secret`` is answered this once (stored sealed)."""
    endpoint, secret = services.create_endpoint(actor=actor(request), **payload.model_dump())
    shown = EndpointOut.model_validate(endpoint).model_dump()
    return Status(201, EndpointCreatedOut(**shown, secret=secret))


def _mine(request: HttpRequest, endpoint_id: int) -> Endpoint:
    who = actor(request)
    require(who, "webhooks.manage")
    return selectors.endpoint(who.organisation, endpoint_id)


@router.get("/webhooks/{endpoint_id}", response=responses(200, EndpointOut))
def get_endpoint(request: HttpRequest, endpoint_id: Id) -> Endpoint:
    return _mine(request, endpoint_id)


@router.patch("/webhooks/{endpoint_id}", response=responses(200, EndpointOut))
def update_endpoint(request: HttpRequest, endpoint_id: Id, payload: EndpointPatch) -> Endpoint:
    return services.update_endpoint(
        actor=actor(request),
        endpoint=_mine(request, endpoint_id),
        **payload.model_dump(exclude_unset=True),
    )


@router.delete("/webhooks/{endpoint_id}", response=responses(204, None))
def delete_endpoint(request: HttpRequest, endpoint_id: Id) -> Status[None]:
    services.delete_endpoint(actor=actor(request), endpoint=_mine(request, endpoint_id))
    return Status(204, None)


@router.post("/webhooks/{endpoint_id}/rotate-secret", response=responses(200, SecretOut))
def rotate_secret(request: HttpRequest, endpoint_id: Id) -> SecretOut:
    secret = services.rotate_secret(actor=actor(request), endpoint=_mine(request, endpoint_id))
    return SecretOut(secret=secret)


@router.post("/webhooks/{endpoint_id}/test", response=responses(202, DeliveryOut))
def send_test(request: HttpRequest, endpoint_id: Id) -> Status[Delivery]:
    delivery = services.send_test(actor=actor(request), endpoint=_mine(request, endpoint_id))
    return Status(202, delivery)


@router.get("/webhooks/{endpoint_id}/deliveries", response=responses(200, list[DeliveryOut]))
@paginate(Pages)
def list_deliveries(request: HttpRequest, endpoint_id: Id) -> QuerySet[Delivery]:
    return selectors.deliveries(_mine(request, endpoint_id))


@router.post(
    "/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry",
    response=responses(202, DeliveryOut),
)
def retry_delivery(request: HttpRequest, endpoint_id: Id, delivery_id: Id) -> Status[Delivery]:
    who = actor(request)
    require(who, "webhooks.manage")
    delivery = selectors.delivery(who.organisation, delivery_id, endpoint_id)
    return Status(202, services.retry_delivery(actor=who, delivery=delivery))
