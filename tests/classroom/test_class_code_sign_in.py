"""Class-code sign-in (issue 15, schools): codes, pictures, the throttles at their limits,
and the attacks — guessing codes, picking a name from another class, a teacher's account."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from ampwork.classroom import class_code_services as services
from ampwork.classroom import class_codes, rules
from ampwork.classroom.models import ClassCode, ClassCodeFailure, StudentSecret
from ampwork.core.accounts import AccountAdapter
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role, TeamMembership
from ampwork.core.permissions import Actor

from ..factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory

AMBIGUOUS = set("0O1IL2Z5S8B")
VOWELS = set("AEIOU")


# ---------------------------------------------------------------- the pure part


def test_codes_use_the_unambiguous_alphabet_and_length() -> None:
    assert not AMBIGUOUS & set(class_codes.ALPHABET)
    assert not VOWELS & set(class_codes.ALPHABET)
    assert len(set(class_codes.ALPHABET)) == len(class_codes.ALPHABET)
    assert 6 <= class_codes.LENGTH <= 8
    codes = [class_codes.generate_code() for _ in range(2000)]
    for code in codes:
        assert len(code) == class_codes.LENGTH
        assert set(code) <= set(class_codes.ALPHABET)
        assert class_codes.is_well_formed(code)
    assert len(set(codes)) > 1990  # random, not a sequence
    assert set("".join(codes)) == set(class_codes.ALPHABET)  # every character is used


def test_typed_codes_are_normalised_and_checked() -> None:
    assert class_codes.normalise(" kq7-xhm 3 ") == "KQ7XHM3"
    assert class_codes.is_well_formed("KQ7XHM3")
    assert not class_codes.is_well_formed("KQ7XHM")  # one short
    assert not class_codes.is_well_formed("KQ7XHM3C")  # one long
    assert not class_codes.is_well_formed("KQ7XHM0")  # 0 is not in the alphabet


def test_nine_pictures_and_nine_words_each_distinct() -> None:
    for kind in class_codes.KINDS:
        items = class_codes.choices(kind)
        assert len(items) == 9
        assert len({c.key for c in items}) == 9
        assert len({c.label for c in items}) == 9
    assert all(c.svg.startswith("<svg") for c in class_codes.PICTURES)
    assert class_codes.secret_text("pictures", "sun") != class_codes.secret_text("words", "sun")
    assert class_codes.choice("pictures", "nope") is None


def test_short_names_show_a_first_name_and_an_initial_and_tell_twins_apart() -> None:
    names = class_codes.short_names(
        [
            (1, "Ada Lovelace"),
            (2, "Ada Lucas"),
            (3, "Ben Brook"),
            (4, "Cher"),
            (5, "Dan  Day"),
            (6, "Dan Day"),
        ]
    )
    assert names[1] == "Ada Lo."
    assert names[2] == "Ada Lu."
    assert names[3] == "Ben B."
    assert names[4] == "Cher"
    assert names[5] == "Dan Day"
    assert names[6] == "Dan Day (2)"


# ---------------------------------------------------------------- a class


@pytest.fixture
def hill(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    head = make_person(school, Role.ADMIN, name="Hana Head")
    tara = make_person(school, Role.MANAGER, name="Tara Teacher")
    otto = make_person(school, Role.MANAGER, name="Otto Other")
    four_b = TeamFactory(organisation=school, name="4B")
    four_c = TeamFactory(organisation=school, name="4C")
    MembershipFactory(team=four_b, person=tara, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=four_c, person=otto, role=TeamMembership.Role.LEAD)
    # students without an email or an account (as a roster gives them)
    ann = PersonFactory(organisation=school, name="Ann Archer", email="s1@roster.invalid")
    ben = PersonFactory(organisation=school, name="Ben Brook", email="s2@roster.invalid")
    cal = PersonFactory(organisation=school, name="Cal Cole", email="s3@roster.invalid")
    for student in (ann, ben):
        MembershipFactory(team=four_b, person=student)
    MembershipFactory(team=four_c, person=cal)
    return {
        "school": school,
        "head": head,
        "tara": tara,
        "otto": otto,
        "four_b": four_b,
        "four_c": four_c,
        "ann": ann,
        "ben": ben,
        "cal": cal,
        "actor": actor_of(tara),
        "otto_actor": actor_of(otto),
        "head_actor": actor_of(head),
    }


def _on(hill: dict[str, Any], team_key: str = "four_b", kind: str = "pictures") -> Any:
    actor = hill["actor"] if team_key == "four_b" else hill["otto_actor"]
    return services.switch_on(actor=actor, team=hill[team_key], kind=kind)


def _wrong(kind: str, right: str) -> list[str]:
    return [c.key for c in class_codes.choices(kind) if c.key != right]


def test_switching_on_draws_a_unique_code_and_a_hashed_secret_for_each_student(
    hill: dict[str, Any],
) -> None:
    row, drawn = _on(hill)
    assert row.active
    assert class_codes.is_well_formed(row.code)
    assert set(drawn) == {hill["ann"].pk, hill["ben"].pk}  # students only, not the teacher
    for pk, key in drawn.items():
        secret = StudentSecret.objects.get(team=hill["four_b"], student_id=pk)
        assert key not in secret.digest  # a hash (Django's hashers), not the picture
        assert identify_hasher(secret.digest)  # one of Django's password hashers
        assert check_password(class_codes.secret_text("pictures", key), secret.digest)


def test_a_code_already_switched_on_elsewhere_is_never_given_twice(
    hill: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = _on(hill)
    draws = itertools.chain([first.code, first.code], iter(lambda: "CDFGHJK", None))
    monkeypatch.setattr(class_codes, "generate_code", lambda: next(draws))
    second, _ = _on(hill, "four_c")
    assert second.code == "CDFGHJK" != first.code
    # the database refuses two classes switched on with one code, whatever the code says
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassCode.objects.filter(pk=second.pk).update(code=first.code)
    # a code switched off may be drawn again
    services.switch_off(actor=hill["actor"], team=hill["four_b"])
    ClassCode.objects.filter(pk=second.pk).update(code=first.code)


def test_a_new_code_stops_the_old_one_and_keeps_the_pictures(hill: dict[str, Any]) -> None:
    row, drawn = _on(hill)
    old = row.code
    new = services.new_code(actor=hill["actor"], team=hill["four_b"])
    assert new.code != old
    with pytest.raises(ValidationFailed):
        services.class_by_code(typed=old, address="10.0.0.1")
    found = services.class_by_code(typed=new.code.lower(), address="10.0.0.1")
    ann = hill["ann"]
    user = services.sign_in(row=found, student_id=ann.pk, picked=drawn[ann.pk])
    assert user.people.get() == ann


def test_only_a_class_teacher_or_a_head_teacher_manages_it(
    hill: dict[str, Any], actor_of: Callable[[Person], Actor], org: Organisation
) -> None:
    with pytest.raises(NotAllowed):
        services.switch_on(actor=hill["otto_actor"], team=hill["four_b"], kind="pictures")
    with pytest.raises(NotAllowed):
        services.switch_on(actor=actor_of(hill["ann"]), team=hill["four_b"], kind="pictures")
    services.switch_on(actor=hill["head_actor"], team=hill["four_b"], kind="words")
    with pytest.raises(ValidationFailed):
        services.switch_on(actor=hill["actor"], team=hill["four_b"], kind="emoji")
    company_admin = Actor(organisation=org, role=Role.ADMIN)
    with pytest.raises(NotFound):
        services.class_of(company_admin, hill["four_b"].pk)


# ---------------------------------------------------------------- signing in


def test_a_student_signs_in_with_an_account_made_for_them(hill: dict[str, Any]) -> None:
    row, drawn = _on(hill)
    ann = hill["ann"]
    assert ann.user is None
    user = services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    ann.refresh_from_db()
    assert ann.user == user
    assert user.email.endswith("@" + class_codes.DOMAIN)
    assert not user.has_usable_password()
    # the same account the next time
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk]) == user
    # its address is never mailed (a password reset asked for it sends nothing)
    AccountAdapter().send_mail("account/email/password_reset_key", user.email, {})
    assert mail.outbox == []


def test_four_wrong_pictures_still_allowed_the_fifth_locks_until_the_cool_off(
    hill: dict[str, Any],
) -> None:
    row, drawn = _on(hill)
    ann, ben = hill["ann"], hill["ben"]
    wrong = _wrong("pictures", drawn[ann.pk])
    for n in range(4):
        with pytest.raises(ValidationFailed) as exc:
            services.sign_in(row=row, student_id=ann.pk, picked=wrong[n])
        assert f"{4 - n} tr" in exc.value.errors[0].message
    # four wrong: the right one still signs in, and clears the count
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    assert services.failures(services.student_key(ann.pk)) == 0
    for n in range(4):
        with pytest.raises(ValidationFailed):
            services.sign_in(row=row, student_id=ann.pk, picked=wrong[n])
    with pytest.raises(services.Throttled):  # the fifth wrong one locks
        services.sign_in(row=row, student_id=ann.pk, picked=wrong[4])
    with pytest.raises(services.Throttled):  # even the right one, now
        services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    assert AuditEvent.objects.filter(action=services.LOCKED_ACTION, target_id=str(ann.pk)).count()
    # a classmate is not locked by it
    assert services.sign_in(row=row, student_id=ben.pk, picked=drawn[ben.pk])
    # a second before the cool-off ends: still locked; a second after: allowed
    failure = ClassCodeFailure.objects.get(key=services.student_key(ann.pk))
    cooloff = dt.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    failure.last_at = timezone.now() - cooloff + dt.timedelta(seconds=2)
    failure.save()
    with pytest.raises(services.Throttled):
        services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    failure.last_at = timezone.now() - cooloff - dt.timedelta(seconds=1)
    failure.save()
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])


def test_a_teacher_giving_a_new_picture_lifts_the_lock(hill: dict[str, Any]) -> None:
    row, drawn = _on(hill)
    ann = hill["ann"]
    for key in _wrong("pictures", drawn[ann.pk])[:5]:
        with pytest.raises((ValidationFailed, services.Throttled)):
            services.sign_in(row=row, student_id=ann.pk, picked=key)
    new = services.reset_secret(actor=hill["actor"], team=hill["four_b"], student_id=ann.pk)
    assert services.sign_in(row=row, student_id=ann.pk, picked=new[ann.pk])
    with pytest.raises(ValidationFailed):  # another class's student is not reset from here
        services.reset_secret(actor=hill["actor"], team=hill["four_b"], student_id=hill["cal"].pk)


def test_a_student_who_left_or_whose_class_turned_it_off_is_refused(
    hill: dict[str, Any],
) -> None:
    row, drawn = _on(hill)
    ann, ben = hill["ann"], hill["ben"]
    ben.active, ben.left_at = False, timezone.now()
    ben.save()
    assert not rules.signs_in_by_class_code(ben, hill["four_b"])
    assert [pk for pk, _ in services.names_of(row)] == [ann.pk]
    with pytest.raises(NotFound):
        services.sign_in(row=row, student_id=ben.pk, picked=drawn[ben.pk])
    # signed in, then the class turns it off: new sign-ins refused, nothing else changes
    user = services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    services.switch_off(actor=hill["actor"], team=hill["four_b"])
    assert not rules.signs_in_by_class_code(ann, hill["four_b"])
    with pytest.raises(ValidationFailed):
        services.class_by_code(typed=row.code, address="10.0.0.2")
    assert services.current(row.pk, row.code) is None
    assert StudentSecret.objects.filter(student=ann).exists()
    ann.refresh_from_db()
    assert ann.user == user
    assert ann.active
    # on again: the same code, the same picture
    again, drawn_now = _on(hill)
    assert again.code == row.code
    assert drawn_now == {}
    assert services.sign_in(row=again, student_id=ann.pk, picked=drawn[ann.pk]) == user


def test_an_account_that_is_not_the_students_alone_is_refused(
    hill: dict[str, Any], org: Organisation
) -> None:
    row, drawn = _on(hill)
    ann = hill["ann"]
    user = services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    other = PersonFactory(organisation=org, name="Ann at Acme", user=user)
    with pytest.raises(ValidationFailed, match="ask your teacher"):
        services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    other.user = None
    other.save()
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk]) == user
    user.is_staff = True
    user.save()
    with pytest.raises(ValidationFailed):
        services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])


def _refused(row: ClassCode, person: Person, picked: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.sign_in(row=row, student_id=person.pk, picked=picked)
    assert exc.value.errors[0].message == services.REFUSED
    assert "ask your teacher" in services.REFUSED


def test_a_class_code_signs_in_only_to_an_account_a_class_code_made(
    hill: dict[str, Any],
) -> None:
    """A student whose account has a password, a social account, a two-factor
    authenticator or is a guardian's is refused: the class code would be a way round it."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from ampwork.classroom.models import Guardian

    row, drawn = _on(hill)
    ann = hill["ann"]
    user = services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    assert AuditEvent.objects.filter(
        action="classcode.signed_in", target_id=str(ann.pk), detail__team=hill["four_b"].pk
    ).exists()
    # a password: refused (and back without one: allowed)
    user.set_password("a lantern by the river 2026")
    user.save()
    _refused(row, ann, drawn[ann.pk])
    user.set_unusable_password()
    user.save()
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk]) == user
    # a social account
    social = SocialAccount.objects.create(user=user, provider="acme", uid="ann-1")
    _refused(row, ann, drawn[ann.pk])
    social.delete()
    # a two-factor authenticator
    totp = Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    _refused(row, ann, drawn[ann.pk])
    totp.delete()
    # a guardian's account
    guardian = Guardian.objects.create(
        organisation=hill["school"], sourced_id="g1", name="Gus", user=user
    )
    _refused(row, ann, drawn[ann.pk])
    guardian.delete()
    # an account with a real address (not made by a class code), even without a password
    real = UserFactory(email="ben@hill.example")
    real.set_unusable_password()
    real.save()
    ben = hill["ben"]
    ben.user = real
    ben.save()
    _refused(row, ben, drawn[ben.pk])
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk]) == user
    assert AuditEvent.objects.filter(action="classcode.signed_in").count() == 3


