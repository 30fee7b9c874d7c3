"""Class-code sign-in (docs/schools.md, *Class-code sign-in*): a class's teachers switch it
on, give it a code and give each student a picture or word; a student enters the code,
picks their name and their picture, and is signed in.

The teachers' side (``switch_on``, ``switch_off``, ``new_code``, ``draw_secrets``,
``reset_secret``) asks ``class_code.manage``. The students' side (``class_by_code``,
``names_of``, ``sign_in``) needs no sign-in and counts failures: a wrong code against the
address, a wrong picture against the student (``ClassCodeFailure``), each locked for
``LOGIN_COOLOFF_MINUTES`` at its limit.

A student signs in as their ``User`` — the one they have, when it is theirs alone, or one
made here with an address under ``class_codes.DOMAIN`` that is never mailed and no
password — so every other page finds their actor as it does for anyone
(``docs/architecture.md``, *Class-code sign-in*).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.core.services.sessions import end_sessions_of
from ampwork.core.services.tokens import revoke_tokens_of
from ampwork.core.sso import provider_of, sso_only_organisation

from . import class_codes, rules
from .models import ClassCode, ClassCodeFailure, Guardian, StudentSecret

NOT_FOUND = gettext_noop(
    "We could not find that class code. Check the letters and numbers with your teacher "
    "and try again."
)
REFUSED = gettext_noop("You cannot sign in with a class code here. Please ask your teacher.")
LOCKED_ACTION = "classcode.locked_out"
WRONG = "That is not your"  # how a wrong picture's (word's) message begins (in English)


class Throttled(Exception):
    """Too many failures: refused for ``minutes`` whatever is typed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cooloff() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


# ---------------------------------------------------------------- counting failures


def address_key(address: str | None) -> str:
    """The key an address's wrong codes count under: a keyed digest, not the address."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address or '-'}".encode()).hexdigest()
    return f"address:{digest[:40]}"


def student_key(person_id: int) -> str:
    return f"student:{person_id}"


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - cooloff()


def _prune(now: dt.datetime) -> None:
    """Counts whose window is over are of no use: pruned whenever counting."""
    ClassCodeFailure.objects.filter(last_at__lte=_window_start(now)).delete()


def failures(key: str, now: dt.datetime | None = None) -> int:
    """Failures of ``key`` in its window (0 once the window is over). A window is fixed:
    it starts with its first failure (``last_at``) and lasts the cool-off, whatever comes
    after — trying on does not move it."""
    now = now or timezone.now()
    row = ClassCodeFailure.objects.filter(key=key, last_at__gt=_window_start(now)).first()
    return row.failures if row else 0


def is_locked(key: str, limit: int, now: dt.datetime | None = None) -> bool:
    return failures(key, now) >= limit


@transaction.atomic
def take(key: str, limit: int, now: dt.datetime | None = None) -> int | None:
    """Count one try of ``key`` *before* it is checked, atomically (the row is locked, so
    parallel tries are counted one after another): the count with it, or None when the
    limit was already reached (refused; not counted). A right answer clears (``clear``)
    or gives the try back (``give_back``)."""
    now = now or timezone.now()
    _prune(now)
    row, _ = ClassCodeFailure.objects.select_for_update().get_or_create(
        key=key, defaults={"failures": 0, "last_at": now}
    )
    if row.last_at <= _window_start(now):
        row.failures, row.last_at = 0, now  # a new window
    if row.failures >= limit:
        return None
    row.failures += 1
    row.save(update_fields=["failures", "last_at"])
    return row.failures


def fail(key: str, now: dt.datetime | None = None) -> int:
    """Count one failure of ``key`` (no limit); the count in its window after it."""
    return take(key, 2**31, now) or 0


def give_back(key: str) -> None:
    """A try counted by ``take`` that was right after all (a class code found)."""
    ClassCodeFailure.objects.filter(key=key, failures__gt=0).update(failures=F("failures") - 1)


def clear(key: str) -> None:
    ClassCodeFailure.objects.filter(key=key).delete()


def _minutes() -> int:
    return int(settings.LOGIN_COOLOFF_MINUTES)


# ---------------------------------------------------------------- teachers


def class_of(actor: Actor, team_id: int) -> Team:
    """A class of the actor's school the actor may manage the sign-in of (404, 403)."""
    if not actor.organisation.is_school:
        raise NotFound("class-code sign-in is for schools")
    team = Team.objects.filter(organisation=actor.organisation, pk=team_id).first()
    if team is None:
        raise NotFound("no such class")
    require(actor, "class_code.manage", team)
    return team


