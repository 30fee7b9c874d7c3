"""Reads of the guardians' view: which children an account may read, what each child's
classes share with families, and the shared items themselves.

What families see is decided per class (``FamilySharing``): goals, reflections the student
chose to share, feedback shared with the family. A child in several classes: a kind of item
is shown when **one** of the child's classes shares it (docs/privacy.md, *Guardians*).

Reflections and feedback come from mastery's front door (``shared_with_family``, the same
reader as the conference portfolio's), goals from okrs'.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.core.permissions import Actor, anywhere
from ampwork.mastery import selectors as mastery_selectors
from ampwork.okrs import selectors as okr_selectors

from . import rules, selectors
from .models import FamilySharing, Guardian, GuardianInvite, GuardianOf

CATEGORIES = ("goals", "reflections", "feedback")
LIMIT = 30  # the newest this many reflections and pieces of feedback


@dataclass(frozen=True)
class Child:
    id: int
    name: str
    school: str


def children_of(user: User) -> list[Child]:
    """The active students this account is an active guardian of, in schools — while the
    guardian's email on record is still the account's (``rules.family_reads``). One query."""
    if not user.is_authenticated:
        return []
    return [
        Child(pk, name, school)
        for pk, name, school in GuardianOf.objects.filter(
            guardian__user=user,
            guardian__active=True,
            student__active=True,
            student__role=Role.MEMBER,
            organisation__kind=Organisation.Kind.SCHOOL,
        )
        .annotate(on_record=Lower(Trim("guardian__email")))
        .filter(on_record=user.email.strip().lower())
        .order_by("student__name", "student_id")
        .values_list("student_id", "student__name", "organisation__name")
        .distinct()
    ]


def home_of(user: User) -> str | None:
    """A guardian's family page (``core.views.shared.ELSEWHERE``), else None."""
    if not user.is_authenticated or not children_of(user):
        return None
    return reverse("classroom:family")


def is_guardian(user: User) -> bool:
    """The account is an active guardian's, of a student on record (it may reset its
    password: ``core.accounts.RESET_ALLOWED``)."""
    return bool(user.is_active and children_of(user))


def shared_categories(student: Person) -> set[str]:
    """What the student's classes share with families: a kind is shared when one of them
    shares it. Two queries."""
    teams = TeamMembership.objects.filter(
        organisation_id=student.organisation_id,
        person=student,
        role=TeamMembership.Role.MEMBER,
    ).values("team_id")
    shown: set[str] = set()
    for goals, reflections, feedback in FamilySharing.objects.filter(
        organisation_id=student.organisation_id, team_id__in=teams
    ).values_list("goals", "reflections", "feedback"):
        shown |= {c for c, on in zip(CATEGORIES, (goals, reflections, feedback), strict=True) if on}
    return shown


@dataclass(frozen=True)
class ChildView:
    child: Child
    shared: frozenset[str]
    goals: list[okr_selectors.Goal] = field(default_factory=list)
    # each shared goal's check-ins with the teacher (by objective id), newest first
    talks: dict[int, list[selectors.CheckInView]] = field(default_factory=dict)
    reflections: list[mastery_selectors.SharedReview] = field(default_factory=list)
    feedback: list[mastery_selectors.SharedFeedback] = field(default_factory=list)


def child_view(user: User, student_id: int) -> ChildView:
    """One child's shared items for their guardian, or NotFound — the same for a student
    who is not theirs as for one who does not exist (nothing to learn by trying ids)."""
    student = (
        Person.objects.select_related("organisation")
        .filter(pk=student_id, role=Role.MEMBER)
        .first()
        if 0 < student_id < 2**31
        else None
    )
    if student is None or not rules.family_reads(user, student):
        raise NotFound("no such child of yours")
    shared = shared_categories(student)
    org_id = student.organisation_id
    items = (
        mastery_selectors.shared_with_family(org_id, student.pk, limit=LIMIT)
        if shared & {"reflections", "feedback"}
        else None
    )
    goals = okr_selectors.goals_of(org_id, student.pk) if "goals" in shared else []
    return ChildView(
        child=Child(student.pk, student.name, student.organisation.name),
        shared=frozenset(shared),
        goals=goals,
        talks=selectors.goal_check_ins(org_id, [g.id for g in goals]) if goals else {},
        # the newest first
        reflections=items.reviews[::-1] if items and "reflections" in shared else [],
        feedback=items.feedback[::-1] if items and "feedback" in shared else [],
    )


# ---------------------------------------------------------------- invitations


@dataclass(frozen=True)
class InviteState:
    """What a one-time link is: ``invite`` when it may be used, else ``problem`` says why."""

    invite: GuardianInvite | None
    problem: str = ""


