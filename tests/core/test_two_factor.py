"""Two-factor sign-in (allauth.mfa) and the organisation's policy "require two-factor sign-in
for admins and people ops" (issue 15): the sign-in stage with codes an authenticator app
would compute (pyotp), recovery codes, and pay data and exports refused under the policy
to whoever has not set it up — on the web, through the API, with a personal token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from ampwork.core import selectors, services
from ampwork.core.errors import NotAllowed, TwoFactorRequired
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor, can, require
from ampwork.pulse.models import Round

from ..conftest import PASSWORD
from ..factories import RoundFactory

pytestmark = pytest.mark.django_db


def _totp(person: Person) -> pyotp.TOTP:
    """Set up an authenticator app for the person; the pyotp twin of their phone's app."""
    assert person.user is not None
    secret = pyotp.random_base32()
    TOTP.activate(person.user, secret)
    return pyotp.TOTP(secret)


def _password(client: Client, person: Person) -> Any:
    return client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ------------------------------------------------------------------- the sign-in stage


def test_the_password_alone_does_not_sign_in_someone_with_an_authenticator_app(
    client: Client, admin: Person
) -> None:
    _totp(admin)
    reply = _password(client, admin)
    assert reply.status_code == 302
    assert reply["Location"] == reverse("mfa_authenticate")
    assert not _signed_in(client)
    page = client.get(reverse("mfa_authenticate"))
    assert b"six-digit code" in page.content
    assert client.get("/").status_code == 302  # still not signed in


def test_a_wrong_code_is_refused_with_a_message_and_the_right_one_signs_in(
    client: Client, admin: Person
) -> None:
    app = _totp(admin)
    _password(client, admin)
    wrong = f"{(int(app.now()) + 1) % 1_000_000:06d}"
    reply = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert reply.status_code == 200
    assert b"Incorrect code." in reply.content
    assert not _signed_in(client)

    reply = client.post(reverse("mfa_authenticate"), {"code": app.now()})
    assert reply.status_code == 302
    assert _signed_in(client)
    assert client.get("/").status_code == 200


def test_a_code_used_once_is_refused_the_second_time(client: Client, admin: Person) -> None:
    app = _totp(admin)
    code = app.now()
    _password(client, admin)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))

    # an onlooker who saw the code types it within the same 30 seconds
    thief = Client()
    _password(thief, admin)
    reply = thief.post(reverse("mfa_authenticate"), {"code": code})
    assert reply.status_code == 200
    assert b"Incorrect code. A code works once, for 30 seconds" in reply.content
    assert not _signed_in(thief)


def test_a_recovery_code_signs_in_once(client: Client, admin: Person) -> None:
    _totp(admin)
    assert admin.user is not None
    codes = RecoveryCodes.activate(admin.user).get_unused_codes()
    _password(client, admin)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert _signed_in(client)
    client.post(reverse("account_logout"))

    again = Client()
    _password(again, admin)
    reply = again.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert b"Incorrect code." in reply.content
    assert not _signed_in(again)
    assert again.post(reverse("mfa_authenticate"), {"code": codes[1]}).status_code == 302


def test_a_code_of_someone_else_s_app_does_not_sign_in(
    client: Client, org: Organisation, make_person: Callable[..., Person]
) -> None:
    mine, theirs = make_person(org, Role.ADMIN), make_person(org, Role.ADMIN)
    _totp(mine)
    other_app = _totp(theirs)
    _password(client, mine)
    reply = client.post(reverse("mfa_authenticate"), {"code": other_app.now()})
    assert b"Incorrect code." in reply.content
    assert not _signed_in(client)


def test_setting_up_an_app_checks_a_first_code_and_shows_the_recovery_codes_once(
    client: Client, admin: Person
) -> None:
    _password(client, admin)
    # a change to one's sign-in asks for the password again first (allauth's reauthentication)
    page = client.get(reverse("mfa_activate_totp"))
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret.encode() in page.content
    assert b'src="data:image/svg+xml;base64,' in page.content  # the QR code
    app = pyotp.TOTP(secret)

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert b"Incorrect code." in wrong.content
    assert not selectors.has_two_factor(admin.user)  # type: ignore[arg-type]

    done = client.post(reverse("mfa_activate_totp"), {"code": app.now()})
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert selectors.has_two_factor(admin.user)  # type: ignore[arg-type]
    first = client.get(done["Location"])
    codes = first.context["unused_codes"]
    assert len(codes) == 10
    assert all(c.encode() in first.content for c in codes)
    assert b'download="ampwork-recovery-codes.txt"' in first.content
    second = client.get(done["Location"])
    assert not any(c.encode() in second.content for c in codes)  # shown once
    assert b"shown once" in second.content


