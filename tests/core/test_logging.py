"""Structured logs (issue 23, "Logging"): one event per request, import, mail batch and
background command, with opaque ids and counts only — and the attack: look for an email,
a name or a one-time pulse link in what the log handlers write."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import smtplib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from ampwork import logs
from ampwork.core import imports
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.mastery import selectors as mastery_selectors
from ampwork.mastery import services as mastery
from ampwork.mastery.models import ReminderSent

from ..conftest import PASSWORD


def _events(records: Sequence[logging.LogRecord], name: str) -> list[dict[str, Any]]:
    return [dict(r.fields) for r in records if getattr(r, "event", None) == name]  # type: ignore[attr-defined]


# ---------------------------------------------------------------- requests


def test_a_request_is_one_event_with_its_route_status_duration_and_id(
    admin: Person,
    web: Callable[[Person], Client],
    caplog: pytest.LogCaptureFixture,
    written: io.StringIO,
) -> None:
    client = web(admin)
    with caplog.at_level(logging.INFO, logger="ampwork"):
        response = client.get(f"/people/{admin.pk}/")
        missing = client.get("/people/999999/")
    assert response.status_code == 200
    assert missing.status_code == 404
    first, second = _events(caplog.records, "request")
    assert first["route"] == "people/<id:pk>/"  # the pattern: never the path with its id
    assert first["method"] == "GET"
    assert first["status"] == 200
    assert isinstance(first["duration_ms"], float)
    assert first["duration_ms"] >= 0
    assert first["org_id"] == admin.organisation_id
    assert first["person_id"] == admin.pk
    assert second["status"] == 404
    assert second["route"] == "people/<id:pk>/"
    # every answer carries its request id; the request's line carries the same one
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert response["X-Request-ID"] != missing["X-Request-ID"]
    (line,) = [x for x in written.getvalue().splitlines() if " request " in x and "=200" in x]
    assert f"request_id={response['X-Request-ID']} " in line
    assert "route=people/<id:pk>/" in line
    assert f"/people/{admin.pk}/" not in line


def test_the_request_id_comes_from_the_proxy_only_when_configured(
    db: Any,
    client: Client,
    settings: Any,
    written: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="ampwork")  # /healthz is logged at DEBUG
    sent = {"HTTP_X_REQUEST_ID": "edge-4f1c.9"}
    assert client.get("/healthz", **sent)["X-Request-ID"] != "edge-4f1c.9"
    settings.REQUEST_ID_HEADER = "X-Request-ID"
    assert client.get("/healthz", **sent)["X-Request-ID"] == "edge-4f1c.9"
    # a value that is not a plain token is replaced, not echoed into headers and logs
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="a b\x7f<script>")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)
    lines = written.getvalue().splitlines()
    assert any("request_id=edge-4f1c.9" in line and "route=healthz" in line for line in lines)
    assert "<script>" not in written.getvalue()


def test_lines_are_json_objects_with_the_fields_when_asked() -> None:
    record = logging.LogRecord("ampwork.request", logging.INFO, __file__, 1, "request", (), None)
    record.event, record.fields = "request", {"route": "okrs/", "status": 200}  # type: ignore[attr-defined]
    token = logs.current_request_id.set("abc123")
    try:
        line = logs.JsonFormatter().format(record)
        text = logs.KeyValueFormatter().format(record)
    finally:
        logs.current_request_id.reset(token)
    data = json.loads(line)
    assert "\n" not in line
    assert data["event"] == "request"
    assert data["route"] == "okrs/"
    assert data["status"] == 200
    assert data["request_id"] == "abc123"
    assert data["level"] == "INFO"
    assert data["logger"] == "ampwork.request"
    assert data["time"].endswith("Z")
    assert text.endswith(" INFO ampwork.request request request_id=abc123 route=okrs/ status=200")
    # another library's line keeps its message, cleaned of addresses and links
    other = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Gone: %s for %s",
        ("/pulse/answer/s3cr3t-token/", "ann@example.org"),
        None,
    )
    data = json.loads(logs.JsonFormatter().format(other))
    assert data["event"] == "log"
    assert data["message"] == "Gone: /pulse/answer/…/ for <email>"


def test_an_event_takes_known_fields_and_no_free_text(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("ampwork.test")
    with pytest.raises(ValueError, match=r"'email' is not in ampwork\.logs\.FIELDS"):
        logs.event(log, "x", email="a")
    with caplog.at_level(logging.INFO, logger="ampwork"):
        logs.event(log, "import.finished", kind="Ann Smith's pay", rows=3, result="ok")
    (fields,) = _events(caplog.records, "import.finished")
    assert fields == {"kind": logs.REDACTED, "rows": 3, "result": "ok"}
    assert logs.account_hash("Ann@Example.org ") == logs.account_hash("ann@example.org")
    assert logs.account_hash("ann@example.org") != logs.account_hash("bob@example.org")
    assert re.fullmatch(r"[0-9a-f]{12}", logs.account_hash("ann@example.org"))


# ---------------------------------------------------------------- imports and commands

PEOPLE = "name,email\nZelda Quintero,zelda.quintero@example.org\nYusuf Okonkwo,yusuf@example.org\n"


def test_an_import_logs_its_kind_rows_and_result_not_its_file(
    admin_actor: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ampwork"):
        imports.import_people(actor=admin_actor, text=PEOPLE, source="/home/hr/zelda-pay.csv")
        with pytest.raises(ValidationFailed):
            imports.import_people(actor=admin_actor, text=PEOPLE, source="again.csv")
    done, refused = _events(caplog.records, "import.finished")
    assert done["kind"] == "people"
    assert done["rows"] == 2
    assert done["result"] == "ok"
    assert done["org_id"] == admin_actor.organisation.pk
    assert refused["result"] == "refused"
    assert refused["rows"] == 0
    assert refused["errors"] == 2
    assert not any("zelda" in str(r.__dict__).lower() for r in caplog.records)


def test_a_backup_and_its_restore_are_background_work_with_counts(
    admin: Person, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "acme.json"
    with caplog.at_level(logging.INFO, logger="ampwork"):
        call_command("export", "--org", admin.organisation.slug, "-o", str(target))
        with pytest.raises(CommandError):  # the organisation is still here: refused
            call_command("import", str(target))
    started = _events(caplog.records, "command.started")
    finished = _events(caplog.records, "command.finished")
    assert [s["command"] for s in started] == ["export", "import"]
    assert finished[0]["result"] == "ok"
    assert finished[0]["objects"] > 0
    assert finished[0]["organisations"] == 1
    assert finished[1]["action"] == "restore"
    assert finished[1]["result"] == "refused"


# ---------------------------------------------------------------- mail


@pytest.fixture
def due(org: Organisation, make_person: Callable[..., Person], settings: Any) -> list[Person]:
    """Three people who can sign in and have not written this week's review."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return [make_person(org, Role.MEMBER) for _ in range(3)]