def code_digest(code: str) -> str:
    """How an invitation's code is stored: its SHA-256, never the code."""
    return hashlib.sha256(code.encode()).hexdigest()


NOT_VALID = gettext_noop("This link is not valid: ask your child's teacher for a new invitation.")
USED = gettext_noop("This invitation has been used already: sign in, or ask for a new one.")
EXPIRED = gettext_noop("This invitation has expired: ask your child's teacher for a new one.")
EMAIL_CHANGED = gettext_noop(
    "This invitation was sent to an email address the school no longer has for you: ask "
    "your child's teacher for a new invitation."
)
NO_CHILD = gettext_noop(
    "This invitation is for a guardian of a student who is no longer at the school: ask the "
    "school if this is a mistake."
)


def has_a_child(guardian: Guardian) -> bool:
    """The guardian is linked to an active student of the school."""
    return GuardianOf.objects.filter(
        guardian=guardian, student__active=True, student__role=Role.MEMBER
    ).exists()


def invite_of(code: str) -> InviteState:
    """The invitation a link's code names (not used up by reading)."""
    row = (
        GuardianInvite.objects.select_related("guardian", "organisation")
        .filter(digest=code_digest(code))
        .first()
        if code
        else None
    )
    if row is None or not row.guardian.active or not row.organisation.is_school:
        return InviteState(None, gettext(NOT_VALID))
    if row.used_at is not None:
        return InviteState(None, gettext(USED))
    if row.expires_at <= timezone.now():
        return InviteState(None, gettext(EXPIRED))
    # sent to another address than the one on record now (the roster changed it), or by a
    # release that did not record it (blank): the link is not the guardian's any more
    if not row.email or row.email != row.guardian.email.strip().lower():
        return InviteState(None, gettext(EMAIL_CHANGED))
    if not has_a_child(row.guardian):
        return InviteState(None, gettext(NO_CHILD))
    return InviteState(row)


# ---------------------------------------------------------------- for teachers


@dataclass(frozen=True)
class GuardianRow:
    id: int
    name: str
    email: str
    children: list[str]
    signed_in: bool
    invited: dt.datetime | None  # the latest unused, unexpired invitation


def guardian_rows(actor: Actor) -> list[GuardianRow]:
    """The guardians this actor may invite: every active one for a head teacher, the
    guardians of their students for a teacher. Three queries."""
    links = GuardianOf.objects.filter(
        organisation=actor.organisation,
        guardian__active=True,
        student__active=True,
        student__role=Role.MEMBER,
    )
    students = rules.guardians_invitable_of(actor)  # the list form of guardians.invite
    if students is not None:
        if not students:
            return []
        links = links.filter(student_id__in=students)
    children: dict[int, list[str]] = {}
    for guardian_id, name in links.order_by("student__name").values_list(
        "guardian_id", "student__name"
    ):
        children.setdefault(guardian_id, []).append(name)
    pending: dict[int, dt.datetime] = {}
    for guardian_id, created in GuardianInvite.objects.filter(
        guardian_id__in=list(children), used_at__isnull=True, expires_at__gt=timezone.now()
    ).values_list("guardian_id", "created_at"):
        pending[guardian_id] = max(created, pending.get(guardian_id, created))
    return [
        GuardianRow(g.pk, g.name, g.email, children[g.pk], g.user_id is not None, pending.get(g.pk))
        for g in Guardian.objects.filter(pk__in=list(children)).order_by("name", "pk")
    ]


@dataclass(frozen=True)
class ClassSharing:
    team_id: int
    name: str
    goals: bool
    reflections: bool
    feedback: bool


def class_sharing(actor: Actor) -> list[ClassSharing]:
    """The classes whose sharing this actor sets (every class for a head teacher, the ones
    they lead for a teacher), with what each shares. Two queries."""
    teams = Team.objects.filter(organisation=actor.organisation).exclude(kind=Team.Kind.SCHOOL)
    if not anywhere(actor, "families.share"):
        if actor.person is None:
            return []
        teams = teams.filter(
            memberships__person=actor.person, memberships__role=TeamMembership.Role.LEAD
        )
    found = {
        row.team_id: row for row in FamilySharing.objects.filter(organisation=actor.organisation)
    }
    rows = []
    for pk, name in teams.order_by("name", "pk").values_list("pk", "name").distinct():
        s = found.get(pk)
        rows.append(
            ClassSharing(
                pk, name, bool(s and s.goals), bool(s and s.reflections), bool(s and s.feedback)
            )
        )
    return rows


def sharing_of(team: Team) -> ClassSharing:
    s = FamilySharing.objects.filter(team=team).first()
    return ClassSharing(
        team.pk, team.name, bool(s and s.goals), bool(s and s.reflections), bool(s and s.feedback)
    )
