"""The autonomy ledger (append-only) and the decisions on suggested steps."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team

T_CHOICES = [("task", "Task"), ("technique", "Technique"), ("time", "Time"), ("team", "Team")]


class LedgerEntry(models.Model):
    """One change of one T's level, for a person or (as the default its members inherit)
    a team. Entries are only ever added: the history is never rewritten."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="autonomy"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="autonomy"
    )
    t = models.CharField(max_length=10, choices=T_CHOICES)
    level = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    guardrails = models.CharField(max_length=300, blank=True)
    why = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__lte=3), name="level_0_3"),
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, team__isnull=True)
                    | models.Q(person__isnull=True, team__isnull=False)
                ),
                name="ledger_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "person", "t"])]

    def __str__(self) -> str:
        return f"{self.t} → {self.level}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("the autonomy ledger is append-only: add a new entry instead")
        super().save(*args, **kwargs)


class Decision(models.Model):
    """A manager's answer to a suggested step: granted, deferred or declined, with a note."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", "Granted"
        DEFERRED = "deferred", "Deferred"
        DECLINED = "declined", "Declined"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    t = models.CharField(max_length=10, choices=T_CHOICES)
    level = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.outcome} {self.t} {self.level}"
