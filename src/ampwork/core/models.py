"""Organisations, people, teams, roles, tokens and the audit log.

Every row below ``User`` belongs to exactly one :class:`Organisation`; selectors and
services are always scoped by it (see ``docs/architecture.md``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MIN_ANONYMITY = 3
DEFAULT_ANONYMITY = 5


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A login account. What it may do depends on its Person in each organisation."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        SCHOOL = "school", _("School")

    class AutonomyPolicy(models.TextChoices):
        TOGETHER = "together", _("Together (autonomy support and structure from day one)")
        PURPOSE_FIRST = "purpose-first", _("Purpose first (purpose → mastery → autonomy)")

    class Cadence(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        TRIMESTER = "trimester", _("Four months (school term)")
        HALF_YEAR = "half-year", _("Half-yearly")
        YEARLY = "yearly", _("Yearly")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    anonymity_min_group = models.PositiveSmallIntegerField(
        default=DEFAULT_ANONYMITY,
        validators=[MinValueValidator(MIN_ANONYMITY)],
        help_text=_("Smallest group whose survey results are shown (never below 3)."),
    )
    autonomy_policy = models.CharField(
        max_length=20, choices=AutonomyPolicy.choices, default=AutonomyPolicy.TOGETHER
    )
    okr_cadence = models.CharField(
        max_length=12, choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    # admins and people ops (a school's head teachers) see pay data and exports only once
    # they have set up two-factor sign-in (ampwork.core.permissions.TWO_FACTOR_ACTIONS)
    require_two_factor = models.BooleanField(default=False, db_default=False)
    # the language of its pages for whoever has not chosen one and whose browser asks for
    # none ampwork speaks, and of its emails to them (core/languages.py)
    default_language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default="en-gb", db_default="en-gb"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymity_min_group__gte=MIN_ANONYMITY),
                name="organisation_anonymity_min_at_least_3",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL


class Role(models.TextChoices):
    """Access roles within one organisation; a school shows them in its own words."""

    ADMIN = "admin", pgettext_lazy("company", "Admin")
    PEOPLE_OPS = "people_ops", pgettext_lazy("company", "People ops")
    MANAGER = "manager", pgettext_lazy("company", "Manager")
    MEMBER = "member", pgettext_lazy("company", "Member")


SCHOOL_ROLE_LABELS = {
    Role.ADMIN: pgettext_lazy("school", "Head teacher"),
    Role.MANAGER: pgettext_lazy("school", "Teacher"),
    Role.MEMBER: pgettext_lazy("school", "Student"),
}


def role_label(role: str, kind: str) -> str:
    """The role's name in the organisation's words, in the active language."""
    label: str | Promise = Role(role).label
    if kind == Organisation.Kind.SCHOOL and role in SCHOOL_ROLE_LABELS:
        label = SCHOOL_ROLE_LABELS[Role(role)]
    return str(label)


# "Your role here: …" written whole for each role, so that each language writes the role's
# name in its own case (German capitalises nouns: "Mitglied", never "mitglied")
ROLE_SENTENCES = {
    Role.ADMIN: pgettext_lazy("company", "Your role here: admin."),
    Role.PEOPLE_OPS: pgettext_lazy("company", "Your role here: people ops."),
    Role.MANAGER: pgettext_lazy("company", "Your role here: manager."),
    Role.MEMBER: pgettext_lazy("company", "Your role here: member."),
}
SCHOOL_ROLE_SENTENCES = {
    Role.ADMIN: pgettext_lazy("school", "Your role here: head teacher."),
    Role.MANAGER: pgettext_lazy("school", "Your role here: teacher."),
    Role.MEMBER: pgettext_lazy("school", "Your role here: student."),
}


def role_sentence(role: str, kind: str) -> str:
    """ "Your role here: member." in the organisation's words and the active language."""
    if kind == Organisation.Kind.SCHOOL and role in SCHOOL_ROLE_SENTENCES:
        return str(SCHOOL_ROLE_SENTENCES[Role(role)])
    return str(ROLE_SENTENCES[Role(role)])