def students_of(team: Team) -> list[Person]:
    """Who may sign in to this class by its code, by name: its active students (members,
    not leads), nobody who left, never a teacher."""
    return [
        p
        for p in Person.objects.filter(
            organisation_id=team.organisation_id,
            memberships__team=team,
            memberships__role=TeamMembership.Role.MEMBER,
            role=Role.MEMBER,
            active=True,
            left_at__isnull=True,
        )
        .select_related("organisation", "user")
        .order_by("name", "id")
        .distinct()
        if rules.is_student(p)
    ]


def _unique_code(exclude: int | None = None) -> str:
    for _attempt in range(50):
        code = class_codes.generate_code()
        taken = ClassCode.objects.filter(code=code, active=True)
        if exclude is not None:
            taken = taken.exclude(pk=exclude)
        if not taken.exists():
            return code
    raise RuntimeError("no free class code after 50 draws")  # 22**7 codes: never


def _save_code(row: ClassCode) -> None:
    """Save, drawing another code if another class switched the same one on meanwhile."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                row.save()
            return
        except IntegrityError:
            row.code = _unique_code(row.pk)
    raise RuntimeError("no free class code")


@transaction.atomic
def switch_on(*, actor: Actor, team: Team, kind: str) -> tuple[ClassCode, dict[int, str]]:
    """Switch a class's class-code sign-in on: a new code the first time (then the same
    one, unless another class has it now); a picture or word for each student without one.
    Returns the row and the secrets drawn now (shown once, on the sheet)."""
    team = class_of(actor, team.pk)
    if kind not in class_codes.KINDS:
        raise ValidationFailed.single("kind", "choose pictures or words")
    row = ClassCode.objects.filter(team=team).first()
    if row is None:
        row = ClassCode(organisation=actor.organisation, team=team, kind=kind)
        row.code = _unique_code()
    elif ClassCode.objects.filter(code=row.code, active=True).exclude(pk=row.pk).exists():
        row.code = _unique_code(row.pk)
    redraw = row.pk is not None and row.kind != kind
    row.kind, row.active, row.set_by, row.set_at = kind, True, actor.person, timezone.now()
    _save_code(row)
    record(actor, actor.organisation, "classcode.switched_on", team, kind=kind)
    drawn = _draw(actor, team, row, everyone=redraw)
    return row, drawn


@transaction.atomic
def switch_off(*, actor: Actor, team: Team) -> None:
    """No student signs in by this class's code any more, and the class-code sessions of
    its students end (their API tokens, if any, are revoked). Their pictures stay."""
    team = class_of(actor, team.pk)
    ClassCode.objects.filter(team=team).update(active=False, set_by=actor.person)
    ended = _sign_out(students_of(team))
    record(actor, actor.organisation, "classcode.switched_off", team, sessions_ended=ended)


@transaction.atomic
def new_code(*, actor: Actor, team: Team) -> ClassCode:
    """A new code for the class (the old one stops working, and its students' class-code
    sessions end); the pictures stay."""
    team = class_of(actor, team.pk)
    row = ClassCode.objects.filter(team=team, active=True).first()
    if row is None:
        raise ValidationFailed.single("action", "switch class-code sign-in on first")
    old = row.code
    row.code = _unique_code(row.pk)
    while row.code == old:
        row.code = _unique_code(row.pk)
    row.set_by, row.set_at = actor.person, timezone.now()
    _save_code(row)
    ended = _sign_out(students_of(team))
    record(actor, actor.organisation, "classcode.new_code", team, sessions_ended=ended)
    return row


def _sign_out(students: list[Person]) -> int:
    """End the class-code sessions of these students (accounts a class code made: every
    session they have began with one) and revoke their API tokens, if any."""
    ids = [s.user.pk for s in students if s.user is not None and is_class_code_account(s.user)]
    if not ids:
        return 0
    revoke_tokens_of(ids)
    return end_sessions_of(ids)


@transaction.atomic
def clear_locks(*, actor: Actor, address: str | None) -> int:
    """A head teacher lifts the school's class-code locks: every wrong picture counted
    against its students, and the wrong codes of the address they ask from (the school's
    shared address, when asked from school). Audited. Returns how many counts were lifted."""
    require(actor, "class_code.clear_locks", actor.organisation)
    if not actor.organisation.is_school:
        raise NotFound("class-code sign-in is for schools")
    keys = [
        student_key(pk)
        for pk in Person.objects.filter(organisation=actor.organisation).values_list(
            "pk", flat=True
        )
    ]
    keys.append(address_key(address))
    lifted, _ = ClassCodeFailure.objects.filter(key__in=keys).delete()
    record(actor, actor.organisation, "classcode.locks_cleared", actor.organisation, lifted=lifted)
    return lifted


def _active_row(team: Team) -> ClassCode:
    row = ClassCode.objects.filter(team=team, active=True).first()
    if row is None:
        raise ValidationFailed.single("action", "switch class-code sign-in on first")
    return row


def _draw(actor: Actor, team: Team, row: ClassCode, *, everyone: bool) -> dict[int, str]:
    students = students_of(team)
    have = set(
        StudentSecret.objects.filter(team=team, kind=row.kind).values_list("student_id", flat=True)
    )
    drawn: dict[int, str] = {}
    for student in students:
        if everyone or student.pk not in have:
            drawn[student.pk] = _set_secret(actor, team, row, student)
    return drawn


def _set_secret(actor: Actor, team: Team, row: ClassCode, student: Person) -> str:
    key = class_codes.draw_secret(row.kind)
    StudentSecret.objects.update_or_create(
        team=team,
        student=student,
        defaults={
            "organisation": team.organisation,
            "kind": row.kind,
            "digest": make_password(class_codes.secret_text(row.kind, key)),
            "set_by": actor.person,
            "set_at": timezone.now(),
        },
    )
    clear(student_key(student.pk))  # a new picture: the locked-out student may try again
    return key


@transaction.atomic
def draw_secrets(*, actor: Actor, team: Team, everyone: bool) -> dict[int, str]:
    """New pictures (words) for every student of the class, or for those without one."""
    team = class_of(actor, team.pk)
    row = _active_row(team)
    drawn = _draw(actor, team, row, everyone=everyone)
    record(actor, actor.organisation, "classcode.secrets_drawn", team, students=len(drawn))
    return drawn


@transaction.atomic
def reset_secret(*, actor: Actor, team: Team, student_id: int) -> dict[int, str]:
    """A new picture (word) for one student of the class; their lock, if any, is lifted
    and their class-code sessions end (and API tokens, if any, are revoked)."""
    team = class_of(actor, team.pk)
    row = _active_row(team)
    student = next((s for s in students_of(team) if s.pk == student_id), None)
    if student is None:
        raise ValidationFailed.single("student", "is not a student of this class")
    key = _set_secret(actor, team, row, student)
    ended = _sign_out([student])
    record(
        actor,
        actor.organisation,
        "classcode.secret_reset",
        student,
        team=team.pk,
        sessions_ended=ended,
    )
    return {student.pk: key}


@dataclass(frozen=True)
class StudentRow:
    person: Person
    short_name: str
    has_secret: bool
    locked: bool


def class_page(team: Team) -> tuple[ClassCode | None, list[StudentRow]]:
    """What a class's teachers see: its code (if any) and its students with their state."""
    row = ClassCode.objects.filter(team=team).first()
    students = students_of(team)
    names = class_codes.short_names((s.pk, s.name) for s in students)
    kind = row.kind if row else ""
    have = set(
        StudentSecret.objects.filter(team=team, kind=kind).values_list("student_id", flat=True)
    )
    now = timezone.now()
    locked = set(
        ClassCodeFailure.objects.filter(
            key__in=[student_key(s.pk) for s in students],
            last_at__gt=now - cooloff(),
            failures__gte=settings.CLASS_CODE_FAILURE_LIMIT,
        ).values_list("key", flat=True)
    )
    return row, [
        StudentRow(s, names[s.pk], s.pk in have, student_key(s.pk) in locked) for s in students
    ]


