"""Writes for outgoing webhooks: endpoints (only an admin: ``webhooks.manage``), the fan-out
of an event to the endpoints that want it, and each delivery attempt (the worker's task,
``tasks.deliver``)."""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import logging
import os
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from ampwork.core import backoff, languages, mail, sealing, worker
from ampwork.core.errors import FieldError, ValidationFailed, clean_text
from ampwork.core.models import Person, Role
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.logs import event

from . import events, netguard, policy
from .models import Delivery, Endpoint

log = logging.getLogger(__name__)


def new_secret() -> str:
    """A signing secret as the specification writes it: ``whsec_`` and 24 random bytes in
    base64."""
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


SEALING = "ampwork.webhooks.secret"  # core.sealing's purpose for signing secrets


def _sealed(organisation_id: int, secret: str) -> str:
    return sealing.seal(secret, purpose=SEALING, context=str(organisation_id))


def signing_secret(endpoint: Endpoint) -> str:
    """The endpoint's signing secret, unsealed (only to sign a delivery)."""
    secret: str = sealing.unseal(
        endpoint.sealed_secret, purpose=SEALING, context=str(endpoint.organisation_id)
    )
    return secret


def sign(secret: str, message_id: str, at: dt.datetime, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body`` (the standardwebhooks library)."""
    at = at.astimezone(dt.UTC).replace(microsecond=0)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def _clean(url: str, description: str, chosen: list[str]) -> tuple[str, str, list[str]]:
    errors = []
    url = (url or "").strip()
    try:
        if len(url) > 500:
            raise netguard.Refused(_("is longer than 500 characters"))
        parts = netguard.parse(url)
        netguard.check_host(parts.hostname or "")
    except netguard.Refused as exc:
        errors.append(FieldError("url", str(exc)))
    unknown = events.unknown(chosen)
    if unknown:
        errors.append(
            FieldError("events", _("no such event: %(event)s") % {"event": unknown[0][:60]})
        )
    elif not chosen:
        errors.append(FieldError("events", _("choose at least one event")))
    try:
        description = clean_text(description, "description", 200, required=False)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return url, description, list(dict.fromkeys(chosen))


@transaction.atomic
def create_endpoint(
    *, actor: Actor, url: str, events: list[str], description: str = ""
) -> tuple[Endpoint, str]:
    """A new endpoint, enabled, with a new secret: returns both (the secret is shown to its
    creator once and stored only sealed)."""
    require(actor, "webhooks.manage")
    url, description, chosen = _clean(url, description, events)
    secret = new_secret()
    endpoint = Endpoint.objects.create(
        organisation=actor.organisation,
        url=url,
        description=description,
        events=chosen,
        sealed_secret=_sealed(actor.organisation.pk, secret),
    )
    record(actor, actor.organisation, "webhook.created", endpoint, events=chosen)
    return endpoint, secret


@transaction.atomic
def update_endpoint(
    *,
    actor: Actor,
    endpoint: Endpoint,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    enabled: bool | None = None,
) -> Endpoint:
    """Change an endpoint; enabling it again clears its failure streak."""
    require(actor, "webhooks.manage", endpoint)
    url, description, chosen = _clean(
        endpoint.url if url is None else url,
        endpoint.description if description is None else description,
        endpoint.events if events is None else events,
    )
    if url != endpoint.url:
        endpoint.failing_since = None  # a new address starts without the old one's failures
    endpoint.url, endpoint.description, endpoint.events = url, description, chosen
    if enabled is not None and enabled != endpoint.enabled:
        endpoint.enabled = enabled
        endpoint.failing_since = None
        endpoint.disabled_reason = "" if enabled else "disabled by an admin"
    endpoint.save()
    record(actor, actor.organisation, "webhook.updated", endpoint, enabled=endpoint.enabled)
    return endpoint


@transaction.atomic
def rotate_secret(*, actor: Actor, endpoint: Endpoint) -> str:
    """A new secret for the endpoint, from the next delivery on; returns it (shown once)."""
    require(actor, "webhooks.manage", endpoint)
    secret = new_secret()
    endpoint.sealed_secret = _sealed(endpoint.organisation_id, secret)
    endpoint.save(update_fields=["sealed_secret", "updated_at"])
    record(actor, actor.organisation, "webhook.secret_rotated", endpoint)
    return secret


@transaction.atomic
def delete_endpoint(*, actor: Actor, endpoint: Endpoint) -> None:
    require(actor, "webhooks.manage", endpoint)
    # the host only: a receiver's URL often carries its own token in the path or query
    host = urlsplit(endpoint.url).hostname or ""
    record(actor, actor.organisation, "webhook.deleted", endpoint, host=host[:200])
    endpoint.delete()


def _payload(event_type: str, data: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    return {"type": event_type, "timestamp": at.isoformat(), "data": data}


def _new_delivery(endpoint: Endpoint, event_type: str, data: dict[str, Any]) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        organisation_id=endpoint.organisation_id,
        endpoint=endpoint,
        message_id=f"msg_{uuid.uuid4().hex}",
        event_type=event_type,
        payload=_payload(event_type, data, now),
        next_attempt_at=now,
    )


def _enqueue(delivery: Delivery) -> None:
    from . import tasks

    pk = delivery.pk
    transaction.on_commit(lambda: tasks.deliver.enqueue(delivery_id=pk, attempt=1))


def emit(organisation_id: int, event_type: str, data: dict[str, Any]) -> int:
    """The listener of ``core.events``: one delivery to each enabled endpoint of the
    organisation that subscribes to ``event_type``, queued for the worker. Returns how
    many."""
    if event_type not in events.EVENTS:
        return 0
    chosen = [
        e
        for e in Endpoint.objects.filter(organisation_id=organisation_id, enabled=True)
        if event_type in e.events
    ]
    with transaction.atomic():
        for endpoint in chosen:
            _enqueue(_new_delivery(endpoint, event_type, data))
    return len(chosen)


@transaction.atomic
def send_test(*, actor: Actor, endpoint: Endpoint) -> Delivery:
    """A ``webhook.test`` event to this endpoint (enabled or not), queued for the worker."""
    require(actor, "webhooks.manage", endpoint)
    delivery = _new_delivery(
        endpoint,
        events.TEST_EVENT,
        {"endpoint_id": endpoint.pk, "organisation": actor.organisation.slug},
    )
    _enqueue(delivery)
    return delivery


@transaction.atomic
def retry_delivery(*, actor: Actor, delivery: Delivery) -> Delivery:
    """Send a delivery again now (its next attempt), whatever its status."""
    require(actor, "webhooks.manage", delivery.endpoint)
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    from . import tasks

    pk, attempt = delivery.pk, delivery.attempts + 1
    transaction.on_commit(lambda: tasks.deliver.enqueue(delivery_id=pk, attempt=attempt))
    return delivery


# ---------------------------------------------------------------- one attempt (the worker)


def attempt(delivery_id: int, number: int, now: dt.datetime | None = None) -> Delivery | None:
    """Send delivery ``delivery_id`` (attempt ``number``), record what came back, and on a
    failure schedule the next attempt (``backoff.WEBHOOKS``) or, after three days of
    failures, disable the endpoint and tell the organisation's admins. No transaction is
    open while the endpoint answers."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == Delivery.Status.SUCCEEDED:
        return delivery
    endpoint = delivery.endpoint
    if not endpoint.enabled and delivery.event_type != events.TEST_EVENT:
        delivery.status, delivery.error = Delivery.Status.GAVE_UP, "endpoint disabled"
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "error", "next_attempt_at"])
        return delivery
    # claim this attempt: of two tasks for the same attempt (a manual retry while the
    # scheduled one waits, or a task run again after a worker died) only one sends
    if not Delivery.objects.filter(pk=delivery.pk, attempts__lt=number).update(attempts=number):
        return delivery
    body = json.dumps(delivery.payload, separators=(",", ":"))
    try:
        secret = signing_secret(endpoint)
    except sealing.Unreadable:  # restored from a server with another SECRET_KEY
        delivery.status, delivery.next_attempt_at = Delivery.Status.GAVE_UP, None
        delivery.error = "the signing secret was sealed under another SECRET_KEY: rotate it"
        delivery.save(update_fields=["status", "next_attempt_at", "error"])
        return delivery
    headers = {
        **sign(secret, delivery.message_id, timezone.now(), body),
        "content-type": "application/json",
        "user-agent": "ampwork-webhooks/1",
    }
    start = time.perf_counter()
    code: int | None = None
    answer, error = b"", ""
    try:
        code, answer = netguard.post(endpoint.url, body.encode(), headers, policy.TIMEOUT)
    except netguard.Refused as exc:
        error = f"refused: {exc}"
    except (OSError, http.client.HTTPException) as exc:
        error = type(exc).__name__
    duration = round((time.perf_counter() - start) * 1000, 1)
    now = now or timezone.now()
    ok = policy.succeeded(code)
    delivery.attempts = max(delivery.attempts, number)
    delivery.status_code, delivery.response_body = code, policy.kept(answer)
    delivery.error = error[:200] if not ok and error else ("" if ok else f"HTTP {code}")
    delivery.duration_ms, delivery.last_attempt_at = duration, now
    disabled = False
    if ok:
        delivery.status, delivery.next_attempt_at = Delivery.Status.SUCCEEDED, None
        Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
    else:
        since = endpoint.failing_since or now
        disabled = endpoint.enabled and policy.to_disable(since, now)
        if disabled:
            _disable(endpoint, since)
        elif endpoint.failing_since is None:
            Endpoint.objects.filter(pk=endpoint.pk, failing_since=None).update(failing_since=now)
        # no later attempt: the endpoint was just disabled, the last try, a test event, or
        # a task backend that cannot wait (AMPWORK_TASKS=immediate)
        again = not disabled and delivery.event_type != events.TEST_EVENT and worker.defers()
        wait = backoff.WEBHOOKS.delay(number) if again else None
        if wait is None:
            delivery.status, delivery.next_attempt_at = Delivery.Status.GAVE_UP, None
        else:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = now + dt.timedelta(seconds=wait)
    delivery.save()
    event(
        log,
        "webhook.delivery",
        level=logging.INFO if ok else logging.WARNING,
        org_id=delivery.organisation_id,
        kind=delivery.event_type,
        status=code or 0,
        result=delivery.status,
        failures=0 if ok else number,
        duration_ms=duration,
    )
    if delivery.status == Delivery.Status.FAILED:
        from . import tasks

        worker.later(
            tasks.deliver,
            backoff.WEBHOOKS.delay(number),
            delivery_id=delivery.pk,
            attempt=number + 1,
        )
    return delivery


