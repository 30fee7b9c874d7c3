"""Issue 15's sign-in review, each fix as the attack it stops: guessing two-factor codes,
switching the policy off while held back, an older password-only session inheriting pay
access, the advisor showing the pay gate's figures, a single sign-on account stuck before
two-factor, a guardian who cannot reset, a new session key untracked, invitations abused
(mail bombing, dead addresses, a revived old link) and people ops taking over an admin."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.advisor import dashboards
from ampwork.advisor import selectors as advisor_selectors
from ampwork.classroom.models import Guardian, GuardianOf
from ampwork.core import selectors, services
from ampwork.core.errors import NotAllowed, TwoFactorRequired, ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role, SignInInvite, User
from ampwork.core.permissions import Actor
from ampwork.fairness.models import AuditRun

from ..conftest import PASSWORD
from ..factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

FIGURES = ["gender pay gap of 17.3%", "3 people below their band"]


def _totp(person: Person) -> pyotp.TOTP:
    assert person.user is not None
    secret = pyotp.random_base32()
    TOTP.activate(person.user, secret)
    return pyotp.TOTP(secret)


def _wrong(app: pyotp.TOTP) -> str:
    return f"{(int(app.now()) + 1) % 1_000_000:06d}"


def _password(client: Client, person: Person) -> Any:
    return client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _actor(person: Person) -> Actor:
    assert person.user is not None
    actor = selectors.actor_for(person.user, person.organisation)
    assert actor is not None
    return actor


def _policy(org: Organisation, on: bool) -> None:
    org.require_two_factor = on
    org.save(update_fields=["require_two_factor"])


# ------------------------------------------------ 1. two-factor codes cannot be guessed


@pytest.mark.parametrize("wrong", [4, 5])
def test_attack_guessing_codes_at_sign_in_locks_code_entry_after_five(
    client: Client, admin: Person, wrong: int
) -> None:
    app = _totp(admin)
    _password(client, admin)
    for _ in range(wrong):
        reply = client.post(reverse("mfa_authenticate"), {"code": _wrong(app)})
        assert b"Incorrect code." in reply.content
    reply = client.post(reverse("mfa_authenticate"), {"code": app.now()})
    if wrong == 4:  # just below: the right code still signs in
        assert reply.status_code == 302
        assert _signed_in(client)
    else:  # on the limit: the sixth try is refused, even with the right code
        assert reply.status_code == 200
        assert not _signed_in(client)
        assert b"Incorrect code." not in reply.content


def test_attack_the_lock_is_per_account_not_per_browser(client: Client, admin: Person) -> None:
    app = _totp(admin)
    for _ in range(5):  # each guess from a fresh browser (a new session each time)
        thief = Client()
        _password(thief, admin)
        thief.post(reverse("mfa_authenticate"), {"code": _wrong(app)})
    _password(client, admin)
    client.post(reverse("mfa_authenticate"), {"code": app.now()})
    assert not _signed_in(client)


def test_attack_guessing_codes_at_reauthentication_is_limited_too(
    client: Client, admin: Person
) -> None:
    app = _totp(admin)
    _password(client, admin)
    client.post(reverse("mfa_authenticate"), {"code": app.now()})
    assert _signed_in(client)
    # a stolen signed-in session: the thief guesses codes to reach the sensitive pages
    for _ in range(5):
        client.post(reverse("mfa_reauthenticate"), {"code": _wrong(app)})
    reply = client.post(reverse("mfa_reauthenticate"), {"code": app.now()})
    assert reply.status_code == 200  # refused, the form again
    assert b"Incorrect code." not in reply.content


def test_wrong_passwords_are_still_counted_by_axes_alone(
    client: Client, admin: Person, settings: Any
) -> None:
    """allauth's "login_failed" is back for codes; it must not count passwords too (axes
    does, with its own limit): under a looser axes limit, six wrong passwords and then the
    right one still sign in."""
    settings.AXES_FAILURE_LIMIT = 8
    for _ in range(6):
        client.post(reverse("account_login"), {"login": admin.email, "password": "wrong"})
    _password(client, admin)
    assert _signed_in(client)


# ---------------------------------------------- 2. the policy and sessions with two-factor


def test_attack_a_held_back_admin_cannot_switch_the_policy_off(
    org: Organisation, admin: Person
) -> None:
    _policy(org, True)
    held = _actor(admin)
    assert not held.two_factor_ok
    with pytest.raises(TwoFactorRequired):
        services.update_organisation(actor=held, require_two_factor=False)
    org.refresh_from_db()
    assert org.require_two_factor
    # the settings page saving other fields with the policy unchanged still works
    services.update_organisation(actor=held, name="Acme renamed", require_two_factor=True)
    # once enrolled, they may
    _totp(admin)
    services.update_organisation(actor=_actor(admin), require_two_factor=False)
    org.refresh_from_db()
    assert not org.require_two_factor


def test_attack_the_settings_page_refuses_a_held_back_admin_switching_it_off(
    org: Organisation, admin: Person, web: Callable[[Person], Client]
) -> None:
    _policy(org, True)
    client = web(admin)
    page = client.get(reverse("core:settings"))
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    form["require_two_factor"] = ""
    client.post(reverse("core:settings"), form)
    org.refresh_from_db()
    assert org.require_two_factor


def test_attack_adding_an_app_ends_an_older_password_only_session(
    org: Organisation, admin: Person, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    _policy(org, True)
    older = Client()
    _password(older, admin)  # e.g. whoever learnt the password, signed in earlier
    assert older.get("/").status_code == 200
    owner = Client()
    _password(owner, admin)
    owner.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = owner.get(reverse("mfa_activate_totp"))
    app = pyotp.TOTP(page.context["form"].secret)
    with capture(execute=True):  # allauth says so once the app is saved
        done = owner.post(reverse("mfa_activate_totp"), {"code": app.now()})
    assert done.status_code == 302
    # the older session is signed out: it cannot reach pay data as "two-factor set up"
    assert older.get("/").status_code == 302
    assert older.get(reverse("fairness:overview")).status_code == 302
    # the session that added it stays signed in
    assert owner.get("/").status_code == 200
    assert UserSession.objects.filter(user=admin.user).count() == 1


# ------------------------------------------------ 3. the advisor shows no pay figures


@pytest.fixture
def red_gate(org: Organisation) -> AuditRun:
    return AuditRun.objects.create(organisation=org, status="red", reasons=FIGURES)


def _no_figures(text: str) -> None:
    for figure in FIGURES:
        assert figure not in text


@pytest.mark.usefixtures("red_gate")
def test_attack_a_manager_reads_no_pay_figures_on_the_advisor(
    org: Organisation,
    admin: Person,
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    manager = make_person(org, Role.MANAGER)
    PersonFactory(organisation=org, manager=manager)
    page = web(manager).get("/advisor/")
    assert page.status_code == 200
    _no_figures(page.content.decode())
    api = Client().get("/api/v1/advisor/checklist", **bearer(manager))
    assert api.status_code == 200
    _no_figures(api.content.decode())
    assert "the fairness gate is red" in api.content.decode()  # the status still shows
    # an admin (policy off) reads them
    api = Client().get("/api/v1/advisor/checklist", **bearer(admin))
    assert FIGURES[0] in api.content.decode()


@pytest.mark.usefixtures("red_gate")
def test_attack_a_held_back_admin_reads_no_pay_figures_and_no_cached_ones(
    org: Organisation,
    admin: Person,
    web: Callable[[Person], Client],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    client = web(admin)
    assert FIGURES[0] in client.get("/advisor/").content.decode()  # cached, policy off
    _policy(org, True)
    page = client.get("/advisor/")
    assert page.status_code == 200
    _no_figures(page.content.decode())
    _no_figures(client.get("/").content.decode())
    api = Client().get("/api/v1/advisor/checklist", **bearer(admin))
    _no_figures(api.content.decode())


@pytest.mark.usefixtures("red_gate")
def test_attack_a_held_back_admins_weekly_digest_carries_no_pay_figures(
    org: Organisation, admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The weekly digest's "ignoring fairness" finding quotes the red gate's reasons: an
    admin the policy holds back reads the status only, as on the advisor page."""
    real = advisor_selectors.facts
    monkeypatch.setattr(
        advisor_selectors,
        "facts",
        lambda data: dataclasses.replace(real(data), autonomy_under_way="2 steps granted"),
    )

    def evidence() -> str:
        digests = {p.pk: d for p, d in dashboards.digests(org, timezone.localdate())}
        return " ".join(" ".join(s.finding.evidence) for s in digests[admin.pk].findings)

    assert FIGURES[0] in evidence()  # policy off: the admin reads the reasons
    _policy(org, True)
    text = evidence()
    assert "the fairness gate is red" in text
    _no_figures(text)
    assert admin.user is not None  # with two-factor set up: the reasons again
    Authenticator.objects.create(user=admin.user, type=Authenticator.Type.TOTP, data={})
    assert FIGURES[0] in evidence()