def test_a_mail_batch_logs_how_many_went_and_the_command_its_counts(
    org: Organisation, due: list[Person], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ampwork"):
        call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())
        call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())
    (batch,) = _events(caplog.records, "mail.batch")  # the second run queued nothing
    assert batch["kind"] == "mastery.reminders"
    assert batch["org_id"] == org.pk
    assert (batch["sent"], batch["failed"], batch["skipped"]) == (3, 0, 0)
    first, second = _events(caplog.records, "mail.queued")
    assert (first["sent"], first["skipped"]) == (3, 0)
    assert second["sent"] == 0
    finished = _events(caplog.records, "command.finished")
    assert [(f["command"], f["action"], f["sent"], f["result"]) for f in finished] == [
        ("reminders", "send", 3, "ok"),
        ("reminders", "send", 0, "ok"),
    ]
    assert len(django_mail.outbox) == 3


REFUSED = "refused@example.org"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses one address and takes the rest."""

    taken: list[str] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"no such user")})
            self.taken.extend(message.to)
        return len(email_messages)


def test_a_refused_message_stays_unsent_for_the_next_run_and_the_rest_go(
    org: Organisation,
    due: list[Person],
    make_person: Callable[..., Person],
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The command queues; the worker (here: at once, the immediate backend, which cannot
    wait for a retry) sends, and leaves the refused one unrecorded for the next run.
    With the database backend it is retried with backoff (tests/core/test_worker.py)."""
    refused = make_person(org, Role.MEMBER, name="Rita Refused")
    refused.user.email = refused.email = REFUSED  # type: ignore[union-attr]
    refused.user.save()  # type: ignore[union-attr]
    refused.save()
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.taken = []
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="ampwork"):
        call_command("reminders", "send", "--org", org.slug, stdout=out)
    assert sorted(RefusingBackend.taken) == sorted(p.email for p in due)
    assert "queued 4 review reminders" in out.getvalue()
    week = mastery_selectors.week_of(timezone.localdate())
    recorded = set(ReminderSent.objects.filter(week=week).values_list("person_id", flat=True))
    assert recorded == {p.pk for p in due}  # the refused one is not marked sent
    (batch,) = _events(caplog.records, "mail.batch")
    assert (batch["sent"], batch["failed"]) == (3, 1)
    (failure,) = _events(caplog.records, "mail.failed")
    assert failure["error"] == "SMTPRecipientsRefused"
    (gave_up,) = _events(caplog.records, "task.gave_up")
    assert (gave_up["kind"], gave_up["failures"], gave_up["result"]) == (
        "mastery.reminders",
        1,
        "immediate",
    )
    assert REFUSED not in str([r.__dict__ for r in caplog.records])
    # the next run, with the server taking it, sends exactly the one that failed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = mastery.send_reminders(org=org)
    assert again.reminders == [REFUSED]
    assert [m.to for m in django_mail.outbox] == [[REFUSED]]