LOST = dt.timedelta(minutes=15)  # a due delivery still waiting this long lost its task


def sweep(now: dt.datetime) -> int:
    """``core.worker``'s sweep for webhooks: a delivery due for its next attempt for longer
    than ``LOST`` (its task was lost with a worker, or an attempt failed unexpectedly) is
    queued again; if its task still exists after all, the attempt is claimed only once."""
    from . import tasks

    lost = list(
        Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
            next_attempt_at__lt=now - LOST,
            endpoint__enabled=True,
        ).values_list("pk", "attempts")[:1000]
    )
    for pk, attempts in lost:
        tasks.deliver.enqueue(delivery_id=pk, attempt=attempts + 1)
    # finished deliveries are kept KEPT_DAYS (their payloads hold check-in notes and
    # recognition messages), then deleted
    Delivery.objects.filter(
        status__in=[Delivery.Status.SUCCEEDED, Delivery.Status.GAVE_UP],
        created_at__lt=now - dt.timedelta(days=policy.KEPT_DAYS),
    ).delete()
    return len(lost)


@languages.keeps_language
def _disable(endpoint: Endpoint, since: dt.datetime) -> None:
    reason = f"every delivery failed since {since:%Y-%m-%d %H:%M} UTC"
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason=reason)
    endpoint.enabled, endpoint.disabled_reason = False, reason
    admins = Person.objects.filter(
        organisation_id=endpoint.organisation_id, role=Role.ADMIN, active=True
    ).exclude(email="")
    link = f"{settings.BASE_URL}/settings/webhooks/{endpoint.pk}/"
    letters = [
        mail.Letter(
            EmailMessage(
                subject=_("ampwork disabled a webhook endpoint"),
                body=(
                    _("Hello %(name)s,") % {"name": admin.name}
                    + "\n\n"
                    + _(
                        "ampwork stopped sending events to the webhook endpoint %(url)s: every"
                        " delivery failed since %(since)s UTC, for three days."
                    )
                    % {"url": endpoint.url, "since": f"{since:%Y-%m-%d %H:%M}"}
                    + "\n\n"
                    + _("Fix the receiver, then enable the endpoint again: %(url)s") % {"url": link}
                    + "\n"
                ),
                to=[admin.email],
            )
        )
        for admin in admins
        if languages.speak_to(admin)  # each admin's email in their language (always true)
    ]
    mail.queue(letters, kind="webhook.disabled", org_id=endpoint.organisation_id)