# ---------------------------------------- 4. single sign-on accounts can add two-factor


def _sso_client(person: Person, seconds_ago: float) -> Client:
    """Signed in through the provider: no usable password, allauth's record of the sign-in."""
    assert person.user is not None
    person.user.set_unusable_password()
    person.user.save()
    client = Client()
    client.force_login(person.user)
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(person.user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "socialaccount", "at": time.time() - seconds_ago, "provider": "acme"}
    ]
    session.save()
    return client


@pytest.mark.parametrize(("ago", "opens"), [(540, True), (660, False)])
def test_an_sso_account_adds_an_app_soon_after_signing_in(
    admin: Person, ago: float, opens: bool
) -> None:
    client = _sso_client(admin, ago)
    page = client.get(reverse("mfa_activate_totp"))
    if opens:
        assert page.status_code == 200
        app = pyotp.TOTP(page.context["form"].secret)
        done = client.post(reverse("mfa_activate_totp"), {"code": app.now()})
        assert done.status_code == 302
        assert selectors.has_two_factor(admin.user)  # type: ignore[arg-type]
    else:  # an old sign-in (a session left open) does not count
        assert page.status_code != 200
        assert not selectors.has_two_factor(admin.user)  # type: ignore[arg-type]


def test_a_password_account_is_still_asked_for_its_password(client: Client, admin: Person) -> None:
    _password(client, admin)  # recent, but a password exists: allauth asks for it
    page = client.get(reverse("mfa_activate_totp"))
    assert page["Location"].startswith(reverse("account_reauthenticate"))


