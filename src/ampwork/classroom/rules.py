"""Who may roster a school, and who looks after consent for student pulses.

- ``roster.import``: head teachers (the admin role). A roster sets who is a teacher and
  who a student, as only an admin may (``people.change_role``), and the importers of
  people and teams are staff only; a school has no people ops, so: its head teachers.
- ``consent.policy``: head teachers set the school's consent rule for student pulses and
  keep its list of sensitive topics.
- ``consent.record``: head teachers record a guardian's consent or opt-out for any
  student; a teacher for the students of the classes they lead — never another class's.
  The consent page of a round is for those who run it (``pulse.run``).
- ``goals.view``: a student's goals and their conference portfolio (the object is the
  student: a person of the member role in a school): the student, the teachers of their
  classes (or up their reporting line), head teachers — never another student, never a
  teacher of other classes, and never a colleague's goals (a teacher leading a department
  team with other teachers in it does not read theirs). One's own goals page is one's own.
  Which objectives each reader sees on it is OKRs' rule (a private one: its owner, author,
  the owner's managers, admins — ``objectives.view_private``).
- ``goals.write``: a student writes their own goals' starting point, action plan and
  celebration — nobody else writes them.
- ``goals.check_in``: the dated check-ins on a student's goal are written by the student
  on their own goals and by a teacher of the student's classes (:func:`teaches`) — not by
  a head teacher, who reads them (``goals.view``), nor by anyone else (a teacher of another
  class, another student). Guardians read them on the family page when one of the child's
  classes shares goals with families (:func:`family_reads` and ``FamilySharing.goals``).
- ``goals.settings``: head teachers choose whether goals are listed purpose → mastery →
  autonomy.
- ``families.page``: head teachers and teachers open the families page of a school.
- ``families.share``: what a class's families see (goals, reflections, feedback) is set by
  the class's teachers (who lead it) and head teachers.
- ``guardians.invite``: head teachers invite any guardian to sign in; a teacher the
  guardians of the students they teach (:func:`guardians_invitable_of` is its list form,
  for the families page).
- ``families.share_feedback``: feedback shared with a student's family is given by a head
  teacher, or by a teacher of that student (asked with the organisation: whether to offer
  the choice at all — a teacher in a school).
- A guardian is not a person of the school and has no role: :func:`family_reads` is their
  one rule (reading their child's shared items, and — :func:`family_consents` — giving or
  refusing consent for their child's sensitive student pulses) — the signed-in account of
  an active guardian of that student, in that school,
  while the guardian's email on record is still the account's (the roster changing it
  detaches the account: ``services._write_guardians``).
  Every other route refuses them (they have no actor: ``member_view`` answers 403).
- ``privacy.view``: the students' privacy page — head teachers and teachers (a teacher sees
  only the classes they lead there).
- ``class.settings``: a class's age band and whether its students see the recognition
  feed: head teachers for every class; a teacher for the classes they lead.
- ``privacy.school``: the school-wide recognition opt-in and the retention policy (its dry
  run and its purge): head teachers.
- ``class_code.manage``: a class's class-code sign-in (switch it on and off, a new code,
  the students' pictures and the printed sheet): head teachers for every class; a teacher
  for the classes they lead.
- ``class_code.clear_locks``: lifting the school's class-code locks (its students' wrong
  pictures, and the wrong codes of the address the head teacher asks from): head teachers.
- Class-code sign-in itself: :func:`signs_in_by_class_code` is its one rule — an active
  student (never a teacher or head teacher, never someone who left) who is a member of
  that class, whose class code is switched on.
"""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Lower, Trim

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation, Person, Role, Team, User
from ampwork.core.permissions import (
    ADMIN_ONLY,
    TEACHERS,
    Actor,
    anywhere,
    coaches,
    is_self,
    leads_team,
    register,
)

from .models import ClassCode, Guardian, GuardianOf


def is_student(person: Any) -> bool:
    """A student: a person of the member role in a school."""
    return (
        isinstance(person, Person) and person.role == Role.MEMBER and person.organisation.is_school
    )


def teaches(actor: Actor, student: Any) -> bool:
    """A teacher (the manager role) leads a class the student is in (or manages them). The
    object is a student: leading a team of colleagues makes nobody their teacher."""
    return (
        actor.role == Role.MANAGER
        and actor.organisation.is_school
        and is_student(student)
        and coaches(actor, student)
    )


def head_teacher_of(actor: Actor, student: Any) -> bool:
    """A head teacher (the admin role) of the student's school — not of themselves."""
    return actor.role == Role.ADMIN and is_student(student) and not is_self(actor, student)


def teacher_of(actor: Actor, student: Any) -> bool:
    """A head teacher or a teacher of this student."""
    return head_teacher_of(actor, student) or teaches(actor, student)