def test_a_school_whose_sign_in_is_sso_only_refuses_class_codes(hill: dict[str, Any]) -> None:
    from ampwork.core.models import IdentityProvider

    row, drawn = _on(hill)
    ann = hill["ann"]
    provider = IdentityProvider.objects.create(
        organisation=hill["school"],
        issuer="https://id.hill.example",
        client_id="hill",
        enabled=True,
        sso_only=False,
    )
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    provider.sso_only = True
    provider.save()
    _refused(row, ann, drawn[ann.pk])
    _refused(row, hill["ben"], drawn[hill["ben"].pk])  # no account yet: none is made
    hill["ben"].refresh_from_db()
    assert hill["ben"].user is None


# ---------------------------------------------------------------- attacks, through the web


def _code_flow(client: Client, code: str, address: str = "10.1.1.1") -> Any:
    return client.post("/classroom/sign-in/", {"code": code}, REMOTE_ADDR=address)


def test_guessing_codes_is_throttled_per_address(hill: dict[str, Any], client: Client) -> None:
    row, _ = _on(hill)
    limit = settings.CLASS_CODE_ADDRESS_LIMIT
    rng = random.Random(15)
    guesses = ["".join(rng.choice(class_codes.ALPHABET) for _ in range(7)) for _ in range(limit)]
    assert row.code not in guesses
    for guess in guesses[: limit - 1]:
        response = _code_flow(client, guess)
        assert response.status_code == 400
        assert "could not find that class code" in response.content.decode()
    # one below the limit: the right code still works
    assert _code_flow(client, row.code).status_code == 302
    assert _code_flow(client, guesses[-1]).status_code == 400  # the limit's failure
    blocked = _code_flow(client, row.code)
    assert blocked.status_code == 429
    assert "Too many wrong class codes" in blocked.content.decode()
    assert blocked["Retry-After"] == str(settings.LOGIN_COOLOFF_MINUTES * 60)
    # the address is not stored, only a keyed digest of it
    assert not ClassCodeFailure.objects.filter(key__contains="10.1.1.1").exists()
    # another address is not blocked
    assert _code_flow(Client(), row.code, address="10.9.9.9").status_code == 302


