"""The shared purpose (drafted together, published in versions), each person's own
statement, and impact stories tied to the work."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from ampwork.core.models import Organisation, Person, User

COMPANY_PROMPT = gettext_noop("Why does this work matter to you?")
SCHOOL_PROMPT = gettext_noop("What is school for, for you?")


class PurposeSettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="purpose_settings"
    )
    prompt = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.prompt


class Draft(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class DraftComment(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Endorsement(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="endorsements")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draft", "person"], name="one_endorsement")]

    def __str__(self) -> str:
        return f"{self.person_id} endorses {self.draft_id}"


class PublishedPurpose(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    text = models.TextField()
    draft = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    participants = models.JSONField(
        default=list,
        help_text=gettext_lazy("People who drafted, commented or endorsed before it was published"),
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="purpose_version")
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class Statement(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", gettext_lazy("Only me")
        THEMES = "themes", gettext_lazy("Counted in the themes, without my name")
        NAMED = "named", gettext_lazy("Visible to the organisation with my name")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.THEMES
    )
    quotable = models.BooleanField(
        default=False, help_text=gettext_lazy("May be quoted without my name")
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="one_statement")
        ]

    def __str__(self) -> str:
        return f"statement of {self.person_id}"


class ImpactStory(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    helped = models.CharField(
        max_length=200,
        help_text=gettext_lazy("Who the work helped, described without a name unless they agreed"),
    )
    named = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Their name — only if they agreed to be named"),
    )
    consent = models.BooleanField(default=False)
    what_changed = models.TextField()
    happened_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    objectives = models.ManyToManyField("okrs.Objective", blank=True, related_name="impact_stories")
    key_results = models.ManyToManyField(
        "okrs.KeyResult", blank=True, related_name="impact_stories"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PurposeLink(models.Model):
    """An objective its owners say serves the shared purpose (for purpose coverage)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    objective = models.OneToOneField(
        "okrs.Objective", on_delete=models.CASCADE, related_name="purpose_link"
    )

    def __str__(self) -> str:
        return f"{self.objective_id} serves the purpose"