# ---------------------------------------------------------------- students


def _address_throttled() -> Throttled:
    return Throttled(
        gettext(
            "Too many wrong class codes from here. Please wait %(minutes)s minutes, "
            "or ask your teacher."
        )
        % {"minutes": _minutes()}
    )


def class_by_code(*, typed: str, address: str | None) -> ClassCode:
    """The class whose code was typed, switched on, in a school. Each well-formed code is
    counted against the address before it is looked up (a right one is given back), so
    parallel guesses cannot pass the limit; at ``CLASS_CODE_ADDRESS_LIMIT`` the address is
    refused until its window ends. A malformed code matches nothing and is not counted (a
    school's children share one address)."""
    key = address_key(address)
    limit = settings.CLASS_CODE_ADDRESS_LIMIT
    code = class_codes.normalise(typed)
    if not class_codes.is_well_formed(code):
        if is_locked(key, limit):
            raise _address_throttled()
        raise ValidationFailed.single("code", gettext(NOT_FOUND))
    if take(key, limit) is None:
        raise _address_throttled()
    row = (
        ClassCode.objects.filter(code=code, active=True, organisation__kind="school")
        .select_related("team", "organisation")
        .first()
    )
    if row is None:
        raise ValidationFailed.single("code", gettext(NOT_FOUND))
    give_back(key)
    return row