class WatchingBackend(BaseEmailBackend):
    """A slow mail server: while it "sends", another connection writes to the database
    and counts the reminders already marked sent."""

    seen: list[dict[str, Any]] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        found: dict[str, Any] = {"in_transaction": transaction.get_connection().in_atomic_block}

        def other_connection() -> None:
            try:
                if connection.vendor == "sqlite":  # wait 1 s for the write lock, not 20
                    with connections["default"].cursor() as cursor:
                        cursor.execute("PRAGMA busy_timeout = 1000")
                Person.objects.filter(email__in=[m.to[0] for m in email_messages]).update(
                    active=True
                )
                found["wrote"] = True
                found["recorded"] = ReminderSent.objects.count()
            except Exception as exc:  # the database said no: record why
                found["wrote"] = type(exc).__name__
            finally:
                connections.close_all()

        thread = threading.Thread(target=other_connection)
        thread.start()
        thread.join(timeout=60)
        self.seen.append(found)
        return len(email_messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("command", ["reminders", "digest"])
def test_no_transaction_is_open_while_the_mail_server_talks(
    command: str, settings: Any, make_person: Callable[..., Person]
) -> None:
    org = Organisation.objects.create(name="Writers", slug="writers")
    lead = make_person(org, Role.MANAGER)
    for _ in range(3):
        make_person(org, Role.MEMBER, manager=lead)
    make_person(org, Role.ADMIN)
    settings.EMAIL_BACKEND = f"{__name__}.WatchingBackend"
    WatchingBackend.seen = []
    call_command(command, "send", "--org", org.slug, stdout=io.StringIO())
    seen = WatchingBackend.seen
    assert len(seen) >= 2
    assert [s["in_transaction"] for s in seen] == [False] * len(seen)
    assert [s["wrote"] for s in seen] == [True] * len(seen)
    if command == "reminders":
        # each reminder is marked sent (and committed) before the next one goes
        assert [s["recorded"] for s in seen[:5]] == list(range(min(5, len(seen))))


def test_a_dry_run_writes_nothing_and_logs_no_batch(
    org: Organisation, due: list[Person], caplog: pytest.LogCaptureFixture
) -> None:
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="ampwork"):
        call_command("digest", "send", "--org", org.slug, "--dry-run", stdout=out)
        call_command("reminders", "send", "--org", org.slug, "--dry-run", stdout=out)
    assert _events(caplog.records, "mail.batch") == []
    assert ReminderSent.objects.count() == 0
    assert django_mail.outbox == []
    assert [f["action"] for f in _events(caplog.records, "command.finished")] == ["dry-run"] * 2


# ---------------------------------------------------------------- the attack


