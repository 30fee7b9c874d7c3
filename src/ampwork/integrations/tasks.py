"""The worker's task for webhooks: one attempt at one delivery (``services.attempt``)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver(*, delivery_id: int, attempt: int) -> str:
    delivery = services.attempt(delivery_id, attempt)
    return delivery.status if delivery is not None else "gone"
