"""What rostering keeps: each OneRoster record's ``sourcedId`` and the guardians of students.

A roster's people and classes are core's ``Person`` and ``Team`` rows; :class:`RosterRecord`
remembers which ``sourcedId`` each came from, so that the next import updates them rather
than adding them again. Nothing else of a roster is stored (docs/imports.md, *OneRoster*).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ampwork.core.models import Organisation, Person, Team, User


class RosterRecord(models.Model):
    """One OneRoster record seen in an import: a school or other org, an academic session,
    a course, a class or a user, with the ``Team``, ``Person`` or term's ``Cycle`` it became
    (if any)."""

    class Kind(models.TextChoices):
        ORG = "org", _("Org")
        SESSION = "session", _("Academic session")
        COURSE = "course", _("Course")
        CLASS = "class", _("Class")
        USER = "user", _("User")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roster_records"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sourced_id = models.CharField(max_length=255)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="roster_records"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="roster_records"
    )
    # an academic session of type term or semester: the OKR cycle it became
    cycle = models.ForeignKey(
        "okrs.Cycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "sourced_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "sourced_id"], name="roster_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sourced_id}"


class Guardian(models.Model):
    """A student's guardian (parent, relative) from the roster. Not a ``Person``: a guardian
    has no role in the organisation. Once invited (:class:`GuardianInvite`) they sign in
    with a ``User`` of their own, which opens their family page and nothing else."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="guardians"
    )
    sourced_id = models.CharField(max_length=255)
    name = models.CharField(max_length=200)
    email = models.CharField(max_length=254, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # their sign-in, once they accepted an invitation (never attached without it)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="guardianships"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sourced_id"], name="guardian_unique_sourced_id"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GuardianOf(models.Model):
    """A guardian of a student (the roster's ``agentSourcedIds``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="guardianships"
    )
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="students")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians")

    class Meta:
        ordering = ["guardian_id", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student"], name="guardian_of_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} of {self.student_id}"


class GuardianInvite(models.Model):
    """A one-time link that lets a guardian sign in: emailed by a teacher or the head
    teacher, it expires, and only the SHA-256 digest of its code is stored. ``email`` is
    the (lower-case) address it was sent to: once the guardian's email on record differs,
    the link no longer works (blank: sent by an earlier release — it does not work)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="invites")
    digest = models.CharField(max_length=64, unique=True)
    email = models.CharField(max_length=254, blank=True, default="", db_default="")
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation of guardian {self.guardian_id}"


class FamilySharing(models.Model):
    """What a class's families see of their child (a class's teacher decides): goals,
    reflections the student shared, feedback shared with the family. Without a row: nothing."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="family_sharing")
    goals = models.BooleanField(default=False, db_default=False)
    reflections = models.BooleanField(default=False, db_default=False)
    feedback = models.BooleanField(default=False, db_default=False)
    set_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"family sharing of {self.team_id}"


class ConsentPolicy(models.Model):
    """A school's rule for student pulses that touch a PPRA protected area or one of its
    own sensitive topics (``consent.RULES``), and that list of topics, kept by a head
    teacher. Without one, such a pulse does not open (classroom.services.gate)."""

    class Rule(models.TextChoices):
        CONSENT = "consent", _("Written consent required")
        OPT_OUT = "opt_out", _("Opt-out offered")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="consent_policy"
    )
    rule = models.CharField(max_length=10, choices=Rule.choices)
    topics = models.TextField(
        blank=True, help_text=_("The school's own sensitive topics, one a line: Name: words, …")
    )
    set_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"consent policy of {self.organisation_id}"


class PulseConsent(models.Model):
    """A guardian's answer for one student and one pulse round: consent given, or the
    student opted out (also: consent withdrawn). Who recorded it, and when; which guardian
    gave it, when known."""

    class Status(models.TextChoices):
        CONSENTED = "consented", _("Consent given")
        OPTED_OUT = "opted_out", _("Opted out")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pulse_consents"
    )
    round = models.ForeignKey("surveys.Round", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pulse_consents")
    status = models.CharField(max_length=10, choices=Status.choices)
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round_id", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="pulse_consent_unique")
        ]

    def __str__(self) -> str:
        return f"{self.status} for {self.student_id} in {self.round_id}"


class Goal(models.Model):
    """A student's objective in the shape teachers use (the goal-setting worksheet): where
    they start, their action plan, the check-ins with their teacher (:class:`GoalCheckIn`,
    a dated series) and, at the end of the cycle, what they are proud of. The goal itself
    and its key results' targets are the objective's; the key results have check-ins of
    their own (values). ``kind`` places it in the framework's order.

    ``teacher_note`` and ``teacher`` held the one reply of earlier releases; migration 0010
    copied each into a first check-in. They are no longer read and are kept only so the
    previous release, which writes them, keeps working during a rolling upgrade."""

    class Kind(models.TextChoices):
        PURPOSE = "purpose", _("Purpose: why it matters to me")
        MASTERY = "mastery", _("Mastery: getting better at something")
        AUTONOMY = "autonomy", _("Autonomy: taking charge of my own learning")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    objective = models.OneToOneField(
        "okrs.Objective", on_delete=models.CASCADE, related_name="student_goal"
    )
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MASTERY)
    starting_point = models.TextField(blank=True)
    action_plan = models.TextField(blank=True)
    celebration = models.TextField(blank=True)
    teacher_note = models.TextField(blank=True)
    teacher = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["student_id", "objective_id"]

    def __str__(self) -> str:
        return f"goal sheet of objective {self.objective_id}"


class GoalCheckIn(models.Model):
    """One dated check-in on a student's goal, written by the student or by their teacher:
    the text and, if the writer gave it, how far along the goal is (a percentage)."""

    class By(models.TextChoices):
        STUDENT = "student", _("The student")
        TEACHER = "teacher", _("Their teacher")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    by = models.CharField(max_length=10, choices=By.choices)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    progress = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("How far along the goal is, 0 to 100 (optional).")
    )

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["goal", "-written_at"], name="goal_check_in_newest")]

    def __str__(self) -> str:
        return f"check-in {self.pk} on goal {self.goal_id}"


class GoalSettings(models.Model):
    """A school's choice about students' goals: whether they are listed in the
    framework's order, purpose → mastery → autonomy (the default), or as written."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="goal_settings"
    )
    order_by_kind = models.BooleanField(default=True, db_default=True)

    def __str__(self) -> str:
        return f"goal settings of {self.organisation_id}"