def test_a_name_from_another_class_cannot_be_picked(hill: dict[str, Any], client: Client) -> None:
    row, _drawn = _on(hill)
    _, drawn_c = _on(hill, "four_c")
    cal = hill["cal"]
    assert _code_flow(client, row.code).status_code == 302
    names = client.get("/classroom/sign-in/names/").content.decode()
    assert "Ann A." in names
    assert "Ben B." in names
    assert "Cal" not in names
    assert client.get(f"/classroom/sign-in/names/{cal.pk}/").status_code == 404
    response = client.post(f"/classroom/sign-in/names/{cal.pk}/", {"picked": drawn_c[cal.pk]})
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session
    cal.refresh_from_db()
    assert cal.user is None


def test_teachers_are_never_listed_nor_signed_in(hill: dict[str, Any], client: Client) -> None:
    row, _ = _on(hill)
    tara, head = hill["tara"], hill["head"]
    # even a teacher added to the class as a member, and a head teacher in it
    MembershipFactory(team=hill["four_b"], person=head)
    assert _code_flow(client, row.code).status_code == 302
    names = client.get("/classroom/sign-in/names/").content.decode()
    assert "Tara" not in names
    assert "Hana" not in names
    for person in (tara, head):
        assert not rules.signs_in_by_class_code(person, hill["four_b"])
        for choice in class_codes.choices("pictures"):
            response = client.post(f"/classroom/sign-in/names/{person.pk}/", {"picked": choice.key})
            assert response.status_code == 404
    assert "_auth_user_id" not in client.session