def flow_dropped(*, address: str | None) -> None:
    """A sign-in flow with too many wrong pictures was dropped: it counts as a wrong class
    code of the address (the code must be typed again)."""
    fail(address_key(address))


def current(class_code_id: int, code: str) -> ClassCode | None:
    """The class a sign-in in progress chose, while its code is still the same and on."""
    return (
        ClassCode.objects.filter(pk=class_code_id, code=code, active=True)
        .select_related("team", "organisation")
        .first()
    )


def names_of(row: ClassCode) -> list[tuple[int, str]]:
    """The class list a student picks their name from: first name and an initial."""
    students = [s for s in students_of(row.team) if rules.signs_in_by_class_code(s, row.team)]
    names = class_codes.short_names((s.pk, s.name) for s in students)
    return [(s.pk, names[s.pk]) for s in students]


def student_in(row: ClassCode, student_id: int) -> tuple[Person, str]:
    """One student of the class list (anyone else: not found) and their short name."""
    found = dict(names_of(row))
    if student_id not in found:
        raise NotFound("no such student in this class")
    person = Person.objects.select_related("organisation", "user").get(pk=student_id)
    return person, found[student_id]


def _locked_out(row: ClassCode) -> Throttled:
    if row.kind == ClassCode.Kind.PICTURES:
        text = gettext(
            "Too many wrong tries. Please wait %(minutes)s minutes, or ask your teacher "
            "for a new picture."
        )
    else:
        text = gettext(
            "Too many wrong tries. Please wait %(minutes)s minutes, or ask your teacher "
            "for a new word."
        )
    return Throttled(text % {"minutes": _minutes()})