class ClassSetting(models.Model):
    """A class's settings kept by its teacher or a head teacher: its age band, which picks
    the wording of the AMP Pulse its students see (``pulse.instrument.BANDS``; blank: the
    school wording); and whether its students see the public recognition feed (off unless
    opted in: high-privacy defaults for under-18s)."""

    class Band(models.TextChoices):
        YOUNG = "8-11", _("Ages 8–11")
        MIDDLE = "11-14", _("Ages 11–14")
        OLDER = "14-18", _("Ages 14–18")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="class_settings"
    )
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="class_setting")
    age_band = models.CharField(max_length=5, choices=Band.choices, blank=True)
    recognition = models.BooleanField(
        default=False,
        db_default=False,
        help_text=_("Its students see the recognition feed (opted in by a teacher)."),
    )
    set_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team_id"]

    def __str__(self) -> str:
        return f"settings of class {self.team_id}"


class SchoolPrivacy(models.Model):
    """A school's privacy settings kept by a head teacher: whether every student sees the
    public recognition feed, and how long after a student leaves their reflections, pulse
    answers and consent records are kept (None: no purge)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="school_privacy"
    )
    recognition = models.BooleanField(
        default=False, help_text=_("Every student sees the recognition feed.")
    )
    retention_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Months after a student leaves; empty: kept.")
    )
    set_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"privacy of {self.organisation_id}"


class ClassCode(models.Model):
    """A class's class-code sign-in (docs/schools.md, *Class-code sign-in*): its code, kept
    so its teachers can show it (unique among the codes switched on), and whether its
    students pick a picture or a word. Switched off, the row stays: switched on again, the
    same code and the same pictures work again."""

    class Kind(models.TextChoices):
        PICTURES = "pictures", _("Pictures")
        WORDS = "words", _("Words")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="class_code")
    code = models.CharField(max_length=8)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PICTURES)
    active = models.BooleanField(default=True)
    set_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(active=True), name="class_code_unique_active"
            )
        ]

    def __str__(self) -> str:
        return f"class code of {self.team_id}"


class StudentSecret(models.Model):
    """A student's picture or word for one class's class-code sign-in, as a hash (Django's
    password hashers): shown once, on the sheet the teacher prints when it is drawn."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ClassCode.Kind.choices)
    digest = models.CharField(max_length=128)
    set_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team_id", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "student"], name="student_secret_unique")
        ]

    def __str__(self) -> str:
        return f"secret of {self.student_id} in {self.team_id}"


class ClassCodeFailure(models.Model):
    """Failed class-code sign-ins of one key within the cool-off: a student's wrong
    pictures (``student:<id>``) or an address's wrong codes (``address:<digest>``; the
    address itself is not stored). ``last_at`` starts the wait."""

    key = models.CharField(max_length=80, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.failures} failures of {self.key}"