def test_attack_another_account_s_passkey_cannot_be_renamed_or_removed(
    client: Client, org: Organisation, make_person: Callable[..., Person]
) -> None:
    me, victim = make_person(org, Role.ADMIN), make_person(org, Role.ADMIN)
    key = Authenticator.objects.create(
        user=victim.user, type=Authenticator.Type.WEBAUTHN, data={"name": "victim's key"}
    )
    _password(client, me)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        url = reverse(name, kwargs={"pk": key.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "mine now"}).status_code == 404
    key.refresh_from_db()
    assert key.data == {"name": "victim's key"}


# --------------------------------------------------------------------------- the policy


@pytest.fixture
def round_of(org: Organisation) -> Round:
    return RoundFactory(organisation=org)


def _actor(person: Person) -> Actor:
    assert person.user is not None
    actor = selectors.actor_for(person.user, person.organisation)
    assert actor is not None
    return actor


def _policy(org: Organisation, on: bool) -> None:
    org.require_two_factor = on
    org.save(update_fields=["require_two_factor"])


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PEOPLE_OPS])
def test_policy_off_lets_staff_without_two_factor_see_pay_and_exports(
    org: Organisation, make_person: Callable[..., Person], round_of: Round, role: str
) -> None:
    actor = _actor(make_person(org, role))
    assert actor.two_factor_ok
    for action in ("fairness.view", "fairness.edit", "organisation.export"):
        assert can(actor, action) == (role == Role.ADMIN or action.startswith("fairness"))
    assert can(actor, "pulse.export", round_of)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PEOPLE_OPS])
def test_policy_on_refuses_staff_without_two_factor_pay_and_exports(
    org: Organisation, make_person: Callable[..., Person], round_of: Round, role: str
) -> None:
    _policy(org, True)
    person = make_person(org, role)
    actor = _actor(person)
    assert not actor.two_factor_ok
    for action in ("fairness.view", "fairness.edit"):
        assert not can(actor, action)
        with pytest.raises(TwoFactorRequired):
            require(actor, action, org)
    assert not can(actor, "pulse.export", round_of)
    # what their role never had is still refused as before, not as a two-factor matter
    if role == Role.PEOPLE_OPS:
        with pytest.raises(NotAllowed) as refused:
            require(actor, "organisation.export", org)
        assert not isinstance(refused.value, TwoFactorRequired)
    # the rest of their work goes on
    assert can(actor, "people.edit")
    assert can(actor, "pulse.manage")

    _totp(person)
    actor = _actor(person)
    assert actor.two_factor_ok
    assert can(actor, "fairness.view")
    assert can(actor, "pulse.export", round_of)


def test_policy_on_a_passkey_counts_and_recovery_codes_alone_do_not(
    org: Organisation, admin: Person
) -> None:
    _policy(org, True)
    assert admin.user is not None
    RecoveryCodes.activate(admin.user)
    assert not _actor(admin).two_factor_ok
    Authenticator.objects.create(user=admin.user, type=Authenticator.Type.WEBAUTHN, data={})
    assert _actor(admin).two_factor_ok


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MANAGER])
def test_policy_on_leaves_members_and_managers_as_they_were(
    org: Organisation, make_person: Callable[..., Person], round_of: Round, role: str
) -> None:
    _policy(org, True)
    actor = _actor(make_person(org, role))
    assert actor.two_factor_ok
    assert can(actor, "pulse.export", round_of)  # the results their role sees
    assert not can(actor, "fairness.view")  # never theirs


def test_policy_on_holds_back_a_school_s_head_teacher(
    school: Organisation, make_person: Callable[..., Person]
) -> None:
    _policy(school, True)
    head, teacher = make_person(school, Role.ADMIN), make_person(school, Role.MANAGER)
    assert not _actor(head).two_factor_ok
    assert _actor(teacher).two_factor_ok


def test_the_actor_costs_no_query_with_the_policy_off_and_one_with_it_on(
    org: Organisation, admin: Person, django_assert_num_queries: Any
) -> None:
    assert admin.user is not None
    with django_assert_num_queries(1):  # the person, as before
        selectors.actor_for(admin.user, org)
    _policy(org, True)
    with django_assert_num_queries(2):  # and whether they have a second factor
        selectors.actor_for(admin.user, org)


