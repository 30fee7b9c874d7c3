"""Consent for student pulses: the school's policy, each student's record, the gate that
the pulse asks before a round opens, and the families' page link.

A student pulse that touches a PPRA protected area (``pulse.instrument.AREAS``, as its
items are tagged) or one of the school's own sensitive topics opens only as the school's
policy says (``consent.decide``): with written consent required, only students whose
guardian's consent is recorded are invited; with opt-out offered, students opted out are
not; with no policy, it does not open. A shared link cannot tell who answers, so such a
round opens with one only when no student is left out. An opt-out recorded once a round
is open takes the student's unused link away (``pulse.services.exclude``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Person, Role, User
from ampwork.core.permissions import Actor, anywhere, require
from ampwork.core.services import record
from ampwork.pulse import selectors as pulse_selectors
from ampwork.pulse import services as pulse_services

from . import consent, rules, selectors
from .models import ConsentPolicy, Guardian, GuardianOf, PulseConsent

if TYPE_CHECKING:
    from ampwork.pulse.models import Round

FAMILIES_SALT = "ampwork.classroom.families"
FAMILIES_DAYS = 180  # a families' link works this long after it is made
MAX_ID = 2**31 - 1  # the largest id a form may name (larger: no such row, not a crash)


@transaction.atomic
def set_policy(*, actor: Actor, rule: str, topics: str = "") -> ConsentPolicy:
    """Set the school's consent rule for student pulses and its list of sensitive topics."""
    if not actor.organisation.is_school:
        raise NotFound("consent for student pulses is for schools")
    require(actor, "consent.policy", actor.organisation)
    if rule not in consent.RULES:
        raise ValidationFailed.single("rule", gettext("choose written consent or opt-out"))
    topics = (topics or "").strip()
    try:
        consent.parse_topics(topics)
    except ValueError as exc:
        raise ValidationFailed.single("topics", str(exc)) from None
    policy, _ = ConsentPolicy.objects.update_or_create(
        organisation=actor.organisation,
        defaults={"rule": rule, "topics": topics, "set_by": actor.person, "set_at": timezone.now()},
    )
    record(actor, actor.organisation, "consent.policy_set", policy, rule=rule)
    return policy


def round_students(round: Round) -> set[int]:
    """The students of a round: its audience as it stands, and once it is open with one
    link per student, also those it invited when it opened (who has moved class since
    still holds their link, and can still be opted out); students only."""
    people = set(pulse_services.audience(round))
    if round.status == "open":
        people |= pulse_services.invited_people(round) or set()
    return selectors.students_among(round.organisation, people)


def students_for(actor: Actor, round: Round) -> set[int]:
    """The round's students whose consent this actor may see and record: every one for a
    head teacher (``consent.record`` anywhere), else those they teach — a teacher of a
    parent team running a year's pulse sees their own classes' students, not the others'."""
    students = round_students(round)
    if anywhere(actor, "consent.record"):
        return students
    if actor.person is None or actor.role != Role.MANAGER:
        return set()
    return students & core_selectors.coached_by(actor.person)


@transaction.atomic
def record_consent(
    *, actor: Actor, round: Round, student_id: int, status: str, guardian_id: int | None = None
) -> str:
    """Record a guardian's answer for one student and one round: consent given, or opted
    out (which also withdraws consent). A head teacher for any student, a teacher for the
    students of their classes (``consent.record``). Once the round is open, an opt-out
    takes the student's link away; answers what the pulse did (``pulse.services.exclude``),
    ``"recorded"``, or ``"recorded_late"`` (consent once it is open invites nobody: who a
    round asks is fixed when it opens)."""
    org = actor.organisation
    if not org.is_school:
        raise NotFound("consent for student pulses is for schools")
    if round.organisation_id != org.pk:
        raise NotFound("no such pulse")
    require(actor, "pulse.run", round)
    if not 0 < student_id <= MAX_ID:
        raise ValidationFailed.single("student", gettext("no such student in this school"))
    if guardian_id is not None and not 0 < guardian_id <= MAX_ID:
        raise ValidationFailed.single("guardian", gettext("is not a guardian of this student"))
    student = Person.objects.filter(organisation=org, pk=student_id).first()
    if student is None:
        raise ValidationFailed.single("student", gettext("no such student in this school"))
    require(actor, "consent.record", student)
    return _record(
        round=round, student=student, status=status, guardian_id=guardian_id, actor=actor
    )