def test_the_whole_flow_lands_on_the_students_home(hill: dict[str, Any], client: Client) -> None:
    row, drawn = _on(hill)
    ann = hill["ann"]
    assert client.get("/classroom/sign-in/names/").status_code == 302  # no code yet
    assert _code_flow(client, f"  {row.code.lower()} ").status_code == 302
    page = client.get(f"/classroom/sign-in/names/{ann.pk}/").content.decode()
    assert "Hello, Ann A.!" in page
    assert page.count('name="picked"') == 9
    wrong = client.post(
        f"/classroom/sign-in/names/{ann.pk}/", {"picked": _wrong("pictures", drawn[ann.pk])[0]}
    )
    assert wrong.status_code == 400
    assert "That is not your picture" in wrong.content.decode()
    done = client.post(f"/classroom/sign-in/names/{ann.pk}/", {"picked": drawn[ann.pk]})
    assert done.status_code == 302
    assert done["Location"] == "/"
    hours = settings.CLASS_CODE_SESSION_HOURS * 3600
    assert hours - 5 <= client.session.get_expiry_age() <= hours
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["actor"].person == ann
    assert home.context["actor"].role == Role.MEMBER
    # the teacher's pages stay theirs
    assert client.get(f"/classroom/classes/{hill['four_b'].pk}/sign-in/").status_code == 403