def sign_in(*, row: ClassCode, student_id: int, picked: str) -> User:
    """The student's sign-in when ``picked`` is their picture (word). Each try is counted
    against the student before it is checked (atomically: parallel tries cannot pass the
    limit); at ``CLASS_CODE_FAILURE_LIMIT`` they wait the cool-off; the right one clears
    the count."""
    person, _ = student_in(row, student_id)
    key = student_key(person.pk)
    limit = settings.CLASS_CODE_FAILURE_LIMIT
    if is_locked(key, limit):
        raise _locked_out(row)
    secret = StudentSecret.objects.filter(team=row.team, student=person, kind=row.kind).first()
    if secret is None:
        raise ValidationFailed.single(
            "picked",
            gettext("Your teacher has not given you a picture yet. Please ask your teacher.")
            if row.kind == ClassCode.Kind.PICTURES
            else gettext("Your teacher has not given you a word yet. Please ask your teacher."),
        )
    count = take(key, limit)
    if count is None:
        raise _locked_out(row)
    if class_codes.choice(row.kind, picked) is None or not check_password(
        class_codes.secret_text(row.kind, picked), secret.digest
    ):
        if count >= limit:
            record(
                None,
                row.organisation,
                LOCKED_ACTION,
                person,
                team=row.team_id,
                minutes=_minutes(),
            )
            raise Throttled(
                _not_yours(row)
                + " "
                + gettext(
                    "Too many wrong tries: please wait %(minutes)s minutes, or ask your "
                    "teacher for a new one."
                )
                % {"minutes": _minutes()}
            )
        left = limit - count
        raise ValidationFailed.single(
            "picked",
            _not_yours(row)
            + " "
            + ngettext(
                "Try again: you have %(left)d try left.",
                "Try again: you have %(left)d tries left.",
                left,
            )
            % {"left": left},
        )
    clear(key)
    user = _account_of(person, row)
    record(None, row.organisation, "classcode.signed_in", person, team=row.team_id)
    return user


def _not_yours(row: ClassCode) -> str:
    """How a wrong picture's (word's) message begins, in the language in use."""
    if row.kind == ClassCode.Kind.PICTURES:
        return gettext("That is not your picture.")
    return gettext("That is not your word.")


def is_wrong(message: str) -> bool:
    """A message that says the picture (word) picked was not the student's."""
    return message.startswith(
        (WRONG, gettext("That is not your picture."), gettext("That is not your word."))
    )


def is_class_code_account(user: User) -> bool:
    """An account made by a class-code sign-in (and still only that): its address under
    ``class_codes.DOMAIN``, no password."""
    return user.email.lower().endswith("@" + class_codes.DOMAIN) and not (
        user.has_usable_password()
    )


def _refused_account(user: User, person: Person) -> bool:
    """An account a class code must never sign in to: anyone else's too, staff, one with
    a password, a social account, a two-factor authenticator, or a guardian's."""
    return (
        user.people.exclude(pk=person.pk).exists()
        or user.is_staff
        or user.is_superuser
        or not user.is_active
        or not is_class_code_account(user)
        or SocialAccount.objects.filter(user=user).exists()
        or Authenticator.objects.filter(user=user).exists()
        or Guardian.objects.filter(user=user).exists()
        or sso_only_organisation(user) is not None
    )


def _sso_only(organisation: Organisation) -> bool:
    found = provider_of(organisation)
    return found is not None and found.enabled and found.sso_only


@transaction.atomic
def _account_of(person: Person, row: ClassCode) -> User:
    """The student's sign-in: their account when a class code made it (theirs alone, no
    password, no social account, no two-factor, not a guardian's), else refused — and
    refused in a school whose sign-in is single sign-on only. None yet: one made now,
    never mailed, with no password (it signs in by class code, or later by the school's
    single sign-on, which takes it over: ``core.services.sso.join_by_sso``)."""
    if _sso_only(row.organisation):
        raise ValidationFailed.single("picked", gettext(REFUSED))
    person = Person.objects.select_for_update().get(pk=person.pk)
    user = person.user
    if user is not None:
        if _refused_account(user, person):
            raise ValidationFailed.single("picked", gettext(REFUSED))
        return user
    user = User(
        email=f"student-{person.pk}-{secrets.token_hex(4)}@{class_codes.DOMAIN}", name=person.name
    )
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    return user
