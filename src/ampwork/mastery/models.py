"""Mastery: weekly progress reviews and their replies, skills with level descriptors and
ratings over time, growth areas, feedback (private by default), recognition, and the
record of reminders sent so nobody is reminded twice in a week."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ampwork.core.models import Organisation, Person

RATING = [MinValueValidator(1), MaxValueValidator(7)]
LEVEL = [MinValueValidator(1), MaxValueValidator(5)]


class Review(models.Model):
    """One person's review of one week (Monday to Sunday): small wins first, then
    setbacks, then next steps, and how challenging the work was and how skilled they felt
    for it (1–7). Seen by the person, their managers and admins only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reviews")
    week = models.DateField(help_text=_("the Monday of the week reviewed"))
    wins = models.TextField(blank=True)
    setbacks = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    challenge = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    skill = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    # a student's choice: their family may read this review (a school, issue 20)
    share_with_family = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "week"], name="one_review_a_week"),
            models.CheckConstraint(
                condition=models.Q(challenge__gte=1, challenge__lte=7)
                | models.Q(challenge__isnull=True),
                name="challenge_1_7",
            ),
            models.CheckConstraint(
                condition=models.Q(skill__gte=1, skill__lte=7) | models.Q(skill__isnull=True),
                name="skill_1_7",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "week"])]

    def __str__(self) -> str:
        return f"{self.person} — week of {self.week}"


class Reply(models.Model):
    """A manager's (or teacher's) answer to a review: specific, informational feedback."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="review_replies"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"answer to {self.review_id}"


class Skill(models.Model):
    """A skill the organisation names, with what each level 1–5 looks like."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    levels = models.JSONField(default=list, help_text=_("five descriptors, level 1 to level 5"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="skill_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SkillRating(models.Model):
    """Where someone stands on a skill on a day, in their own view (rater = the person)
    or a manager's. Ratings are only added: the history is the growth."""

    # a rating is the person's own when they are its rater (see ``by_self``)
    OWN = models.Q(rater=models.F("person"))

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skill_ratings")
    rater = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    level = models.PositiveSmallIntegerField(validators=LEVEL)
    note = models.CharField(max_length=300, blank=True)
    date = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="skill_level_1_5"
            )
        ]
        indexes = [models.Index(fields=["person", "skill", "date"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.skill_id} at {self.level}"

    @property
    def by_self(self) -> bool:
        return self.rater_id is not None and self.rater_id == self.person_id


class GrowthArea(models.Model):
    """A skill someone is growing, towards a level, tied to an objective when it is a
    learning goal."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_areas")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="growth_areas")
    target_level = models.PositiveSmallIntegerField(validators=LEVEL)
    objective = models.ForeignKey(
        "okrs.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="growth_areas",
    )
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} growing {self.skill_id}"


class FeedbackRequest(models.Model):
    """Someone asks a colleague for feedback on something specific."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    asked = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    about = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.about


class Feedback(models.Model):
    """Specific feedback from one person to another. Private to the two of them unless
    the giver shares it with the receiver's managers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    giver = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="feedback_given"
    )
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_received")
    body = models.TextField()
    request = models.ForeignKey(
        FeedbackRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    share_with_managers = models.BooleanField(default=False)
    # the giver's (a teacher's) choice: the receiver's family may read it (a school)
    share_with_family = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"feedback to {self.receiver_id}"


class Recognition(models.Model):
    """A public thank-you after the fact ("now that you shipped…"), never tied to money."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    recipients = models.ManyToManyField(Person, related_name="recognition")
    body = models.CharField(max_length=1000)
    objective = models.ForeignKey(
        "okrs.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class ReminderSent(models.Model):
    """A review reminder or a manager's digest went out for a week: sent once only."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("review reminder")
        DIGEST = "digest", _("manager's digest")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "week", "kind"], name="one_reminder_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.person_id}, week of {self.week}"
