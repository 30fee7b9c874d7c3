"""The day-before reminder of a 1:1: both people get one email for a meeting planned for
tomorrow — not for today's or the day after's, not for a held one — once; a meeting moved to
another day is reminded again; the email holds no talking point or note."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable, Sequence
from io import StringIO
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from ampwork.conversations import services
from ampwork.conversations.models import Meeting, MeetingReminder
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor

pytestmark = pytest.mark.django_db

POINT = "My on-call load is too high"
NOTE = "Remy seems to be job hunting"


@pytest.fixture(autouse=True)
def _locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BASE_URL = "http://testserver"


def _plan(pair: dict[str, Any], day: dt.date) -> Meeting:
    Meeting.objects.filter(pk=pair["meeting"].pk).update(date=day)
    meeting: Meeting = Meeting.objects.get(pk=pair["meeting"].pk)
    return meeting


@pytest.mark.parametrize(("days_ahead", "reminded"), [(0, False), (1, True), (2, False)])
def test_only_tomorrows_meetings_are_reminded(
    pair: dict[str, Any], org: Organisation, days_ahead: int, reminded: bool
) -> None:
    today = timezone.localdate()
    _plan(pair, today + dt.timedelta(days=days_ahead))
    done = services.send_reminders(org=org, today=today)
    expected = {pair["report"].email, pair["lead"].email} if reminded else set()
    assert {email for email, _ in done.sent} == expected
    assert {m.to[0] for m in django_mail.outbox} == expected


def test_once_then_again_when_moved_and_never_a_note(
    pair: dict[str, Any], org: Organisation, actor_of: Callable[[Person], Actor]
) -> None:
    today = timezone.localdate()
    lead = actor_of(pair["lead"])
    meeting = _plan(pair, today + dt.timedelta(days=1))
    services.add_point(actor=lead, meeting=meeting, text=POINT)
    services.save_private_note(actor=lead, meeting=meeting, text=NOTE)
    assert len(services.send_reminders(org=org, today=today).sent) == 2
    assert services.send_reminders(org=org, today=today).sent == []  # a second run
    assert len(django_mail.outbox) == 2
    to_report = next(m for m in django_mail.outbox if m.to == [pair["report"].email])
    assert "Marta Manager" in to_report.subject
    assert "1 open talking point and 0 open action items" in to_report.body
    assert f"/one-on-ones/meetings/{meeting.pk}/" in to_report.body
    assert f"/one-on-ones/{pair['series'].pk}/next.ics" in to_report.body
    for message in django_mail.outbox:
        assert POINT not in message.body
        assert NOTE not in message.body
    # moved to the day after: reminded again the day before the new date
    Meeting.objects.filter(pk=meeting.pk).update(date=today + dt.timedelta(days=2))
    assert services.send_reminders(org=org, today=today).sent == []
    later = services.send_reminders(org=org, today=today + dt.timedelta(days=1))
    assert len(later.sent) == 2
    assert MeetingReminder.objects.count() == 4


def test_held_meetings_and_people_who_left_get_none(
    pair: dict[str, Any], org: Organisation, actor_of: Callable[[Person], Actor]
) -> None:
    today = timezone.localdate()
    meeting = _plan(pair, today + dt.timedelta(days=1))
    following = services.hold(actor=actor_of(pair["lead"]), meeting=meeting)
    Meeting.objects.filter(pk=following.pk).update(date=today + dt.timedelta(days=3))
    assert services.send_reminders(org=org, today=today).sent == []
    Meeting.objects.filter(pk=following.pk).update(date=today + dt.timedelta(days=1))
    Person.objects.filter(pk=pair["lead"].pk).update(active=False)
    assert services.send_reminders(org=org, today=today).sent == []


REFUSED = "refused@example.org"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"no such user")})
        return len(email_messages)


def test_the_command_and_a_refused_message_that_goes_on_the_next_run(
    pair: dict[str, Any], org: Organisation, settings: Any
) -> None:
    """The command queues; the worker (here at once: the immediate backend) sends and
    records each message the server took; a refused one stays unrecorded, and the next run
    queues just that one."""
    today = timezone.localdate()
    _plan(pair, today + dt.timedelta(days=1))
    out = StringIO()
    call_command("one-on-ones", "remind", "--dry-run", stdout=out)
    assert f"{org.slug}: would send 2 1:1 reminders" in out.getvalue()
    assert MeetingReminder.objects.count() == 0
    Person.objects.filter(pk=pair["lead"].pk).update(email=REFUSED)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    out = StringIO()
    call_command("one-on-ones", "remind", "--org", org.slug, stdout=out)
    assert f"{org.slug}: queued 2 1:1 reminders" in out.getvalue()
    assert list(MeetingReminder.objects.values_list("person_id", flat=True)) == [pair["report"].pk]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("one-on-ones", "remind", "--org", org.slug, stdout=out)
    assert f"{org.slug}: queued 1 1:1 reminder" in out.getvalue()
    assert [m.to for m in django_mail.outbox] == [[REFUSED]]
    assert MeetingReminder.objects.count() == 2
    with pytest.raises(CommandError, match="--date"):
        call_command("one-on-ones", "remind", "--date", "tomorrow", stdout=StringIO())
