"""The background worker (issue 16): email waits in the database until the worker runs;
a refused letter is retried after a wait that doubles; what waits is sealed."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ampwork.core import backoff, worker
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.mastery.models import ReminderSent

# ---------------------------------------------------------------- the backoff (pure)


def test_the_wait_doubles_from_its_base_up_to_its_cap() -> None:
    b = backoff.Backoff(base=10, cap=50, attempts=6)
    assert [b.delay(a) for a in range(1, 7)] == [10, 20, 40, 50, 50, None]
    assert b.schedule() == [10, 20, 40, 50, 50]


def test_the_last_attempt_has_no_next_and_attempts_count_from_one() -> None:
    b = backoff.Backoff(base=1, cap=8, attempts=3)
    assert b.delay(2) == 2  # the last but one still waits
    assert b.delay(3) is None  # the last has no next
    assert b.delay(4) is None
    with pytest.raises(ValueError, match="count from 1"):
        b.delay(0)


def test_webhook_retries_outlast_the_three_days_after_which_an_endpoint_is_disabled() -> None:
    waits = backoff.WEBHOOKS.schedule()
    assert sum(waits) > 3 * 24 * 3600
    assert sum(waits[:-1]) < 3 * 24 * 3600 + 12 * 3600
    assert max(waits) == 12 * 3600


# ---------------------------------------------------------------- the worker


def _crew(org: Organisation, make_person: Callable[..., Person]) -> list[Person]:
    return [make_person(org, Role.MEMBER) for _ in range(3)]


@pytest.mark.usefixtures("task_queue")
def test_the_command_queues_and_the_worker_sends(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    people = _crew(org, make_person)
    out = io.StringIO()
    call_command("reminders", "send", "--org", org.slug, stdout=out)
    assert f"{org.slug}: queued 3 review reminders" in out.getvalue()
    assert "keep 'ampwork worker' running" in out.getvalue()
    assert django_mail.outbox == []  # nothing sent in the command
    assert ReminderSent.objects.count() == 0
    (waiting,) = DBTaskResult.objects.all()
    assert waiting.status == TaskResultStatus.READY
    assert worker.queue_depth() == 1
    # what waits is sealed: no address, no name, no body in the task table
    stored = str(waiting.args_kwargs)
    for person in people:
        assert person.email not in stored
        assert person.name not in stored
    assert "weekly" not in stored
    call_command("worker", "--batch", stdout=io.StringIO())
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(p.email for p in people)
    assert ReminderSent.objects.count() == 3
    assert worker.queue_depth() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


class FlakyBackend(BaseEmailBackend):
    """A mail server that refuses everything while ``down``."""

    down = True
    taken: list[str] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if self.down:
            raise smtplib.SMTPServerDisconnected("try later")
        for message in email_messages:
            self.taken.extend(message.to)
        return len(email_messages)


@pytest.mark.usefixtures("task_queue")
def test_a_refused_letter_is_retried_after_a_doubling_wait(
    org: Organisation, make_person: Callable[..., Person], settings: Any
) -> None:
    people = _crew(org, make_person)
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.down, FlakyBackend.taken = True, []
    call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())
    waits = []
    for attempt in (1, 2, 3):
        before = timezone.now()
        worker.run_due()
        retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
        assert retry.args_kwargs["kwargs"]["attempt"] == attempt + 1
        waits.append((retry.run_after - before).total_seconds())
        worker.run_due()  # not due yet: nothing runs
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    assert [round(w) for w in waits] == [30, 60, 120]
    assert ReminderSent.objects.count() == 0
    FlakyBackend.down = False
    worker.run_due()
    assert sorted(FlakyBackend.taken) == sorted(p.email for p in people)
    assert ReminderSent.objects.count() == 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0


@pytest.mark.usefixtures("task_queue")
def test_after_the_last_attempt_the_letter_is_given_up(
    org: Organisation, make_person: Callable[..., Person], settings: Any
) -> None:
    _crew(org, make_person)
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.down, FlakyBackend.taken = True, []
    call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())
    for _ in range(backoff.MAIL.attempts):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
            run_after=timezone.now() - dt.timedelta(seconds=1)
        )
        worker.run_due()
    assert DBTaskResult.objects.count() == backoff.MAIL.attempts
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0


@pytest.mark.usefixtures("task_queue")
def test_a_letter_sent_meanwhile_is_not_sent_twice(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    people = _crew(org, make_person)
    call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())
    call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())  # again
    assert DBTaskResult.objects.count() == 2
    worker.run_due()
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(p.email for p in people)


@pytest.mark.usefixtures("task_queue")
def test_pulse_links_wait_sealed(
    org: Organisation, admin_actor: Actor, make_person: Callable[..., Person]
) -> None:
    from ampwork.pulse import services as pulse

    _crew(org, make_person)
    today = timezone.localdate()
    survey = pulse.create_round(
        actor=admin_actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    pulse.open_round(actor=admin_actor, round=survey)
    assert django_mail.outbox == []
    stored = str(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))
    assert "/pulse/answer/" not in stored
    worker.run_due()
    assert len(django_mail.outbox) == 4
    token = django_mail.outbox[0].body.split("/pulse/answer/")[1].split("/")[0]
    assert token not in stored


def test_the_worker_refuses_to_run_without_a_queue() -> None:
    with pytest.raises(CommandError, match="nothing for a worker to do"):
        call_command("worker", "--batch")


@pytest.mark.usefixtures("task_queue")
def test_metrics_show_the_queue(
    client: Any, org: Organisation, make_person: Callable[..., Person]
) -> None:
    assert "\nampwork_tasks_waiting 0\n" in client.get("/metrics").content.decode()
    _crew(org, make_person)
    call_command("reminders", "send", "--org", org.slug, stdout=io.StringIO())
    assert "\nampwork_tasks_waiting 1\n" in client.get("/metrics").content.decode()
    worker.run_due()
    assert "\nampwork_tasks_waiting 0\n" in client.get("/metrics").content.decode()
