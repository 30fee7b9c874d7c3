"""Outgoing webhooks: an organisation's endpoints and each delivery to them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ampwork.core.models import Organisation


class Endpoint(models.Model):
    """A URL that receives the events it subscribes to, signed with its secret (the
    Standard Webhooks specification)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)  # event types (integrations.events.EVENTS)
    # the signing secret (whsec_<base64>) sealed with core.sealing: it must be kept to sign,
    # so it cannot be hashed; a copy of the database or an export does not give it
    sealed_secret = models.CharField(max_length=300)
    enabled = models.BooleanField(default=True)
    # since when every delivery has failed (None: the last one went through)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with what came back last."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed (will retry)")
        GAVE_UP = "gave_up", _("Failed (no more retries)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=60)  # the webhook-id header: msg_…
    event_type = models.CharField(max_length=60)
    payload = models.JSONField()  # {"type", "timestamp", "data"}
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)  # the first characters of the answer
    error = models.CharField(max_length=200, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["endpoint", "-id"], name="delivery_by_endpoint")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id}"