# ------------------------------------------------------- 5. guardians reset a password


def test_a_guardian_can_reset_their_password(
    school: Organisation, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="gina@example.org")
    gina = Guardian.objects.create(
        organisation=school, sourced_id="g1", name="Gina", email="gina@example.org", user=user
    )
    ann = PersonFactory(organisation=school, name="Ann", role=Role.MEMBER)
    GuardianOf.objects.create(organisation=school, guardian=gina, student=ann)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "gina@example.org"})
    assert [m.to for m in mail.outbox] == [["gina@example.org"]]
    # a guardian no longer on record (deactivated) gets nothing
    mail.outbox.clear()
    gina.active = False
    gina.save()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": "gina@example.org"})
    assert mail.outbox == []


def test_an_account_of_nobody_gets_no_reset(
    db: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(email="stray@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "stray@example.org"})
    assert mail.outbox == []


# ------------------------------------------------- 6. a new session key is tracked at once


def test_a_password_change_s_new_session_is_listed_at_once(admin: Person) -> None:
    client = Client()
    _password(client, admin)
    before = client.session.session_key
    new = "another long passphrase 2026"
    reply = client.post(
        reverse("account_change_password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert reply.status_code == 302
    after = client.session.session_key
    assert after != before
    # no page visited since: the new key has its row already, so it can be ended
    assert UserSession.objects.filter(session_key=after, user=admin.user).exists()
    services.end_sessions_of([admin.user_id])  # type: ignore[list-item]
    assert client.get("/").status_code == 302


# ------------------------------------------------------------------- 7. invitations


def _add(actor: Actor, capture: Any, email: str, role: str = Role.MEMBER) -> Person:
    with capture(execute=True):
        return services.create_person(
            actor=actor, name="New Hire", email=email, role=role, invite=True
        )


def _age_invites(person: Person, minutes: int) -> None:
    AuditEvent.objects.filter(action="person.sign_in_invited", target_id=str(person.pk)).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


@pytest.mark.parametrize(("minutes", "sent"), [(9, False), (11, True)])
def test_attack_mail_bombing_one_invitation_per_ten_minutes(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any, minutes: int, sent: bool
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks, "hire@acme.example")
    _age_invites(person, minutes)
    mail.outbox.clear()
    if sent:
        with django_capture_on_commit_callbacks(execute=True):
            services.send_sign_in_invite(actor=admin_actor, person=person)
        assert len(mail.outbox) == 1
    else:
        with pytest.raises(ValidationFailed, match="less than 10 minutes ago") as raised:
            services.send_sign_in_invite(actor=admin_actor, person=person)
        assert raised.value.errors[0].field == "invite"
        assert mail.outbox == []


def test_no_invitation_to_an_invalid_address(admin_actor: Actor, org: Organisation) -> None:
    person = PersonFactory(organisation=org, email="student-7@pupils.invalid")
    with pytest.raises(ValidationFailed, match="no email address") as raised:
        services.send_sign_in_invite(actor=admin_actor, person=person)
    assert raised.value.errors[0].field == "email"
    assert not SignInInvite.objects.filter(person=person).exists()


def test_attack_changing_the_email_away_and_back_does_not_revive_an_old_link(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks, "hire@acme.example")
    letter = mail.outbox[-1].body
    code = letter.split("/join/")[1].split("/")[0]
    services.update_person(actor=admin_actor, person=person, email="else@acme.example")
    services.update_person(actor=admin_actor, person=person, email="hire@acme.example")
    with pytest.raises(ValidationFailed, match="not valid"):
        services.accept_sign_in_invite(code=code, password=PASSWORD)
    assert not User.objects.filter(email="hire@acme.example").exists()


# ------------------------------------------- 8. people ops cannot take over an admin seat


@pytest.mark.parametrize("kind", ["company", "school"])
def test_attack_people_ops_cannot_give_an_admin_seat_its_first_sign_in(
    make_person: Callable[..., Person],
    admin: Person,
    school: Organisation,
    kind: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    org = admin.organisation if kind == "company" else school
    boss = admin if kind == "company" else make_person(school, Role.ADMIN)
    ops = _actor(make_person(org, Role.PEOPLE_OPS))
    seat = PersonFactory(organisation=org, role=Role.ADMIN, email="head@acme.example")
    # people ops first points the seat's email at their own mailbox, then invites
    services.update_person(actor=ops, person=seat, email="ops.mailbox@acme.example")
    with pytest.raises(NotAllowed):
        services.send_sign_in_invite(actor=ops, person=seat)
    with pytest.raises(NotAllowed):
        services.grant_login(actor=ops, person=seat, password=PASSWORD)
    seat.refresh_from_db()
    assert seat.user_id is None
    assert not SignInInvite.objects.filter(person=seat).exists()
    # a member's seat is still theirs to set up; an admin may set up an admin's
    member = PersonFactory(organisation=org, role=Role.MEMBER, email="m@acme.example")
    services.grant_login(actor=ops, person=member, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_sign_in_invite(actor=_actor(boss), person=seat)
    assert SignInInvite.objects.filter(person=seat).exists()
