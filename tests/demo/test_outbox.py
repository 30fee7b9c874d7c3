"""The demo's mail (issue 18, item 5): links point at the address the demo serves, each batch
is one line on the terminal, and the messages wait in an outbox page only admins read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage, get_connection
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from ampwork.core import mail as core_mail
from ampwork.core.models import AuditEvent, Organisation, Person, Role, Team
from ampwork.core.permissions import Actor
from ampwork.demo import outbox
from ampwork.demo.management.commands import demo as command
from ampwork.demo.services import DemoResult
from ampwork.pulse import services as pulse

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()


def _serve_at(settings: Any, tmp_path: Path, port: int, host: str = "127.0.0.1") -> None:
    """What ``ampwork demo --host HOST --port PORT`` sets before serving (no environment)."""
    values = command.demo_settings(host, port, {})
    values["DEMO_OUTBOX_DIR"] = tmp_path / "outbox"
    for name, value in values.items():
        setattr(settings, name, value)


def _team(org: Organisation, size: int) -> list[Person]:
    team = TeamFactory(organisation=org, name="Core")
    people = [PersonFactory(organisation=org) for _ in range(size)]
    for person in people:
        MembershipFactory(team=team, person=person)
    return people


def _open_pulse(actor: Actor, name: str = "Spring pulse") -> None:
    round = pulse.create_round(
        actor=actor, name=name, opens=TODAY, closes=TODAY + dt.timedelta(days=7)
    )
    pulse.open_round(actor=actor, round=round)


def _notices(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ampwork: ")]


# ----------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("127.0.0.1", 8123, "http://127.0.0.1:8123"),
        ("localhost", 9, "http://localhost:9"),
        ("::1", 8080, "http://[::1]:8080"),
    ],
)
def test_the_served_address_is_the_host_and_port_given(host: str, port: int, url: str) -> None:
    assert command.served_url(host, port) == url


@pytest.mark.parametrize("wildcard", ["0.0.0.0", "::"])
def test_every_address_becomes_one_a_browser_can_open(wildcard: str) -> None:
    url = command.served_url(wildcard, 8080)
    assert url.endswith(":8080")
    assert "0.0.0.0" not in url
    assert "[::]" not in url


def test_the_demo_points_links_and_mail_at_what_it_serves() -> None:
    values = command.demo_settings("127.0.0.1", 8123, {})
    assert values["BASE_URL"] == "http://127.0.0.1:8123"
    assert values["EMAIL_BACKEND"] == outbox.BACKEND
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]


def test_served_on_every_address_it_answers_to_any_name() -> None:
    assert command.demo_settings("0.0.0.0", 8080, {})["ALLOWED_HOSTS"] == ["*"]


def test_served_on_another_name_it_answers_to_that_name() -> None:
    assert "demo.local" in command.demo_settings("demo.local", 8080, {})["ALLOWED_HOSTS"]


def test_what_the_environment_sets_is_kept() -> None:
    environ = {
        "AMPWORK_BASE_URL": "https://amp.example.org",
        "AMPWORK_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "AMPWORK_ALLOWED_HOSTS": "amp.example.org",
    }
    assert command.demo_settings("127.0.0.1", 8123, environ) == {}


# ----------------------------------------------------------------------------- the command


def test_the_command_prints_the_outbox_at_the_port_it_serves(
    demo: DemoResult, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    call_command("demo", "--no-serve", "--port", "8123")
    out = capsys.readouterr().out
    assert "Open http://127.0.0.1:8123/ and sign in" in out
    assert "the messages at http://127.0.0.1:8123/demo/outbox/" in out
    assert ":8000" not in out


def test_the_command_changes_no_setting_unless_it_serves(demo: DemoResult, settings: Any) -> None:
    before = (settings.BASE_URL, settings.EMAIL_BACKEND, list(settings.ALLOWED_HOSTS))
    call_command("demo", "--no-serve", "--port", "8123")
    assert (settings.BASE_URL, settings.EMAIL_BACKEND, list(settings.ALLOWED_HOSTS)) == before


def test_serving_it_sets_links_and_the_outbox_before_the_server_starts(
    demo: DemoResult, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BASE_URL = settings.BASE_URL  # changes made while serving are undone after
    seen: dict[str, Any] = {}
    real = call_command

    def fake(name: str, *args: Any, **kwargs: Any) -> None:
        if name != "serve":
            real(name, *args, **kwargs)
            return
        seen.update(kwargs, base=settings.BASE_URL, backend=settings.EMAIL_BACKEND)

    monkeypatch.setattr(command, "call_command", fake)
    call_command("demo", "--port", "8124")
    assert seen == {
        "host": "127.0.0.1",
        "port": 8124,
        "base": "http://127.0.0.1:8124",
        "backend": outbox.BACKEND,
    }


def test_reset_starts_over(demo: DemoResult, capsys: pytest.CaptureFixture[str]) -> None:
    Team.objects.create(organisation=demo.company, name="Added while trying it")
    if connection.vendor == "postgresql":
        # the test runs inside a transaction holding deferred foreign-key checks, which
        # PostgreSQL will not TRUNCATE past; the real command runs outside any transaction
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("demo", "--no-serve", "--reset")
    assert "Created the demo" in capsys.readouterr().out
    assert not Team.objects.filter(name="Added while trying it").exists()
    assert Organisation.objects.filter(slug__in=["brightwater", "hillside"]).count() == 2


def test_reset_refuses_a_database_that_holds_more_than_the_demo(
    demo: DemoResult, org: Organisation
) -> None:
    with pytest.raises(CommandError, match="Acme"):
        call_command("demo", "--no-serve", "--reset")
    assert Organisation.objects.count() == 3
    assert AuditEvent.objects.filter(organisation=demo.company).exists()


# ----------------------------------------------------------------------------- the mail


def test_links_in_the_demos_mail_point_at_the_port_it_serves(
    org: Organisation,
    admin_actor: Actor,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _serve_at(settings, tmp_path, 8123)
    _team(org, 6)
    _open_pulse(admin_actor)
    letters = outbox.letters(tmp_path / "outbox")
    assert len(letters) == 7  # six in the team and the admin
    assert all("http://127.0.0.1:8123/pulse/answer/" in letter.body for letter in letters)
    assert not any(":8000" in letter.body for letter in letters)


def test_a_pulses_invitations_are_one_line_on_the_terminal(
    org: Organisation,
    admin_actor: Actor,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _serve_at(settings, tmp_path, 8123)
    _team(org, 6)
    _open_pulse(admin_actor)
    printed = capsys.readouterr()
    assert _notices(printed.err) == [
        "ampwork: 7 emails “Spring pulse: two minutes, anonymous” → "
        "outbox: http://127.0.0.1:8123/demo/outbox/"
    ]
    assert "/pulse/answer/" not in printed.out + printed.err


def test_each_pulse_is_its_own_line(
    org: Organisation,
    admin_actor: Actor,
    settings: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _serve_at(settings, tmp_path, 8123)
    _team(org, 6)
    _open_pulse(admin_actor, "Spring pulse")
    _open_pulse(admin_actor, "Summer pulse")
    notices = _notices(capsys.readouterr().err)
    assert len(notices) == 2
    assert "Summer pulse" in notices[1]


def test_mail_sent_one_by_one_over_one_connection_is_one_line(
    settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _serve_at(settings, tmp_path, 8123)
    connection = get_connection()
    connection.open()
    for to in ("a@example.org", "b@example.org", "c@example.org"):
        connection.send_messages([EmailMessage("Your week", "Hello", to=[to])])
    assert _notices(capsys.readouterr().err) == []  # nothing until the batch ends
    connection.close()
    assert _notices(capsys.readouterr().err) == [
        "ampwork: 3 emails “Your week” → outbox: http://127.0.0.1:8123/demo/outbox/"
    ]


def test_the_weekly_mail_is_one_line_too(
    settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], org: Organisation
) -> None:
    _serve_at(settings, tmp_path, 8123)
    people = _team(org, 2)
    letters = [
        core_mail.Letter(
            EmailMessage("Reminder", "Write it", to=[p.email]),
            AuditEvent,
            {"organisation": org, "action": "test.sent", "actor_email": p.email},
        )
        for p in people
    ]
    done = core_mail.deliver(letters, kind="test", org_id=org.pk)
    assert len(done.sent) == 2
    assert _notices(capsys.readouterr().err) == [
        "ampwork: 2 emails “Reminder” → outbox: http://127.0.0.1:8123/demo/outbox/"
    ]


@pytest.mark.parametrize(
    ("subjects", "line"),
    [
        (["A"], "ampwork: 1 email “A” → outbox: U"),
        (["A", "A"], "ampwork: 2 emails “A” → outbox: U"),
        (["A", "B"], "ampwork: 2 emails “A” and 1 other subject → outbox: U"),
        (["A", "B", "C", "B"], "ampwork: 4 emails “A” and 2 other subjects → outbox: U"),
    ],
)
def test_a_batch_line_counts_and_names_the_subjects(subjects: list[str], line: str) -> None:
    assert outbox.batch_line(subjects, "U") == line


def test_the_outbox_is_off_unless_the_demo_sends_the_mail(settings: Any, tmp_path: Path) -> None:
    settings.DEMO_OUTBOX_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.folder() is None
    settings.EMAIL_BACKEND = outbox.BACKEND
    assert outbox.folder() == tmp_path


def test_the_outbox_reads_messages_back_newest_first(settings: Any, tmp_path: Path) -> None:
    _serve_at(settings, tmp_path, 8123)
    EmailMessage("First", "one http://x/", to=["a@example.org"]).send()
    EmailMessage("Second", "two", to=["B@example.org", "c@example.org"]).send()
    letters = outbox.letters(tmp_path / "outbox")
    assert [m.subject for m in letters] == ["Second", "First"]
    assert letters[0].to == ["B@example.org", "c@example.org"]
    assert letters[1].body.strip() == "one http://x/"
    assert letters[1].sent is not None
    assert [m.subject for m in outbox.letters(tmp_path / "outbox", to=["b@example.org"])] == [
        "Second"
    ]


def test_an_empty_outbox_has_no_messages(tmp_path: Path) -> None:
    assert outbox.letters(tmp_path / "never-written") == []


# ----------------------------------------------------------------------------- the page


def _mail_to(*addresses: str) -> None:
    for address in addresses:
        EmailMessage("Hello", f"A link: http://127.0.0.1:8123/x/{address}", to=[address]).send()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER, Role.MEMBER])
def test_each_person_reads_their_own_mail_and_nobody_elses(
    client: Client,
    org: Organisation,
    other_org: Organisation,
    make_person: Any,
    settings: Any,
    tmp_path: Path,
    role: str,
) -> None:
    """An admin reading every colleague's mail would see who has not answered a pulse
    (reminders go only to unused links) and could answer with anyone's one-time link."""
    _serve_at(settings, tmp_path, 8123)
    person = make_person(org, role)
    colleague = PersonFactory(organisation=org, email="colleague@acme.example")
    stranger = PersonFactory(organisation=other_org, email="stranger@globex.example")
    _mail_to(person.email, colleague.email, stranger.email)
    client.force_login(person.user)
    response = client.get("/demo/outbox/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f'<a href="http://127.0.0.1:8123/x/{person.email}"' in page
    assert "colleague@acme.example" not in page  # a colleague's mail, even for an admin
    assert "stranger@globex.example" not in page  # another organisation's


def test_there_is_no_outbox_when_mail_is_sent(client: Client, admin: Person) -> None:
    assert admin.user is not None
    client.force_login(admin.user)
    assert client.get("/demo/outbox/").status_code == 404
    assert django_mail.outbox == []
