"""Pulse rounds, invitations and responses — kept apart so no answer leads to a person.

A Response has a random id (no order to match against invitations), no person, no
invitation, no time finer than the day, and no team finer than its reporting group.
An Invitation records only that a person used their link — not the day.

An answer first waits, sealed, in the pool (:class:`PooledAnswer`), written in a
transaction apart from the one that marks the invitation used; the pool is written into
:class:`Response` in shuffled batches (services.flush), so neither transaction ids, nor
physical positions, nor insertion order tie a response to an invitation.

A round's reporting groups — each team's place in the tree and its name — are frozen
when it opens (:class:`ReportingGroup`); results always use them, never today's tree.
Teams are referred to by id without a database constraint, so deleting or moving a team
later changes nothing in a round.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ampwork.core.models import Organisation, Person, Team, User


class Round(models.Model):
    class Mode(models.TextChoices):
        INVITED = "invited", _("Invited: one link per person, used once")
        UNATTRIBUTED = "unattributed", _("Unattributed: one shared link, no identities at all")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("a pulse round's status", "Draft")
        OPEN = "open", pgettext_lazy("a pulse round's status", "Open")
        CLOSED = "closed", pgettext_lazy("a pulse round's status", "Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pulse_rounds"
    )
    name = models.CharField(max_length=120)
    instrument = models.CharField(max_length=40)
    mode = models.CharField(max_length=14, choices=Mode.choices, default=Mode.INVITED)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    teams = models.ManyToManyField(
        Team, blank=True, related_name="+", help_text="Empty: the whole organisation."
    )
    opens = models.DateField()
    closes = models.DateField()
    minimum = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The anonymity minimum, fixed when the round opens."
    )
    shared_token_digest = models.CharField(max_length=64, blank=True)
    shared_token_sealed = models.TextField(
        blank=True,
        default="",
        db_default="",  # the previous release's inserts leave it out (upgrades, operations.md)
        help_text="The shared link, encrypted with a key derived from the server's secret key "
        "(services.seal_link): shown again to those who may share it, never stored in clear.",
    )
    audience_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="A shared link's cap: how many people may answer (fixed when it opens).",
    )
    class_code = models.CharField(
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text="A shared link's optional code, said in class.",
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens", "-id"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """An organisation's own question added to a round (1–5 agreement)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=20)
    text = models.CharField(max_length=300)
    reverse = models.BooleanField(default=False)
    areas = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",  # the previous release's inserts leave it out (upgrades, operations.md)
        help_text="The PPRA protected areas it asks about (instrument.AREAS' codes, "
        "comma-separated), as its author ticked them.",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


def kept_team(**options: Any) -> models.ForeignKey[Any, Any]:
    """A team's id as it was when a round opened: no database constraint and no cascade,
    so moving or deleting the team later changes nothing a round recorded."""
    return models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **options
    )


class Invitation(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="None once forgotten (a school's retention policy, after the round closed): "
        "the round's counts stay, the link to the person goes.",
    )
    group = kept_team(
        null=True,
        blank=True,
        help_text="Reporting group at opening (the team's id, kept if the team goes).",
    )
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False, db_default=False, help_text="Used — never when.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_invitation"),
        ]

    def __str__(self) -> str:
        return f"invitation to {self.round_id}"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    group = kept_team(null=True, blank=True)
    submitted_on = models.DateField(default=timezone.localdate)
    enps = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answers = models.JSONField(default=dict)
    language_sealed = models.TextField(
        blank=True,
        default="",
        db_default="",  # the previous release's inserts leave it out (upgrades, operations.md)
        help_text="The language the AMP items were read in, sealed (AES-GCM with a key from "
        "the server's secret key, bound to the round, padded: services.seal_language), never "
        "in plain text: a person's chosen language would otherwise name their answer. Blank: "
        "before languages were recorded (English). Read only by the running app, only in "
        "counts that reach the minimum (docs/privacy.md). The translation's version follows "
        "from the round's instrument and the language (translations.translation_version).",
    )

    class Meta:
        # no ordering by anything that follows submission order
        ordering = ["id"]
        indexes = [models.Index(fields=["round", "group"])]

    def __str__(self) -> str:
        return "a response"


class PooledAnswer(models.Model):
    """An answer waiting to be written into :class:`Response` with others, shuffled.

    Everything but the round is sealed (AES-GCM with a fresh random nonce, bound to the
    round, with a key derived from the server's secret key: services._seal): someone
    reading the database while answers wait sees neither the answers nor the group nor
    the day. A random id, no timestamp, no ordering.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pooled")
    sealed = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return "a pooled answer"


class ReportingGroup(models.Model):
    """A team as it stood when the round opened: its parent, its name, and how many changes
    to its people or teams happened in the days before (a warning against padding)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="groups")
    team = kept_team()
    parent = kept_team(null=True, blank=True)
    name = models.CharField(max_length=200)
    recent_changes = models.PositiveIntegerField(
        default=0, help_text="Changes to its people or teams in the days before opening."
    )

    class Meta:
        ordering = ["round_id", "team_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "team"], name="one_group_per_team"),
        ]

    def __str__(self) -> str:
        return self.name