def checks_in_on(actor: Actor, student: Any) -> bool:
    """``goals.check_in``: a student on their own goals, or a teacher of their classes."""
    return (is_self(actor, student) and is_student(student)) or teaches(actor, student)


def self_or_teacher(actor: Actor, student: Any) -> bool:
    """``goals.view``: one's own goals, or a student's as their (head) teacher."""
    return is_self(actor, student) or teacher_of(actor, student)


def teaches_a_child_of(actor: Actor, guardian: Any) -> bool:
    """A teacher teaches one of the guardian's (active) students."""
    if actor.role != Role.MANAGER or not isinstance(guardian, Guardian):
        return False
    students = Person.objects.filter(
        pk__in=GuardianOf.objects.filter(guardian=guardian).values("student_id"),
        organisation=actor.organisation,
        active=True,
        role=Role.MEMBER,
    )
    return any(teaches(actor, s) for s in students)


def teaches_or_is_teacher(actor: Actor, obj: Any) -> bool:
    """Feedback to this student (a Person): their teacher. The organisation: a teacher of
    a school (whether to offer the choice on the feedback form)."""
    if isinstance(obj, Organisation):
        return actor.role == Role.MANAGER and obj.is_school
    return teaches(actor, obj)


def family_reads(user: User | None, student: Any) -> bool:
    """The guardian's rule: ``user`` signs in as an active guardian of this active student,
    in a school. Nothing else of the school is theirs to read."""
    if user is None or not user.is_authenticated or not isinstance(student, Person):
        return False
    if not student.active or student.role != Role.MEMBER or not student.organisation.is_school:
        return False
    return (
        GuardianOf.objects.filter(
            organisation_id=student.organisation_id,
            student=student,
            student__role=Role.MEMBER,
            guardian__user=user,
            guardian__active=True,
        )
        # the guardian's email on record is still this account's (case-insensitively)
        .annotate(on_record=Lower(Trim("guardian__email")))
        .filter(on_record=user.email.strip().lower())
        .exists()
    )


def family_consents(user: User | None, student: Any) -> bool:
    """A guardian gives or refuses consent for a student pulse only for their own child:
    the same account, guardian and child as :func:`family_reads` (the school's policy and
    the round are the consent service's to check)."""
    return family_reads(user, student)


def guardians_invitable_of(actor: Actor) -> set[int] | None:
    """``guardians.invite`` as a list: None when the actor invites every guardian of the
    school (head teachers), else the students whose guardians they invite — a teacher's
    students (as :func:`teaches_a_child_of`), nobody's for anyone else."""
    if anywhere(actor, "guardians.invite"):
        return None
    if actor.person is None or actor.role != Role.MANAGER or not actor.organisation.is_school:
        return set()
    return core_selectors.coached_by(actor.person)


def leads_class(actor: Actor, team: Any) -> bool:
    """A teacher (the manager role) of a school leads this class."""
    return (
        actor.role == Role.MANAGER
        and actor.organisation.is_school
        and isinstance(team, Team)
        and leads_team(actor, team)
    )


def signs_in_by_class_code(person: Any, team: Any) -> bool:
    """A student may sign in by this class's code: an active student of a school who has
    not left, a member (not a lead) of the class, whose class-code sign-in is on."""
    if not isinstance(team, Team) or not is_student(person):
        return False
    if not person.active or person.left_at is not None:
        return False
    if person.organisation_id != team.organisation_id:
        return False
    return (
        ClassCode.objects.filter(team=team, active=True).exists()
        and team.memberships.filter(person=person, role="member").exists()
    )


def install() -> None:
    register("roster.import", ADMIN_ONLY)
    register("consent.policy", ADMIN_ONLY)
    register("consent.record", ADMIN_ONLY, teaches)
    # no role reads or replies on everyone's goals: the object must be a student (a
    # head teacher's grant is the object rule too, so a colleague's goals stay theirs)
    register("goals.view", frozenset(), self_or_teacher)
    register("goals.write", frozenset(), is_self)
    register("goals.check_in", frozenset(), checks_in_on)
    register("goals.settings", ADMIN_ONLY)
    register("families.page", TEACHERS)  # the families page (schools only): what follows
    register("families.share", ADMIN_ONLY, leads_class)
    register("guardians.invite", ADMIN_ONLY, teaches_a_child_of)
    register("families.share_feedback", ADMIN_ONLY, teaches_or_is_teacher)
    register("privacy.view", ADMIN_ONLY, school={Role.ADMIN, Role.MANAGER})
    register("class.settings", ADMIN_ONLY, leads_class)
    register("privacy.school", ADMIN_ONLY)
    register("class_code.manage", ADMIN_ONLY, leads_class)
    register("class_code.clear_locks", ADMIN_ONLY)
