"""Cycles, objectives, key results, milestones and check-ins."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ampwork.core.models import Organisation, Person, Team


class Cycle(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("cycle status", "Open")
        CLOSED = "closed", pgettext_lazy("cycle status", "Closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=100)
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    retrospective = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="cycle_ends_after_start"
            ),
            models.UniqueConstraint(fields=["organisation", "name"], name="cycle_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


# Objective's stored count of key results per grade (0.0, 0.1, …, 1.0), in grade order
GRADE_FIELDS = tuple(f"grade_{tenths}" for tenths in range(11))


class Objective(models.Model):
    class OwnerKind(models.TextChoices):
        ORGANISATION = "organisation", pgettext_lazy("owner kind", "Organisation")
        TEAM = "team", pgettext_lazy("owner kind", "Team")
        PERSON = "person", pgettext_lazy("owner kind", "Person")

    class Kind(models.TextChoices):
        COMMITTED = "committed", _("Committed (expected to reach 1.0)")
        ASPIRATIONAL = "aspirational", _("Aspirational (about 0.7 is a good result)")

    class WorkStyle(models.TextChoices):
        HEURISTIC = "heuristic", _("Heuristic (novel work, quality judged)")
        ALGORITHMIC = "algorithmic", _("Algorithmic (known procedure, countable output)")

    class Visibility(models.TextChoices):
        ORGANISATION = "organisation", _("Everyone in the organisation")
        PRIVATE = "private", _("Private (owner, their managers, admins)")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("objective status", "Active")
        DONE = "done", pgettext_lazy("objective status", "Done")
        DROPPED = "dropped", pgettext_lazy("objective status", "Dropped")
        CARRIED = "carried", _("Carried into the next cycle")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="objectives"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="objectives")
    owner_kind = models.CharField(max_length=14, choices=OwnerKind.choices)
    owner_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="objectives"
    )
    owner_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="objectives"
    )
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="authored_objectives"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.COMMITTED)
    work_style = models.CharField(
        max_length=12, choices=WorkStyle.choices, default=WorkStyle.HEURISTIC
    )
    visibility = models.CharField(
        max_length=14, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Derived, kept current by okrs.services.derived on every write that changes them
    # (never edited by hand; `ampwork okrs verify` checks them against a recomputation).
    # Each NOT NULL one has a database default too (db_default), so that the previous
    # release's code, which does not know these columns, can still insert rows while a
    # rolling upgrade runs (docs/operations.md, "Upgrades without downtime").
    progress = models.FloatField(default=0.0, db_default=0.0)
    progress_exact = models.TextField(default="0", db_default="0")  # exact, a fraction "n/d"
    lowest = models.FloatField(null=True, blank=True)  # the lowest key result (None: none)
    judged = models.FloatField(null=True, blank=True)  # what pacing judges, all started
    judged_exact = models.TextField(blank=True, default="", db_default="")
    settles = models.DateField(null=True, blank=True)  # progress.settles
    score = models.FloatField(null=True, blank=True)  # the mean score, once scored
    score_exact = models.TextField(blank=True, default="", db_default="")
    # How many of its key results have each grade (their score once scored, else their
    # progress graded to one decimal): grade_0 counts 0.0, …, grade_10 counts 1.0. The
    # dashboard's histogram sums them rather than reading every key result.
    grade_0 = models.PositiveIntegerField(default=0, db_default=0)
    grade_1 = models.PositiveIntegerField(default=0, db_default=0)
    grade_2 = models.PositiveIntegerField(default=0, db_default=0)
    grade_3 = models.PositiveIntegerField(default=0, db_default=0)
    grade_4 = models.PositiveIntegerField(default=0, db_default=0)
    grade_5 = models.PositiveIntegerField(default=0, db_default=0)
    grade_6 = models.PositiveIntegerField(default=0, db_default=0)
    grade_7 = models.PositiveIntegerField(default=0, db_default=0)
    grade_8 = models.PositiveIntegerField(default=0, db_default=0)
    grade_9 = models.PositiveIntegerField(default=0, db_default=0)
    grade_10 = models.PositiveIntegerField(default=0, db_default=0)
    # The earliest day one of its key results has been silent since: its last check-in, or
    # its clock if it has none (None: no key result). A key result can be stale only in an
    # objective whose silent_since is that old, so the dashboard looks for stale key results
    # only there (the index below).
    silent_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["organisation", "cycle"]),
            models.Index(fields=["cycle", "silent_since"], name="objective_silent_since"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        owner_kind="organisation",
                        owner_team__isnull=True,
                        owner_person__isnull=True,
                    )
                    | models.Q(
                        owner_kind="team", owner_team__isnull=False, owner_person__isnull=True
                    )
                    | models.Q(
                        owner_kind="person", owner_team__isnull=True, owner_person__isnull=False
                    )
                ),
                name="objective_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def self_authored(self) -> bool:
        """Set by its owner (feeds the autonomy index): the owner wrote it themselves."""
        return self.owner_kind == self.OwnerKind.PERSON and self.author_id == self.owner_person_id


class ObjectiveLink(models.Model):
    """An alignment: a child objective that contributes to (or only supports) a parent."""

    class Kind(models.TextChoices):
        CONTRIBUTES = "contributes", _("Contributes (counts towards the parent's progress)")
        SUPPORTS = "supports", _("Supports (shown only)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="child_links")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONTRIBUTES)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="objective_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(child=models.F("parent")), name="objective_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.kind} {self.parent_id}"


class KeyResult(models.Model):
    class Kind(models.TextChoices):
        NUMERIC = "numeric", _("Number (from start to target)")
        BOOLEAN = "boolean", _("Done / not done")
        MILESTONES = "milestones", pgettext_lazy("key result kind", "Milestones")
        RANGE = "range", _("Keep within a range")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="key_results"
    )
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NUMERIC)
    start = models.FloatField(default=0)
    target = models.FloatField(default=1)
    current = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    done = models.BooleanField(default=False)
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_results"
    )
    confidence = models.PositiveSmallIntegerField(default=5, validators=[MaxValueValidator(10)])
    last_check_in = models.DateField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    score_reason = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Derived, kept current by okrs.services.derived (see Objective.progress)
    progress = models.FloatField(default=0.0, db_default=0.0)
    progress_exact = models.TextField(default="0", db_default="0")
    graded = models.FloatField(default=0.0, db_default=0.0)  # progress.grade: one decimal
    clock = models.DateField(null=True, blank=True)  # progress.clock_from: grace and staleness

    class Meta:
        ordering = ["objective_id", "position", "id"]
        # the dashboard's stale key results of an objective, counted and ordered from the
        # index alone (selectors.dashboard)
        indexes = [
            models.Index(fields=["objective", "last_check_in", "clock"], name="key_result_silence")
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="kr_weight_positive"),
            models.CheckConstraint(
                condition=models.Q(confidence__lte=10), name="kr_confidence_0_10"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    done = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["key_result_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """One weekly update of a key result: value (or done / milestones), confidence, a note."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="check_ins"
    )
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    value = models.FloatField(null=True, blank=True)
    done = models.BooleanField(null=True, blank=True)
    milestones_done = models.JSONField(default=list, blank=True)
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    note = models.CharField(max_length=280, blank=True)
    date = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key_result_id", "date", "id"]
        indexes = [models.Index(fields=["key_result", "date"])]

    def __str__(self) -> str:
        return f"{self.key_result_id} on {self.date}"