class Person(models.Model):
    """Someone in an organisation: employee, teacher or student, with or without a login."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    job_title = models.CharField(max_length=200, blank=True)
    # Job architecture, used by the pay audit and peer comparisons.
    job_role = models.CharField(max_length=120, blank=True)
    job_family = models.CharField(max_length=120, blank=True)
    level = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=120, blank=True)
    hire_date = models.DateField(null=True, blank=True)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    active = models.BooleanField(default=True)
    left_at = models.DateTimeField(
        null=True,
        blank=True,
        db_default=None,  # the previous release's inserts leave it out (upgrades, operations.md)
        help_text=_("When they were last made inactive (a school's retention counts from it)."),
    )
    # the identity provider's own id for them (SCIM's externalId), stored as it was sent
    external_id = models.CharField(max_length=200, blank=True, db_default="", default="")
    # the language they chose for pages and emails; "" follows their browser, then their
    # organisation's default (core/languages.py)
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="person_unique_email"),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="person_one_per_user_per_org",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.organisation.kind)


class Team(models.Model):
    """A node of the organisation's tree: department or team; school or class."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team")
        SCHOOL = "school", pgettext_lazy("kind of team", "School")
        CLASS = "class", _("Class")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    # the identity provider's own id for the group it pushes as this team (SCIM's externalId)
    external_id = models.CharField(max_length=200, blank=True, db_default="", default="")
    # created over SCIM: only such a team may SCIM change or delete (others are read-only there)
    scim_managed = models.BooleanField(db_default=False, default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", pgettext_lazy("team role", "Member")
        LEAD = "lead", pgettext_lazy("team role", "Lead")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.team_id}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token is shown once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tokens")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScimToken(models.Model):
    """The bearer token an organisation's identity provider sends to ``/scim/v2/``: it
    decides the organisation and reads and writes that organisation's people and teams
    only. Created by an admin, not tied to a person's account; only a SHA-256 digest is
    stored and the token is shown once (see ``core.services.scim_tokens``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scim_tokens"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"SCIM {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEvent(models.Model):
    """A sensitive action: who did what to which object, and when. Never survey answers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="audit")
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_email}"


class Invitation(models.Model):
    """An account that already exists, asked to join an organisation as one of its people.

    Adding a person whose email already has a login never attaches that login: the
    organisation can neither sign them in nor switch them into it until the account's
    owner, signed in, accepts (:func:`ampwork.core.services.accept_invitation`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} invited to {self.organisation_id} ({self.status})"


class SignInInvite(models.Model):
    """A one-time link that lets a new person set their first password and sign in.

    Emailed when an admin adds someone who has no ampwork account yet (the web, the API or a
    CSV import). Only the SHA-256 digest of its code is stored; ``email`` is the (lower-case)
    address it was sent to: once the person's email differs, the link no longer works. A new
    link for the same person replaces the old one (the old row is deleted). An email that
    already has an account never gets one: its owner accepts an :class:`Invitation`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sign_in_invites")
    digest = models.CharField(max_length=64, unique=True)
    email = models.CharField(max_length=254)
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"sign-in invitation of person {self.person_id}"


class DataChange(models.Model):
    """One write to an app's tables (see :mod:`ampwork.core.summaries`): the number and the
    latest id of an app's rows are that app's data version. Pruned now and then; nothing
    else refers here."""

    app = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.app} #{self.pk}"


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect single sign-on (ampwork.core.sso): its people sign
    in at their own identity provider. The client secret is sealed (ampwork.core.sealing)
    and never shown again. Environment variables (``AMPWORK_OIDC_<SLUG>_*``) override it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_provider"
    )
    issuer = models.URLField(max_length=500)
    client_id = models.CharField(max_length=500)
    client_secret_sealed = models.TextField(blank=True)
    # lower-case domains, one a line: a first sign-in from one of them joins as a member
    allowed_domains = models.TextField(blank=True)
    # members sign in only through the provider (admins keep their password: break glass)
    sso_only = models.BooleanField(default=False, db_default=False)
    enabled = models.BooleanField(default=True, db_default=True)
    # take the provider's email addresses as verified even without its email_verified
    # claim (Entra ID sends none): only for a provider that owns its users' addresses
    trust_email = models.BooleanField(default=False, db_default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.issuer}"


class SSOLink(models.Model):
    """Which issuer made an allauth ``SocialAccount`` (a subject is only unique within its
    issuer): a link whose issuer is not the organisation's current one is never used."""

    account = models.OneToOneField(
        "socialaccount.SocialAccount", on_delete=models.CASCADE, related_name="ampwork_link"
    )
    issuer = models.CharField(max_length=500)

    def __str__(self) -> str:
        return f"{self.account_id}: {self.issuer}"