def _record(
    *,
    round: Round,
    student: Person,
    status: str,
    guardian_id: int | None,
    actor: Actor | None,
    **detail: object,
) -> str:
    """The checks and the write both paths share (the school's staff recording what a
    guardian said, and a guardian on their family page): the answer, the round still to
    come or open, the student one it asks, the guardian theirs; then the record and, for an
    opt-out once the round is open, the student's link taken away."""
    org = round.organisation
    if status not in PulseConsent.Status.values:
        raise ValidationFailed.single("status", gettext("consented or opted out"))
    if round.status == "closed":
        raise ValidationFailed.single("round", gettext("this pulse is closed"))
    if student.role != Role.MEMBER or student.pk not in round_students(round):
        raise ValidationFailed.single("student", gettext("is not a student this pulse asks"))
    if (
        guardian_id is not None
        and not GuardianOf.objects.filter(
            organisation=org, guardian_id=guardian_id, student=student, guardian__active=True
        ).exists()
    ):
        raise ValidationFailed.single("guardian", gettext("is not a guardian of this student"))
    PulseConsent.objects.update_or_create(
        round_id=round.pk,
        student=student,
        defaults={
            "organisation": org,
            "status": status,
            "guardian_id": guardian_id,
            "recorded_by": actor.person if actor else None,
            "recorded_at": timezone.now(),
        },
    )
    record(actor, org, "consent.recorded", student, round_id=round.pk, status=status, **detail)
    if status == PulseConsent.Status.OPTED_OUT:
        return pulse_services.exclude(round=round, person_id=student.pk)
    return "recorded_late" if round.status == "open" else "recorded"


@transaction.atomic
def guardian_consent(*, user: User, round_id: int, student_id: int, status: str) -> str:
    """A signed-in guardian gives consent for their own child, or opts them out (which
    also withdraws consent), for a student pulse of the child's school that touches a
    protected area or a sensitive topic, from their family page. Only for their own child
    (``rules.family_consents``: anyone else's is "not found", as if it did not exist), only
    while the school has a consent policy, and with the same effects as the school
    recording it (:func:`record_consent`): an opt-out once the round is open takes the
    child's link away. Answers as :func:`record_consent`."""
    if not (0 < student_id <= MAX_ID and 0 < round_id <= MAX_ID):
        raise NotFound("no such pulse for your child")
    student = (
        Person.objects.select_related("organisation")
        .filter(pk=student_id, role=Role.MEMBER)
        .first()
    )
    if student is None or not rules.family_consents(user, student):
        raise NotFound("no such pulse for your child")
    org = student.organisation
    round = pulse_selectors.get_round(Actor.system(org, via="family page"), round_id)
    policy = selectors.policy_of(org)
    if not selectors.sensitivity(pulse_services.items_of(round), policy.topics):
        raise ValidationFailed.single(
            "round", gettext("this pulse asks nothing that needs your consent")
        )
    if policy.rule is None:
        raise ValidationFailed.single(
            "round", gettext("the school has not set its consent policy yet: ask the school")
        )
    guardian = (
        Guardian.objects.filter(organisation=org, user=user, active=True, students__student=student)
        .order_by("pk")
        .first()
    )
    return _record(
        round=round,
        student=student,
        status=status,
        guardian_id=guardian.pk if guardian else None,
        actor=None,
        by="guardian",
        guardian=guardian.pk if guardian else None,
        account=user.pk,
    )


def gate(asked: pulse_services.Asked) -> dict[int, int | None]:
    """The pulse's gate (``pulse.services.GATES``): a school's student pulse touching a
    protected area or a sensitive topic asks only whom the policy allows, or raises."""
    round = asked.round
    org = round.organisation
    if not org.is_school:
        return asked.people
    policy = selectors.policy_of(org)
    if not selectors.sensitivity(asked.items, policy.topics):
        return asked.people
    students = selectors.students_among(org, asked.people)
    decision = consent.decide(
        policy.rule,
        students,
        selectors.consent_records(org, round.pk),
        shared_link=round.mode == "unattributed",
    )
    if decision.refusal:
        raise ValidationFailed.single("consent", decision.refusal)
    return {p: g for p, g in asked.people.items() if p not in decision.excluded}


def families_token(round: Round) -> str:
    """The signed part of a round's families' page link (no sign-in: it shows only the
    questions). Works for ``FAMILIES_DAYS``."""
    return signing.dumps([round.organisation_id, round.pk], salt=FAMILIES_SALT, compress=True)


def families_round(token: str) -> tuple[int, int]:
    """The organisation and round a families' link names, or NotFound."""
    try:
        org_id, round_id = signing.loads(token, salt=FAMILIES_SALT, max_age=FAMILIES_DAYS * 86400)
    except (signing.BadSignature, ValueError, TypeError):
        raise NotFound("this link is not valid") from None
    if not isinstance(org_id, int) or not isinstance(round_id, int):
        raise NotFound("this link is not valid")
    return org_id, round_id
