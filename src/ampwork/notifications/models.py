"""The notification centre's tables: what each person was told (a short title and a link,
never the thing itself), their choices per kind and channel, and their quiet hours."""

from __future__ import annotations

from django.db import models
from django.db.models import JSONField, Value
from django.utils import timezone

from ampwork.core.models import Organisation, Person

from .texts import render


class Notification(models.Model):
    """``title`` is the text written for the recipient when it was made; ``message`` and
    ``params`` let it be written again in whatever language it is read in (``texts``):
    ``text`` is what the page, the API and the bell show."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=300)
    # db_default: the previous release, which does not know the columns, still inserts
    message = models.CharField(max_length=40, blank=True, default="", db_default="")
    params = models.JSONField(default=dict, blank=True, db_default=Value({}, JSONField()))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """What it says, in the active language (the stored title for a row without a
        message key)."""
        return render(self.message, self.params, self.title)


class Preference(models.Model):
    """A choice that differs from (or repeats) the default of ``kinds.default``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=20)
    enabled = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "channel"], name="notification_preference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel}: {'on' if self.enabled else 'off'}"


class QuietHours(models.Model):
    """No email from ``start`` to ``end`` (the server's local time); it waits until the end."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    start = models.TimeField()
    end = models.TimeField()

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"