def test_no_email_name_or_pulse_link_reaches_the_log(
    org: Organisation,
    admin: Person,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    settings: Any,
    written: io.StringIO,
) -> None:
    from ampwork.pulse import services as pulse

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people = [make_person(org, Role.MEMBER) for _ in range(5)]
    secrets = [p.email for p in [admin, *people]] + [p.name for p in [admin, *people]]
    today = timezone.localdate()
    # 1. a pulse answered by its one-time link, once well and once refused (4xx is logged)
    survey = pulse.create_round(
        actor=admin_actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    pulse.open_round(actor=admin_actor, round=survey)
    tokens = [m.body.split("/pulse/answer/")[1].split("/")[0] for m in django_mail.outbox]
    assert len(tokens) == 6
    link = Client()
    assert link.get(f"/pulse/answer/{tokens[2]}/").status_code == 200
    assert link.post(f"/pulse/answer/{tokens[0]}/", {"mast1": "4"}).status_code in (200, 302)
    assert link.post(f"/pulse/answer/{tokens[1]}/", {}).status_code == 422
    # answering signed in: the request line names neither the person nor the organisation
    signed_in = Client()
    signed_in.force_login(admin.user)  # type: ignore[arg-type]
    assert signed_in.get(f"/pulse/rounds/{survey.pk}/answer/").status_code == 200
    # 2. sign-in failures with an email, up to the lockout
    victim = people[0]
    stranger = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        stranger.post("/sign-in/", {"login": victim.email, "password": f"wrong-{attempt}"})
    stranger.post("/sign-in/", {"login": "nobody-here@example.net", "password": PASSWORD})
    # 3. an import of people with their names and emails, then the same file refused
    imports.import_people(actor=admin_actor, text=PEOPLE, source="zelda-and-yusuf.csv")
    with pytest.raises(ValidationFailed):
        imports.import_people(actor=admin_actor, text=PEOPLE, source="zelda-and-yusuf.csv")
    # 4. the weekly reminders to all of them
    call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())

    text = written.getvalue()
    answering = [x for x in text.splitlines() if "route=pulse/" in x and "answer/" in x]
    assert len(answering) == 4
    assert not any("person_id" in x or "org_id" in x for x in answering)
    assert "signin.failed" in text
    assert "signin.locked_out" in text
    assert "import.finished" in text
    assert "mail.batch" in text
    assert "route=pulse/answer/" in text
    for secret in [*secrets, *tokens, "Zelda", "Quintero", "Yusuf", "Okonkwo", "zelda-and"]:
        assert secret not in text, secret
    assert "@" not in text.replace("<email>", "")
    assert "nobody-here" not in text


@pytest.mark.django_db(transaction=True)
def test_pulse_links_are_sent_after_their_round_is_stored(
    settings: Any, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    from ampwork.pulse import services as pulse

    org = Organisation.objects.create(name="Askers", slug="askers")
    admin = make_person(org, Role.ADMIN)
    for _ in range(5):
        make_person(org, Role.MEMBER)
    settings.EMAIL_BACKEND = f"{__name__}.WatchingBackend"
    WatchingBackend.seen = []
    today = timezone.localdate()
    survey = pulse.create_round(
        actor=actor_of(admin), name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    pulse.open_round(actor=actor_of(admin), round=survey)
    pulse.remind(actor=actor_of(admin), round=survey)
    # six invitations, then six reminders, one message at a time
    assert [(s["in_transaction"], s["wrote"]) for s in WatchingBackend.seen] == [(False, True)] * 12


def test_the_default_backend_still_says_one_line_per_weekly_batch(
    org: Organisation,
    due: list[Person],
    settings: Any,
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.EMAIL_BACKEND = "ampwork.mail.NoticeFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    mastery.send_reminders(org=org)
    notices = [x for x in capsys.readouterr().err.splitlines() if x.startswith("ampwork:")]
    assert len(notices) == 1
    assert "3 emails written to" in notices[0]
    (written,) = tmp_path.iterdir()
    assert written.read_text().count("Reminders go only to people whose review") == 3


def _routes(resolver: Any, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_exactly_the_pulse_answering_routes_log_no_ids() -> None:
    from django.urls import get_resolver

    routes = set(_routes(get_resolver()))
    anonymous = {r for r in routes if logs._ANONYMOUS_ROUTE.match(r)}
    pages = {"pulse/answer/<str:token>/", "pulse/rounds/<id:pk>/answer/"}
    assert pages <= anonymous
    assert len(anonymous) == 3
    (api,) = anonymous - pages
    assert api.startswith("api/v1/")
    assert api.endswith("/responses")
    assert "api/v1/reviews/<review_id>/replies" in routes  # an answer that is not anonymous
