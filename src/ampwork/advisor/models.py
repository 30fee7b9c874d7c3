"""The advisor: the checklist's hand-ticked items (every change kept), the rewards an
organisation promises, reward-style assessments of roles and objectives, acknowledged
findings, and the weekly digests sent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ampwork.core.models import Organisation, Person, Team


class Tick(models.Model):
    """A checklist item ticked (or unticked) by hand, for the organisation or one team.
    Only ever added: the latest entry is the state, the rest is who did what and when."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    item = models.CharField(max_length=40)
    done = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["organisation", "item"])]

    def __str__(self) -> str:
        return f"{self.item}: {'done' if self.done else 'not done'}"


class WorkStyle(models.TextChoices):
    ALGORITHMIC = "algorithmic", _("algorithmic (known procedure, countable output)")
    HEURISTIC = "heuristic", _("heuristic (novel, quality judged)")


class Incentive(models.Model):
    """A reward the organisation promises or gives: what, for which outcome, how much (or
    what kind), tied to an objective, key result or role, and whether it is contingent
    ("if you do X, you get Y") or after the fact ("now that you did X…")."""

    class Style(models.TextChoices):
        IF_THEN = "if_then", _("if-then (promised in advance, contingent)")
        NOW_THAT = "now_that", _("now-that (after the fact, unexpected)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="incentives"
    )
    what = models.CharField(max_length=200)
    outcome = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    reward_kind = models.CharField(max_length=100, blank=True)
    style = models.CharField(max_length=10, choices=Style.choices)
    objective = models.ForeignKey(
        "okrs.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incentives",
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incentives",
    )
    job_role = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.what


class StyleAssessment(models.Model):
    """The reward-style questionnaire answered for a role or an objective, and what it
    concluded. The latest for a role is that role's work style; an objective's conclusion
    is written to the objective itself."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(
        "okrs.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    job_role = models.CharField(max_length=120, blank=True)
    answers = models.JSONField(default=dict)
    work_style = models.CharField(max_length=12, choices=WorkStyle.choices)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.job_role or self.objective_id}: {self.work_style}"


class Acknowledgement(models.Model):
    """Someone has seen a finding and says what they will do (or why it is fine)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    note = models.CharField(max_length=500)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["organisation", "key"])]

    def __str__(self) -> str:
        return self.key


class DigestSent(models.Model):
    """A weekly digest went to a manager or admin, with the numbers it showed, so the next
    one can say what changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    numbers = models.JSONField(default=dict)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["week", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "week"], name="one_digest_a_week")]

    def __str__(self) -> str:
        return f"digest for {self.person_id}, week of {self.week}"