def test_the_sheet_shows_the_pictures_once(
    hill: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    client = web(hill["tara"])
    team = hill["four_b"]
    page = client.get(f"/classroom/classes/{team.pk}/sign-in/")
    assert page.status_code == 200
    assert "Turn on class-code sign-in" in page.content.decode()
    on = client.post(f"/classroom/classes/{team.pk}/sign-in/", {"action": "on", "kind": "words"})
    assert on["Location"] == f"/classroom/classes/{team.pk}/sign-in/sheet/"
    sheet = client.get(on["Location"]).content.decode()
    row = ClassCode.objects.get(team=team)
    assert row.code in sheet
    assert "Ann Archer" in sheet
    assert "Ben Brook" in sheet
    assert sum(sheet.count(f">{w.label}<") for w in class_codes.WORDS) == 2
    again = client.get(on["Location"]).content.decode()
    assert "Nothing to print" in again
    assert "Ann Archer" not in again
    bad = client.post(f"/classroom/classes/{team.pk}/sign-in/", {"action": "explode"})
    assert bad.status_code == 302
    assert "unknown action" in client.get(bad["Location"]).content.decode()
    # another class's teacher: refused
    assert web(hill["otto"]).get(f"/classroom/classes/{team.pk}/sign-in/").status_code == 403
    assert StudentSecret.objects.filter(team=team).count() == 2


def test_a_password_given_later_signs_in_with_the_students_own_email(
    hill: dict[str, Any],
) -> None:
    """A class-code account whose student later gets an email and a password: the account
    takes the email (it never signs in with its made-up address)."""
    from ampwork.core import services as core_services

    row, drawn = _on(hill)
    ann = hill["ann"]
    user = services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    ann.refresh_from_db()
    ann.email = "ann.archer@hill.example"
    ann.save()
    core_services.grant_login(
        actor=hill["head_actor"], person=ann, password="a lantern by the river 2026"
    )
    user.refresh_from_db()
    assert user.email == "ann.archer@hill.example"
    assert user.check_password("a lantern by the river 2026")


# ---------------------------------------------------------------- review of issue 15 (s15G)


def _student_session(client: Client, row: ClassCode, person: Person, picked: str) -> None:
    assert _code_flow(client, row.code).status_code == 302
    done = client.post(f"/classroom/sign-in/names/{person.pk}/", {"picked": picked})
    assert done.status_code == 302, done.content.decode()
    assert client.get("/").status_code == 200


def test_a_class_code_session_cannot_make_an_api_token(
    hill: dict[str, Any], client: Client, web: Callable[[Person], Client]
) -> None:
    from ampwork.core import services as core_services
    from ampwork.core.models import ApiToken

    row, drawn = _on(hill)
    ann = hill["ann"]
    _student_session(client, row, ann, drawn[ann.pk])
    home = client.get("/").content.decode()
    assert "/account/tokens/" not in home  # the menu does not offer it
    assert "Change password" not in home  # nor a password the account does not have
    assert client.get("/account/tokens/").status_code == 403
    made = client.post("/account/tokens/", {"name": "forever"})
    assert made.status_code == 403
    assert not ApiToken.objects.filter(user__people=ann).exists()
    ann.refresh_from_db()
    with pytest.raises(NotAllowed):
        core_services.create_token(
            actor=Actor(hill["school"], Role.MEMBER, ann.user, ann), name="x"
        )
    # a teacher still may, and sees both links
    teacher = web(hill["tara"]).get("/").content.decode()
    assert "/account/tokens/" in teacher
    assert "Change password" in teacher


def test_a_new_picture_a_new_code_or_turning_it_off_signs_students_out(
    hill: dict[str, Any],
) -> None:
    from ampwork.core.models import ApiToken

    row, drawn = _on(hill)
    ann, ben = hill["ann"], hill["ben"]
    clients = {ann.pk: Client(), ben.pk: Client()}
    for person in (ann, ben):
        _student_session(clients[person.pk], row, person, drawn[person.pk])
        person.refresh_from_db()
    # a token made before the rule (or by hand) is revoked with the session
    token = ApiToken.objects.create(
        organisation=hill["school"], user=ann.user, name="old", prefix="amp_x", digest="d" * 64
    )
    drawn.update(services.reset_secret(actor=hill["actor"], team=hill["four_b"], student_id=ann.pk))
    assert clients[ann.pk].get("/").status_code == 302  # signed out
    assert clients[ben.pk].get("/").status_code == 200  # a classmate is not
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.get(action="classcode.secret_reset").detail["sessions_ended"] == 1
    # a new code ends the class's class-code sessions
    _student_session(clients[ann.pk], row, ann, drawn[ann.pk])
    row = services.new_code(actor=hill["actor"], team=hill["four_b"])
    assert clients[ann.pk].get("/").status_code == 302
    assert clients[ben.pk].get("/").status_code == 302
    # turning it off too
    _student_session(clients[ben.pk], row, ben, drawn[ben.pk])
    services.switch_off(actor=hill["actor"], team=hill["four_b"])
    assert clients[ben.pk].get("/").status_code == 302
    # a teacher's own session is never touched
    assert AuditEvent.objects.get(action="classcode.switched_off").detail["sessions_ended"] == 1


def test_parallel_wrong_pictures_cannot_pass_the_lock(
    hill: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guesses that arrive while another is being checked (the slow hash) are counted
    before they are checked: at most the limit are ever checked."""
    row, drawn = _on(hill)
    ann = hill["ann"]
    limit = settings.CLASS_CODE_FAILURE_LIMIT
    guesses = [c.key for c in class_codes.choices("pictures")]  # all nine: one is right
    checked: list[str] = []
    real_check = check_password
    results: list[str] = []

    def slow_check(text: str, digest: str) -> bool:
        checked.append(text)
        if guesses:  # the next guess arrives while this one is hashed
            guess = guesses.pop(0)
            try:
                services.sign_in(row=row, student_id=ann.pk, picked=guess)
                results.append("in")
            except services.Throttled:
                results.append("locked")
            except ValidationFailed:
                results.append("wrong")
        return real_check(text, digest)

    monkeypatch.setattr(services, "check_password", slow_check)
    # the first guess is a wrong picture (a valid one: "x" would be refused unchecked)
    first = next(g for g in guesses if g != drawn[ann.pk])
    guesses.remove(first)
    with pytest.raises((ValidationFailed, services.Throttled)):
        services.sign_in(row=row, student_id=ann.pk, picked=first)
    assert len(checked) <= limit
    assert "locked" in results
    assert services.failures(services.student_key(ann.pk)) <= limit


def test_malformed_codes_do_not_count_and_the_window_is_fixed(
    hill: dict[str, Any], client: Client
) -> None:
    row, _ = _on(hill)
    assert settings.CLASS_CODE_ADDRESS_LIMIT == 50  # the default, like the password sign-in's
    key = services.address_key("10.1.1.1")
    for typed in ("", "abc", "KQ7XHM0", "x" * 60):
        assert _code_flow(client, typed).status_code == 400
    assert services.failures(key) == 0  # they match nothing: not counted
    assert _code_flow(client, "CDFGHJK" if row.code != "CDFGHJK" else "CDFGHJM").status_code == 400
    assert services.failures(key) == 1
    # a fixed window: failures later in it do not move its end
    start = timezone.now()
    now = start
    for _ in range(10):
        now += dt.timedelta(minutes=1)
        services.fail(key, now)
    assert services.failures(key, now) == 11
    cooloff = dt.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    assert services.failures(key, start + cooloff - dt.timedelta(seconds=2)) == 11
    assert services.failures(key, start + cooloff + dt.timedelta(seconds=2)) == 0
    # counting prunes the rows whose window is over
    ClassCodeFailure.objects.create(key="student:999999", failures=3, last_at=start - 2 * cooloff)
    services.fail(key)
    assert not ClassCodeFailure.objects.filter(key="student:999999").exists()


def test_a_head_teacher_clears_the_schools_class_code_locks(
    hill: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    row, drawn = _on(hill)
    ann = hill["ann"]
    address = services.address_key("127.0.0.1")  # the test client's address
    for _ in range(settings.CLASS_CODE_ADDRESS_LIMIT):
        services.fail(address)
    for key in _wrong("pictures", drawn[ann.pk])[:5]:
        with pytest.raises((ValidationFailed, services.Throttled)):
            services.sign_in(row=row, student_id=ann.pk, picked=key)
    url = f"/classroom/classes/{hill['four_b'].pk}/sign-in/"
    # the class's teacher has no such button, and the action is refused
    tara = web(hill["tara"])
    assert "Clear class-code locks" not in tara.get(url).content.decode()
    tara.post(url, {"action": "clear_locks"})
    assert services.is_locked(address, settings.CLASS_CODE_ADDRESS_LIMIT)
    assert services.is_locked(services.student_key(ann.pk), settings.CLASS_CODE_FAILURE_LIMIT)
    # neither page shows any digest
    head = web(hill["head"])
    page = head.get(url).content.decode()
    assert "Clear class-code locks" in page
    assert address.split(":")[1] not in page
    assert head.post(url, {"action": "clear_locks"}).status_code == 302
    assert not services.is_locked(address, settings.CLASS_CODE_ADDRESS_LIMIT)
    assert services.failures(services.student_key(ann.pk)) == 0
    event = AuditEvent.objects.get(action="classcode.locks_cleared")
    assert event.detail["lifted"] == 2
    assert services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])


def test_ten_wrong_pictures_in_one_flow_drop_it(hill: dict[str, Any], client: Client) -> None:
    """Wrong pictures across students count per flow: at the tenth the code must be typed
    again, and the dropped flow counts against the address."""
    row, drawn = _on(hill)
    ann, ben = hill["ann"], hill["ben"]
    key = services.address_key("127.0.0.1")  # the test client's address
    assert _code_flow(client, row.code, address="127.0.0.1").status_code == 302
    for person, n in ((ann, 5), (ben, 4)):  # ann's fifth locks her; nine wrong in all
        for picked in _wrong("pictures", drawn[person.pk])[:n]:
            response = client.post(f"/classroom/sign-in/names/{person.pk}/", {"picked": picked})
            assert response.status_code in (400, 429)
    assert client.get("/classroom/sign-in/names/").status_code == 200  # nine: still on
    assert services.failures(key) == 0
    tenth = client.post(
        f"/classroom/sign-in/names/{ben.pk}/", {"picked": _wrong("pictures", drawn[ben.pk])[4]}
    )
    assert tenth.status_code == 302
    assert tenth["Location"] == "/classroom/sign-in/"
    assert client.get("/classroom/sign-in/names/").status_code == 302  # the flow is gone
    assert services.failures(key) == 1
    # the right picture now needs the code again
    again = client.post(f"/classroom/sign-in/names/{ben.pk}/", {"picked": drawn[ben.pk]})
    assert again["Location"] == "/classroom/sign-in/"
    assert "_auth_user_id" not in client.session


def test_names_never_show_more_than_three_letters_of_a_surname() -> None:
    names = class_codes.short_names(
        [
            (1, "Ada Lovelace"),
            (2, "Ada Lovelock"),
            (3, "Ada Lovell"),
            (4, "Mary Jane Watson"),
            (5, "Mary Ann Wu"),
            (6, "Mary Jo Wu"),
        ]
    )
    assert names[1] == "Ada Lov."
    assert names[2] == "Ada Lov. (2)"
    assert names[3] == "Ada Lov. (3)"
    assert names[4] == "Mary Wa."  # never a middle name
    assert names[5] == "Mary Wu"
    assert names[6] == "Mary Wu (2)"
    for pk, label in names.items():
        assert "Jane" not in label
        assert "Ann" not in label
        assert "Jo " not in label
        surname = label.split(" (")[0].split(" ")[-1].rstrip(".")
        assert len(surname) <= 3, (pk, label)


def test_a_class_code_session_ends_a_fixed_time_after_sign_in(
    hill: dict[str, Any], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Activity every five minutes does not keep it: signed in at 7h59, out at 8h."""
    from django.utils import timezone as django_timezone

    row, drawn = _on(hill)
    ann = hill["ann"]
    start = timezone.now()
    clock = {"now": start}
    real_now = django_timezone.now
    monkeypatch.setattr(django_timezone, "now", lambda: clock["now"])
    _student_session(client, row, ann, drawn[ann.pk])
    hours = settings.CLASS_CODE_SESSION_HOURS
    step = dt.timedelta(minutes=5)
    while clock["now"] + step < start + dt.timedelta(hours=hours, minutes=-1):
        clock["now"] += step
        assert client.get("/").status_code == 200
    clock["now"] = start + dt.timedelta(hours=hours, minutes=-1)  # 7h59
    assert client.get("/").status_code == 200
    clock["now"] = start + dt.timedelta(hours=hours, seconds=1)  # just past 8h
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]
    monkeypatch.setattr(django_timezone, "now", real_now)


def test_the_schools_sso_takes_over_a_class_code_account(hill: dict[str, Any]) -> None:
    from ampwork.core.services import sso as sso_services

    row, drawn = _on(hill)
    ann = hill["ann"]
    user = services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    ann.refresh_from_db()
    ann.email = "ann.archer@hill.example"
    ann.save()
    joined = sso_services.join_by_sso(
        organisation=hill["school"], email="Ann.Archer@hill.example", name="Ann", subject="s-1"
    )
    assert joined.pk == user.pk
    joined.refresh_from_db()
    assert joined.email == "ann.archer@hill.example"
    assert AuditEvent.objects.filter(
        action="person.class_code_taken_over_by_sso", target_id=str(ann.pk)
    ).exists()
    # an account with a password is never taken over
    ben = hill["ben"]
    other = services.sign_in(row=row, student_id=ben.pk, picked=drawn[ben.pk])
    other.set_password("a lantern by the river 2026")
    other.save()
    ben.refresh_from_db()
    ben.email = "ben.brook@hill.example"
    ben.save()
    with pytest.raises(ValidationFailed):
        sso_services.join_by_sso(
            organisation=hill["school"], email="ben.brook@hill.example", name="", subject="s-2"
        )


def test_a_password_is_never_set_on_a_class_code_login_without_an_email(
    hill: dict[str, Any],
) -> None:
    from ampwork.core import services as core_services

    row, drawn = _on(hill)
    ann = hill["ann"]
    user = services.sign_in(row=row, student_id=ann.pk, picked=drawn[ann.pk])
    ann.refresh_from_db()
    assert ann.email.endswith(".invalid")
    with pytest.raises(ValidationFailed) as exc:
        core_services.grant_login(
            actor=hill["head_actor"], person=ann, password="a lantern by the river 2026"
        )
    assert exc.value.errors[0].field == "email"
    user.refresh_from_db()
    assert not user.has_usable_password()
    # an email another account has: refused too
    UserFactory(email="taken@hill.example")
    ann.email = "taken@hill.example"
    ann.save()
    with pytest.raises(ValidationFailed) as exc:
        core_services.grant_login(
            actor=hill["head_actor"], person=ann, password="a lantern by the river 2026"
        )
    assert exc.value.errors[0].field in ("email", "password")
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_messages_name_the_classs_kind(hill: dict[str, Any]) -> None:
    row, drawn = _on(hill, kind="words")
    ann = hill["ann"]
    StudentSecret.objects.filter(student=ann).delete()
    with pytest.raises(ValidationFailed, match="given you a word yet"):
        services.sign_in(row=row, student_id=ann.pk, picked="apple")
    ben = hill["ben"]
    for key in _wrong("words", drawn[ben.pk])[:5]:
        with pytest.raises((ValidationFailed, services.Throttled)):
            services.sign_in(row=row, student_id=ben.pk, picked=key)
    with pytest.raises(services.Throttled, match="for a new word"):
        services.sign_in(row=row, student_id=ben.pk, picked=drawn[ben.pk])


@pytest.mark.parametrize("kind", ["pictures", "words"])
def test_a_german_page_names_the_pictures_in_german_and_the_secret_is_the_same(
    hill: dict[str, Any], client: Client, kind: str
) -> None:
    """The secret is the picture's (word's) key, the same in every language: a student whose
    page is in German reads "Sonne" or "Tiger", picks it and is signed in; the English page
    names the same nine in English."""
    row, drawn = _on(hill, kind=kind)
    ann = hill["ann"]
    _code_flow(client, row.code)
    german = client.get(
        f"/classroom/sign-in/names/{ann.pk}/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    english = client.get(
        f"/classroom/sign-in/names/{ann.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    first = "Sonne" if kind == "pictures" else "Apfel"
    assert f"<span>{first}</span>" in german
    assert f"<span>{first}</span>" not in english
    assert f"<span>{'sun' if kind == 'pictures' else 'apple'}</span>" in english
    done = client.post(
        f"/classroom/sign-in/names/{ann.pk}/", {"picked": drawn[ann.pk]}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert done.status_code == 302
    assert done["Location"] == "/"