def test_web_pay_and_exports_explain_and_link_to_the_set_up(
    web: Callable[[Person], Client], org: Organisation, admin: Person, round_of: Round
) -> None:
    _policy(org, True)
    client = web(admin)
    for url in (
        reverse("fairness:overview"),
        reverse("fairness:report_uk") + "?format=csv",
        reverse("pulse:export", args=[round_of.pk]),
    ):
        reply = client.get(url)
        assert reply.status_code == 403, url
        assert reply["Content-Type"].startswith("text/html")
        assert b"Set up two-factor sign-in first" in reply.content
        assert reverse("mfa_index").encode() in reply.content
    # every page asks them to set it up
    home = client.get("/")
    assert b"asks you to set up two-factor sign-in" in home.content

    _totp(admin)
    assert client.get(reverse("fairness:overview")).status_code == 200
    assert client.get(reverse("pulse:export", args=[round_of.pk])).status_code == 200
    assert b"asks you to set up two-factor sign-in" not in client.get("/").content


def test_no_banner_with_the_policy_off_nor_for_a_member(
    web: Callable[[Person], Client],
    org: Organisation,
    admin: Person,
    make_person: Callable[..., Person],
) -> None:
    assert b"asks you to set up" not in web(admin).get("/").content
    _policy(org, True)
    member = make_person(org, Role.MEMBER)
    assert b"asks you to set up" not in web(member).get("/").content


def test_attack_a_token_of_an_admin_without_two_factor_gets_no_pay_data(
    client: Client,
    org: Organisation,
    admin: Person,
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    headers = bearer(admin)  # made before the policy, as a script's token would be
    assert client.get("/api/v1/fairness/gate", **headers).status_code == 200
    _policy(org, True)
    for url in ("/api/v1/fairness/gate", "/api/v1/fairness/audits/latest"):
        reply = client.get(url, **headers)
        assert reply.status_code == 403, url
        assert "two-factor" in reply.json()["detail"]
    reply = client.post("/api/v1/fairness/audits", **headers)
    assert reply.status_code == 403
    # the rest of the API still answers the token
    assert client.get("/api/v1/people", **headers).status_code == 200

    _totp(admin)
    assert client.get("/api/v1/fairness/gate", **headers).status_code == 200


def test_the_policy_is_set_on_the_settings_page_and_audited(
    web: Callable[[Person], Client], org: Organisation, admin: Person
) -> None:
    client = web(admin)
    page = client.get(reverse("core:settings"))
    assert b"Require two-factor sign-in for admins and people ops" in page.content
    form = {
        "name": org.name,
        "anonymity_min_group": org.anonymity_min_group,
        "autonomy_policy": org.autonomy_policy,
        "okr_cadence": org.okr_cadence,
        "require_two_factor": "on",
    }
    assert client.post(reverse("core:settings"), form).status_code == 302
    org.refresh_from_db()
    assert org.require_two_factor
    event = AuditEvent.objects.filter(organisation=org, action="organisation.updated").latest(
        "created_at"
    )
    assert event.detail["changes"] == {"require_two_factor": [False, True]}


def test_a_school_s_settings_name_head_teachers(
    web: Callable[[Person], Client], school: Organisation, make_person: Callable[..., Person]
) -> None:
    page = web(make_person(school, Role.ADMIN)).get(reverse("core:settings"))
    assert b"Require two-factor sign-in for head teachers" in page.content


def test_only_an_admin_may_change_the_policy(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    ops = actor_of(make_person(org, Role.PEOPLE_OPS))
    with pytest.raises(NotAllowed):
        services.update_organisation(actor=ops, require_two_factor=True)
    org.refresh_from_db()
    assert not org.require_two_factor


# -------------------------------------------------------- the operator's recovery command


def test_the_operator_removes_a_person_s_authenticators(
    org: Organisation, admin: Person, capsys: Any
) -> None:
    _totp(admin)
    assert admin.user is not None
    RecoveryCodes.activate(admin.user)
    call_command("two_factor", "reset", admin.email, "--reason", "lost phone, checked by call")
    assert not Authenticator.objects.filter(user=admin.user).exists()
    assert "removed 2 two-factor methods" in capsys.readouterr().out
    event = AuditEvent.objects.get(organisation=org, action="two_factor.reset")
    assert event.detail["reason"] == "lost phone, checked by call"
    # now the password alone signs in again
    client = Client()
    _password(client, admin)
    assert _signed_in(client)


def test_the_recovery_command_refuses_an_unknown_email_and_a_missing_reason(
    admin: Person,
) -> None:
    with pytest.raises(CommandError, match="no account with the email"):
        call_command("two_factor", "reset", "nobody@example.org", "--reason", "x")
    with pytest.raises(CommandError, match="--reason"):
        call_command("two_factor", "reset", admin.email, "--reason", "  ")


def test_the_recovery_command_lists_what_an_account_has(admin: Person, capsys: Any) -> None:
    call_command("two_factor", "show", admin.email)
    assert "no two-factor methods" in capsys.readouterr().out
    _totp(admin)
    call_command("two_factor", "show", admin.email)
    assert "authenticator app" in capsys.readouterr().out
