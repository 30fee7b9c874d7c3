"""Invitations for new people: a one-time link (digest stored, 7 days, the address it was
sent to recorded, replaced when sent again) where the person sets their first password."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.utils import timezone

from ampwork.core import services
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.imports import import_people
from ampwork.core.models import (
    AuditEvent,
    Invitation,
    Organisation,
    Person,
    Role,
    SignInInvite,
    User,
)
from ampwork.core.permissions import Actor
from ampwork.core.services import sign_in_invites

from ..factories import PersonFactory

PASSWORD = "a long enough passphrase 2026"


def _code(email: str) -> str:
    letters = [m for m in mail.outbox if m.to == [email]]
    assert letters, f"no email to {email}"
    found = re.search(r"/join/([\w-]+)/", letters[-1].body)
    assert found is not None
    return found.group(1)


def _wait_to_resend(person: Person) -> None:
    """Ten minutes pass: at most one invitation per person per ten minutes."""
    AuditEvent.objects.filter(
        action="person.sign_in_invited", target_type="Person", target_id=str(person.pk)
    ).update(created_at=timezone.now() - dt.timedelta(minutes=11))


def _add(actor: Actor, capture: Any, email: str = "new.hire@acme.example", **kw: Any) -> Person:
    with capture(execute=True):
        return services.create_person(actor=actor, name="New Hire", email=email, invite=True, **kw)


def test_adding_a_person_with_invite_emails_a_one_time_link_stored_as_a_digest(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    code = _code("new.hire@acme.example")
    row = SignInInvite.objects.get(person=person)
    assert row.digest == sign_in_invites.code_digest(code)
    assert code not in row.digest
    assert row.email == "new.hire@acme.example"
    assert row.expires_at - row.created_at == dt.timedelta(days=7)
    assert row.invited_by == admin_actor.person
    assert AuditEvent.objects.filter(action="person.sign_in_invited", target_id=str(person.pk))
    assert mail.outbox[-1].subject == "Acme invites you to ampwork"


def test_without_invite_no_email_and_no_link(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.create_person(actor=admin_actor, name="Quiet", email="quiet@acme.example")
    assert not SignInInvite.objects.exists()
    assert not [m for m in mail.outbox if m.to == ["quiet@acme.example"]]


def test_the_link_sets_the_password_once_and_signs_in(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    code = _code(person.email)
    page = client.get(f"/join/{code}/")
    assert page.status_code == 200
    assert b"Choose a password" in page.content
    assert "no-store" in page["Cache-Control"]
    weak = client.post(f"/join/{code}/", {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400
    assert not User.objects.filter(email=person.email).exists()
    done = client.post(f"/join/{code}/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/"
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.check_password(PASSWORD)
    assert client.get("/").status_code == 200  # signed in, in Acme
    # the new session is recorded at once: it is listed and can be ended
    assert UserSession.objects.filter(user=person.user).count() == 1
    # once: the same link again changes nothing
    again = Client().post(f"/join/{code}/", {"new_password1": "x" * 20, "new_password2": "x" * 20})
    assert again.status_code == 400
    assert b"used already" in again.content
    person.user.refresh_from_db()
    assert person.user.check_password(PASSWORD)


def test_a_forged_link_gets_a_clear_page_and_changes_nothing(db: Any, client: Client) -> None:
    page = client.post("/join/forged-code/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert page.status_code == 400
    assert b"not valid" in page.content
    assert b"Nothing was changed" in page.content
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("before_expiry", "valid"),
    [
        (dt.timedelta(microseconds=1), True),  # a microsecond before: valid
        (dt.timedelta(0), False),  # at it: expired
        (-dt.timedelta(microseconds=1), False),  # after
    ],
)
def test_expiry_exactly_at_seven_days(
    admin_actor: Actor,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    before_expiry: dt.timedelta,
    valid: bool,
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    code = _code(person.email)
    row = SignInInvite.objects.get(person=person)
    moment = row.expires_at - before_expiry
    monkeypatch.setattr(timezone, "now", lambda: moment)
    if valid:
        services.accept_sign_in_invite(code=code, password=PASSWORD)
        assert Person.objects.get(pk=person.pk).user is not None
    else:
        with pytest.raises(ValidationFailed, match="expired"):
            services.accept_sign_in_invite(code=code, password=PASSWORD)
        assert not User.objects.filter(email=person.email).exists()


def test_an_expired_link_gets_a_clear_page(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    code = _code(person.email)
    SignInInvite.objects.filter(person=person).update(expires_at=timezone.now())
    page = client.get(f"/join/{code}/")
    assert page.status_code == 400
    assert b"expired" in page.content


def test_resending_replaces_the_old_link(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    first = _code(person.email)
    _wait_to_resend(person)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_sign_in_invite(actor=admin_actor, person=person)
    second = _code(person.email)
    assert first != second
    assert SignInInvite.objects.filter(person=person).count() == 1
    with pytest.raises(ValidationFailed, match="not valid"):
        services.accept_sign_in_invite(code=first, password=PASSWORD)
    services.accept_sign_in_invite(code=second, password=PASSWORD)


def test_a_link_sent_to_an_old_address_no_longer_works(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    code = _code(person.email)
    services.update_person(actor=admin_actor, person=person, email="moved@acme.example")
    with pytest.raises(ValidationFailed, match="not valid"):  # voided when the email changed
        services.accept_sign_in_invite(code=code, password=PASSWORD)
    assert not User.objects.exists() or not User.objects.filter(email__contains="acme.example")


def test_a_deactivated_persons_link_does_not_work(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    code = _code(person.email)
    services.update_person(actor=admin_actor, person=person, active=False)
    with pytest.raises(ValidationFailed, match="not valid"):
        services.accept_sign_in_invite(code=code, password=PASSWORD)
    with pytest.raises(ValidationFailed, match="deactivated"):
        services.send_sign_in_invite(actor=admin_actor, person=person)


def test_an_email_with_an_account_keeps_the_accept_flow(
    admin_actor: Actor,
    other_org: Organisation,
    make_person: Callable[..., Person],
    django_capture_on_commit_callbacks: Any,
) -> None:
    elsewhere = make_person(other_org)
    person = _add(admin_actor, django_capture_on_commit_callbacks, email=elsewhere.email)
    assert person.user is None  # never attached silently
    assert not SignInInvite.objects.exists()
    assert Invitation.objects.get(person=person).status == Invitation.Status.PENDING
    # sending again from the person's page asks the same account, no set-password link
    with django_capture_on_commit_callbacks(execute=True):
        got = services.send_sign_in_invite(actor=admin_actor, person=person)
    assert isinstance(got, Invitation)
    assert not SignInInvite.objects.exists()


def test_an_account_made_after_the_link_was_sent_is_never_attached(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any, other_org: Organisation
) -> None:
    person = _add(admin_actor, django_capture_on_commit_callbacks)
    code = _code(person.email)
    User.objects.create_user(email=person.email, password="someone else's 2026")
    with pytest.raises(ValidationFailed, match="already uses this email"):
        services.accept_sign_in_invite(code=code, password=PASSWORD)
    assert Person.objects.get(pk=person.pk).user is None


def test_someone_who_signs_in_already_is_not_invited(admin_actor: Actor, admin: Person) -> None:
    with pytest.raises(ValidationFailed, match="can sign in already"):
        services.send_sign_in_invite(actor=admin_actor, person=admin)


def test_members_and_managers_may_not_invite(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    target = PersonFactory(organisation=org)
    for role in (Role.MEMBER, Role.MANAGER):
        with pytest.raises(NotAllowed):
            services.send_sign_in_invite(actor=actor_of(make_person(org, role)), person=target)
    ops = actor_of(make_person(org, Role.PEOPLE_OPS))
    services.send_sign_in_invite(actor=ops, person=target)


def test_the_web_form_and_the_person_page_send_invitations(
    admin: Person,
    web: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = web(admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/people/new/",
            {
                "name": "Web Hire",
                "email": "web.hire@acme.example",
                "role": "member",
                "invite": "on",
            },
        )
    assert answer.status_code == 302
    person = Person.objects.get(email="web.hire@acme.example")
    first = _code(person.email)
    page = client.get(f"/people/{person.pk}/")
    assert b"Send a new invitation" in page.content
    _wait_to_resend(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{person.pk}/invite/")
    assert _code(person.email) != first


def test_the_api_invites_on_request_and_refuses_unknown_fields(
    admin: Person,
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    headers = bearer(admin)
    body = {"name": "Api Hire", "email": "api.hire@acme.example", "invite": True}
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/api/v1/people", body, content_type="application/json", **headers)
    assert made.status_code == 201
    assert SignInInvite.objects.filter(person_id=made.json()["id"]).exists()
    _code("api.hire@acme.example")
    wrong = {"name": "X", "email": "x@acme.example", "invite": "maybe"}
    bad = client.post("/api/v1/people", wrong, content_type="application/json", **headers)
    assert bad.status_code == 422
    assert "invite" in bad.content.decode()
    assert not Person.objects.filter(email="x@acme.example").exists()


CSV = "name,email\nAda Byron,ada@acme.example\nGrace Hopper,grace@acme.example\n"


def test_a_csv_import_invites_everyone_new_and_only_when_it_is_written(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_people(actor=admin_actor, text=CSV, invite=True)
    assert SignInInvite.objects.count() == 2
    _code("ada@acme.example")
    _code("grace@acme.example")


def test_a_refused_csv_import_sends_nothing(
    admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    bad = CSV + "No Email,not-an-email\n"
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        import_people(actor=admin_actor, text=bad, invite=True)
    assert not SignInInvite.objects.exists()
    assert not mail.outbox


def test_the_import_page_option_invites(
    admin: Person, web: Callable[[Person], Client], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web(admin)
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")
    checked = client.post("/import/", {"kind": "people", "file": upload})
    assert checked.status_code == 200
    assert b"invitation to choose their password" in checked.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/import/commit/", {"invite": "1"})
    assert SignInInvite.objects.count() == 2


def test_the_person_page_says_when_the_email_already_has_an_account(
    admin: Person,
    other_org: Organisation,
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
) -> None:
    elsewhere = make_person(other_org)
    person = PersonFactory(organisation=admin.organisation, email=elsewhere.email)
    answer = web(admin).post(f"/people/{person.pk}/invite/", follow=True)
    assert "already has an account: they join when they accept" in answer.text
    assert not SignInInvite.objects.exists()


def test_inviting_a_deactivated_new_person_is_refused_and_writes_nothing(
    admin_actor: Actor,
) -> None:
    with pytest.raises(ValidationFailed, match="deactivated"):
        services.create_person(
            actor=admin_actor, name="Gone", email="gone@acme.example", active=False, invite=True
        )
    assert not Person.objects.filter(email="gone@acme.example").exists()
