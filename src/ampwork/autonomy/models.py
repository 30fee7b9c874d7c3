"""The autonomy ledger (append-only) and the decisions on suggested steps."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        GRANTED = "granted", _("Granted")
        DEFERRED = "deferred", _("Deferred")
        DECLINED = "declined", pgettext_lazy("a decision's outcome", "Declined")

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


class TimePolicy(models.Model):
    """The organisation's self-directed time: a share of working time (20% — one day a week
    of five — by default) of a working week of so many hours."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="time_policy"
    )
    share_percent = models.PositiveSmallIntegerField(
        default=20, validators=[MaxValueValidator(100)]
    )
    weekly_hours = models.DecimalField(max_digits=4, decimal_places=1, default=40)

    def __str__(self) -> str:
        return f"{self.share_percent}% of {self.weekly_hours} h"


class Project(models.Model):
    """A self-directed project: the person's own choice of what to work on."""

    class Outcome(models.TextChoices):
        ACTIVE = "active", _("In progress")
        SHIPPED = "shipped", _("Shipped")
        OBJECTIVE = "objective", _("Became an objective")
        LEARNING = "learning", _("Learning only")
        DROPPED = "dropped", _("Dropped")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=200)
    why = models.CharField(max_length=1000, blank=True)
    learned = models.CharField(max_length=1000, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ACTIVE)
    objective = models.ForeignKey(
        "okrs.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    serves_purpose = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TimeLog(models.Model):
    """Hours spent on a self-directed project on one day."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="logs")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["organisation", "person", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="timelog_hours_0_24"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.day}"


class ShipItEvent(models.Model):
    """A ShipIt day: a time window (24 hours by default) in which people ship anything they
    choose, in teams they form themselves, and demo it at the end."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=500, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shipit_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """An idea pitched for a ShipIt day; people join it to form its team. After the event
    it gets a demo, kudos, and a month later a follow-up of what came of it."""

    class FollowUp(models.TextChoices):
        PENDING = "", _("Not followed up yet")
        OBJECTIVE = "objective", _("Became an objective")
        SHIPPED = "shipped", _("Shipped")
        DROPPED = "dropped", _("Dropped")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(ShipItEvent, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    pitch = models.CharField(max_length=1000, blank=True)
    members = models.ManyToManyField(Person, related_name="shipit_teams", blank=True)
    demo_title = models.CharField(max_length=200, blank=True)
    demo_summary = models.CharField(max_length=2000, blank=True)
    demo_link = models.URLField(max_length=500, blank=True)
    shipped = models.CharField(max_length=1000, blank=True)
    demoed_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.CharField(max_length=10, choices=FollowUp.choices, blank=True, default="")
    follow_up_note = models.CharField(max_length=500, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Kudos(models.Model):
    """One person's thanks for one demo (once each; not for your own team's)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="kudos")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="kudos_once_each")
        ]

    def __str__(self) -> str:
        return f"kudos for {self.proposal_id}"
