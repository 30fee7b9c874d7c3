"""A person's private calendar feed: a secret address a calendar application subscribes
to. Only a digest of the secret is stored (like an API token's), so a copy of the database
does not give the address; turning it off or resetting it ends the old address at once."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ampwork.core.models import Organisation, Person


class CalendarFeed(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, hex
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.person_id}"
