"""Conversations: 1:1s between a person and their manager (a teacher, in a school) or a
mentor — the series, its meetings with a shared agenda, action items, shared notes and
private notes that only their author ever reads (``rules.py``)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ampwork.core.models import Organisation, Person


class OneOnOne(models.Model):
    """A series of 1:1s between ``person`` (the report, mentee or student) and ``lead``
    (their manager, mentor or teacher). One series per pair."""

    class Kind(models.TextChoices):
        MANAGER = "manager", _("Manager")
        MENTOR = "mentor", _("Mentor")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Fortnightly")
        MONTHLY = "monthly", _("Monthly")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANAGER)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    started_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the person's choice, never the lead's: a summary of this series (held meetings'
    # agenda, action items and shared notes — never a private note) for their next
    # manager once the reporting line changes (``rules.py``)
    # db_default: the previous release, which does not know the column, still inserts
    share_summary = models.BooleanField(default=False, db_default=False)
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
    # what the point is about (``links.py``): a key result, weekly review, 360 request or
    # skill, by kind and id — no foreign key into other apps; a deleted target just stops
    # showing. Only something both people may open can be linked.
    link_kind = models.CharField(max_length=12, blank=True, default="", db_default="")
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
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


class MeetingReminder(models.Model):
    """The day-before reminder of a meeting went to one of its two people, for the day it
    was planned on then: sent once (a meeting moved to another day is reminded again)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "date"], name="one_meeting_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"reminder of meeting {self.meeting_id} for {self.person_id}"


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


class FeedbackRequest360(models.Model):
    """A request for developmental feedback about ``receiver`` from chosen colleagues.

    Kind ``360``: attributed — the receiver reads who wrote each answer and shares answers
    one by one with their manager. Kind ``upward``: the receiver's reports answer about
    them anonymously; the answers are kept apart from who answered (``UpwardAnswer`` has
    no author and no time) and shown only once the request is closed with at least the
    organisation's anonymity minimum of answers (``feedback360.py``). Never a score."""

    class Kind(models.TextChoices):
        PEER = "360", _("360 feedback")
        UPWARD = "upward", _("Upward feedback")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the receiver's consent")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PEER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    skill = models.ForeignKey(
        "mastery.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    due = models.DateField()
    # the organisation's minimum when the request was sent (upward only)
    minimum = models.PositiveSmallIntegerField(null=True, blank=True)
    # upward: the receiver shared the combined answers with their manager, as a whole
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} feedback for {self.receiver_id}"

    @property
    def upward(self) -> bool:
        return self.kind == self.Kind.UPWARD


class FeedbackAsked(models.Model):
    """One person asked to answer a request, and whether they have — a yes/no, never when
    (for upward feedback this row is all that says who answered, apart from what)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(FeedbackRequest360, on_delete=models.CASCADE, related_name="asked")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    answered = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="feedback_asked_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} asked for {self.request_id}"


class FeedbackAnswer(models.Model):
    """One attributed answer to one question of a 360 request. The receiver reads it and
    chooses whether their manager does (``shared``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        FeedbackRequest360, on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=10)
    text = models.TextField()
    shared = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "author", "question"], name="feedback_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class PooledUpwardAnswer(models.Model):
    """One person's upward answers while the request is open: sealed (AES-GCM with a key
    from the server's secret), written in a transaction of its own after the one that
    marks the person as answered. When the request closes they are opened, shuffled and
    written as ``UpwardAnswer`` rows in one batch, and the pool is emptied — so no system
    column (PostgreSQL's ``xmin``, SQLite's ``rowid``) ties an answer to who answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        "FeedbackRequest360", on_delete=models.CASCADE, related_name="upward_pool"
    )
    sealed = models.TextField()

    def __str__(self) -> str:
        return "pooled upward answers"


class UpwardAnswer(models.Model):
    """One anonymous answer to one question of an upward request: a random id, no author,
    no time — who answered is only ``FeedbackAsked.answered``. Written only when the
    request closes, all at once and shuffled (``PooledUpwardAnswer`` holds them before)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        FeedbackRequest360, on_delete=models.CASCADE, related_name="upward_answers"
    )
    question = models.CharField(max_length=10)
    text = models.TextField()

    class Meta:
        ordering = ["id"]  # random: tells nothing of who answered or when

    def __str__(self) -> str:
        return "an upward answer"
