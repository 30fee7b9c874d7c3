"""Conversations: 1:1s between a person and their manager (a teacher, in a school) or a
mentor — the series, its meetings with a shared agenda, action items, shared notes and
private notes that only their author ever reads (``rules.py``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ampwork.core.models import Organisation, Person


class OneOnOne(models.Model):
    """A series of 1:1s between ``person`` (the report, mentee or student) and ``lead``
    (their manager, mentor or teacher). One series per pair."""

    class Kind(models.TextChoices):
        MANAGER = "manager", "Manager"
        MENTOR = "mentor", "Mentor"

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANAGER)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    started_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "lead"], name="one_on_one_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("lead")), name="one_on_one_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"1:1 {self.person_id} with {self.lead_id}"


class Meeting(models.Model):
    """One meeting of a series. The open one (``held_at`` is None) takes the agenda;
    holding it closes it and opens the next, at most one open meeting per series."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    one_on_one = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    held_at = models.DateTimeField(null=True, blank=True)
    shared_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["one_on_one"],
                condition=models.Q(held_at__isnull=True),
                name="one_open_meeting_per_series",
            )
        ]

    def __str__(self) -> str:
        return f"meeting of {self.one_on_one_id} on {self.date}"

    @property
    def is_open(self) -> bool:
        return self.held_at is None


class TalkingPoint(models.Model):
    """A point on a meeting's shared agenda. Not discussed when the meeting is held, it
    is carried to the next meeting — once (``carried_from`` is unique)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="points")
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=500)
    evidence = models.CharField(max_length=300, blank=True)
    discussed = models.BooleanField(default=False)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carried_from"], name="talking_point_carried_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    """Something one of the two will do, by a day. Not done when the meeting is held, it
    is carried to the next meeting — once (``carried_from`` is unique)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carried_from"], name="action_item_carried_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def done(self) -> bool:
        return self.done_at is not None


class PrivateNote(models.Model):
    """A participant's own notes on a meeting. Read by their author and nobody else: not
    the other participant, not admins or people ops, not the API of anyone else, and never
    exported (``apps.py`` registers it for backups with an empty scope)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="private_note_per_author")
        ]

    def __str__(self) -> str:
        return f"private note {self.pk}"
