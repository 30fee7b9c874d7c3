"""Reminders: exactly the people whose review is due get one email each, with a link
that works; managers get a digest of their people's week; twice sends nothing new."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings

from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.mastery import services
from tests.factories import PersonFactory

Make = Callable[[Person], Actor]
BASE = "http://testserver"


@pytest.fixture(autouse=True)
def _locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BASE_URL = BASE


def test_exactly_the_people_with_a_review_due_get_one_email_each(
    crew: dict[str, Any], actor_of: Make, web: Callable[[Person], Client], org: Any
) -> None:
    services.save_review(actor=actor_of(crew["ann"]), wins="done already")
    PersonFactory(organisation=org, name="No Sign-in")  # cannot sign in: nothing to remind
    gone = crew["other"]
    gone.active = False
    gone.save()
    sent = services.send_reminders(org=org)
    due = {crew[w].email for w in ("bob", "lead", "admin")}
    reminders = [m for m in mail.outbox if "weekly review" in m.subject]
    assert sorted(m.to[0] for m in reminders) == sorted(due) == sorted(sent.reminders)
    link = re.search(r"http://testserver(/\S+)", reminders[0].body)
    assert link is not None
    response = web(crew["bob"]).get(link.group(1))
    assert response.status_code == 200
    assert b"Small wins this week" in response.content
    # the lead gets a digest of Ann (written) and Bob (not yet)
    digests = [m for m in mail.outbox if "team's week" in m.subject]
    assert [m.to for m in digests] == [[crew["lead"].email]]
    assert "Ann Member: written — waiting for your answer" in digests[0].body
    assert "Bob Member: not written yet" in digests[0].body
    mail.outbox.clear()
    again = services.send_reminders(org=org)
    assert mail.outbox == []
    assert again.reminders == []
    assert again.digests == []


def test_the_command_sends_and_a_dry_run_sends_nothing(crew: dict[str, Any], org: Any) -> None:
    out = StringIO()
    call_command("reminders", "send", "--org", org.slug, "--dry-run", stdout=out)
    assert "would send 5 review reminders and 1 digest" in out.getvalue()
    assert mail.outbox == []
    out = StringIO()
    call_command("reminders", "send", stdout=out)
    assert f"{org.slug}: queued 5 review reminders and 1 digest" in out.getvalue()
    assert len(mail.outbox) == 6


def test_a_bad_date_is_named(crew: dict[str, Any]) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date"):
        call_command("reminders", "send", "--date", "tomorrow")


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_digest_carries_the_flags_with_their_reasons(
    crew: dict[str, Any], actor_of: Make, org: Any
) -> None:
    import datetime as dt

    from ampwork.mastery.models import Review
    from ampwork.mastery.selectors import week_of

    this = week_of(dt.date.today())
    for i, (c, s) in enumerate([(4, 5), (4, 4), (5, 5), (4, 5), (7, 2), (7, 2), (6, 2)]):
        Review.objects.create(
            organisation=org,
            person=crew["bob"],
            week=this - dt.timedelta(weeks=7 - i),
            wins="w",
            challenge=c,
            skill=s,
        )
    services.send_reminders(org=org)
    digest = next(m for m in mail.outbox if m.to == [crew["lead"].email] and "team's" in m.subject)
    assert "flow map: mostly anxiety in recent weeks" in digest.body


def test_an_emailed_link_lands_in_its_own_organisation(
    crew: dict[str, Any], org: Any, other_org: Any, web: Callable[[Person], Client]
) -> None:
    ann = crew["ann"]
    PersonFactory(organisation=other_org, user=ann.user, email=ann.email, name="Ann at Globex")
    client = web(ann)
    assert "Acme" in client.get("/mastery/review/").content.decode()
    services.send_reminders(org=other_org)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body)
    assert link is not None
    assert link.group(1).endswith("?org=globex")
    page = client.get(link.group(1)).content.decode()
    assert "Globex" in page
    assert "Globex" in client.get("/").content.decode()  # and stays there
    # a slug that is not one of yours changes nothing
    client.get("/mastery/review/?org=acme-not-mine")
    assert "Globex" in client.get("/").content.decode()
