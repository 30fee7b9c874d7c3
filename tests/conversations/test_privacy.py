"""Attacks on 1:1 privacy: a private note is read by its author alone — not the other
participant, not an admin, not people ops, not through the API of anyone else, not in
`ampwork export`. A 1:1 itself (agenda, shared notes) is the two participants' only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.autonomy.models import Decision
from ampwork.conversations import selectors, services
from ampwork.conversations.models import PrivateNote
from ampwork.core import ical
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, can
from ampwork.mastery import goldilocks
from ampwork.mastery import selectors as mastery_selectors
from ampwork.mastery.models import Review
from ampwork.okrs.models import KeyResult, Objective

from ..factories import CycleFactory, KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

SECRET = "Remy seems to be job hunting"
SHARED = "We agreed on Fridays off"


@pytest.fixture
def noted(pair: dict[str, Any], actor_of: Callable[[Person], Actor]) -> dict[str, Any]:
    """The lead keeps a private note on the meeting; both read the shared notes."""
    lead = actor_of(pair["lead"])
    services.save_private_note(actor=lead, meeting=pair["meeting"], text=SECRET)
    services.save_shared_notes(actor=lead, meeting=pair["meeting"], text=SHARED)
    return pair


def _page(client: Client, person: Person, url: str) -> tuple[int, str]:
    assert person.user is not None
    client.force_login(person.user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_the_table_answers_the_author_alone(
    noted: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    note = PrivateNote.objects.get(author=noted["lead"])
    assert can(actor_of(noted["lead"]), "one_on_ones.read_private_note", note)
    for who in ("report", "admin", "ops", "colleague"):
        assert not can(actor_of(noted[who]), "one_on_ones.read_private_note", note), who
    # the other participant's own reading of the meeting holds no note of the lead's
    assert selectors.own_private_note(actor_of(noted["report"]), noted["meeting"]) is None


def test_pages(noted: dict[str, Any], client: Client) -> None:
    url = reverse("conversations:meeting", kwargs={"pk": noted["meeting"].pk})
    status, html = _page(client, noted["lead"], url)
    assert status == 200
    assert SECRET in html
    assert SHARED in html
    # the other participant: the shared notes, never the lead's private note
    status, html = _page(client, noted["report"], url)
    assert status == 200
    assert SHARED in html
    assert SECRET not in html
    # anyone else, whatever their role: no such page
    for who in ("admin", "ops", "colleague"):
        status, html = _page(client, noted[who], url)
        assert status == 404, who
        assert SECRET not in html
        assert SHARED not in html


def test_the_api(noted: dict[str, Any], client: Client, bearer: Callable[..., Any]) -> None:
    url = f"/api/v1/one-on-ones/meetings/{noted['meeting'].pk}"
    mine = client.get(url, **bearer(noted["lead"])).json()
    assert mine["my_private_note"] == SECRET
    theirs = client.get(url, **bearer(noted["report"]))
    assert theirs.status_code == 200
    assert theirs.json()["my_private_note"] == ""
    assert SECRET not in theirs.content.decode()
    for who in ("admin", "ops", "colleague"):
        response = client.get(url, **bearer(noted[who]))
        assert response.status_code == 404, who
        assert SECRET not in response.content.decode()
        listed = client.get("/api/v1/one-on-ones", **bearer(noted[who]))
        assert listed.json() == [], who
    # writing one's own private note answers one's own, never the other's
    put = client.put(
        f"{url}/private-note",
        json.dumps({"text": "mine"}),
        content_type="application/json",
        **bearer(noted["report"]),
    )
    assert put.status_code == 200
    assert put.json()["my_private_note"] == "mine"
    assert SECRET not in put.content.decode()
    # holding the meeting answers the next one: nothing of the note travels
    held = client.post(
        f"{url}/hold", "{}", content_type="application/json", **bearer(noted["report"])
    )
    assert held.status_code == 200
    assert SECRET not in held.content.decode()


def test_an_admin_export_holds_no_private_note(noted: dict[str, Any], tmp_path: Path) -> None:
    """The attack: an admin exports the organisation and searches it for the note."""
    out = tmp_path / "export.json"
    call_command("export", "--org", noted["lead"].organisation.slug, "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert SHARED in text  # the export does hold the 1:1 itself …
    assert SECRET not in text  # … but not a word of the private note
    models = {o["model"] for o in json.loads(text)["objects"]}
    assert "conversations.meeting" in models
    assert "conversations.privatenote" not in models


def test_suggestions_show_only_what_the_reader_may_see(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    today = timezone.localdate()
    report = pair["report"]
    cycle = CycleFactory(
        organisation=report.organisation,
        start=today - dt.timedelta(days=60),
        end=today + dt.timedelta(days=30),
    )
    shared = KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner_person=report, title="Ship it"),
        owner=report,
        title="p95 under 200 ms",
    )
    private = KeyResultFactory(
        objective=ObjectiveFactory(
            cycle=cycle,
            owner_person=report,
            title="Find a new job",
            visibility=Objective.Visibility.PRIVATE,
        ),
        owner=report,
        title="Three interviews",
    )
    fresh = KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner_person=report), owner=report, title="Fresh"
    )
    # stale: no check-in, counted from 15 days ago (the OKR app's 14 days); fresh: 13
    KeyResult.objects.filter(pk__in=[shared.pk, private.pk]).update(
        clock=today - dt.timedelta(days=15), last_check_in=None
    )
    KeyResult.objects.filter(pk=fresh.pk).update(clock=today - dt.timedelta(days=13))
    Review.objects.create(
        organisation=report.organisation,
        person=report,
        week=today - dt.timedelta(days=today.weekday()),
        wins="a win",
    )
    series = pair["series"]
    mine = selectors.suggestions(actor_of(report), series, today)
    texts = " ".join(s.text for s in mine)
    assert "p95 under 200 ms" in texts
    assert "Three interviews" in texts  # their own private objective, to themselves
    assert "Fresh" not in texts
    assert "without an answer" in texts
    assert all(s.evidence for s in mine)
    theirs = " ".join(s.text for s in selectors.suggestions(actor_of(pair["lead"]), series, today))
    assert "p95 under 200 ms" in theirs
    assert "Three interviews" not in theirs
    assert "without an answer" in theirs  # the manager may read the reviews


def test_calendar_invitation(noted: dict[str, Any], client: Client) -> None:
    url = reverse("conversations:invitation", kwargs={"pk": noted["series"].pk})
    status, text = _page(client, noted["report"], url)
    assert status == 200
    assert "BEGIN:VEVENT" in text
    assert f"DTSTART;VALUE=DATE:{noted['meeting'].date:%Y%m%d}" in text
    assert SECRET not in text
    assert SHARED not in text
    assert _page(client, noted["admin"], url)[0] == 404


def test_calendar_text_is_escaped_and_folded() -> None:
    body = ical.calendar(
        [
            ical.Event(
                uid="one-on-one-1@example.org",
                day=dt.date(2026, 12, 8),
                summary="1:1 Zoë; O'Brien, Jr\\\nnext line",
                description="x" * 200,
            )
        ],
        stamp=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
    ).decode()
    lines = body.split("\r\n")
    assert "SUMMARY:1:1 Zoë\\; O'Brien\\, Jr\\\\\\nnext line" in lines
    assert "DTEND;VALUE=DATE:20261209" in lines
    assert "DTSTAMP:20261201T093000Z" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    assert body.endswith("END:VCALENDAR\r\n")
    # a folded line continues with one space
    assert any(line.startswith(" x") for line in lines)
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["summary"]) == "1:1 Zoë; O'Brien, Jr\\\nnext line"


def test_a_goldilocks_flag_only_to_who_may_read_the_progress(
    pair: dict[str, Any],
    actor_of: Callable[[Person], Actor],
    make_person: Callable[..., Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The mastery app's flag comes with its evidence, cut to the agenda's limits; a mentor
    outside the reporting line (who may not read the person's reviews) never sees it."""
    report = pair["report"]
    flag = goldilocks.Flag("too_easy", ["KR “Latency” closed at 1.0 " * 20], [1])
    monkeypatch.setattr(
        mastery_selectors,
        "calibrations",
        lambda org, people: {pk: goldilocks.Calibration(flags=[flag]) for pk in people},
    )
    today = timezone.localdate()
    offered = selectors.suggestions(actor_of(pair["lead"]), pair["series"], today)
    (found,) = [s for s in offered if s.text.startswith("Goldilocks")]
    assert found.text.startswith("Goldilocks: the key results look too easy.")
    assert len(found.evidence) <= 300
    assert found.evidence.endswith("…")
    # added to the agenda as it is offered: within the talking point's limits
    point = services.add_point(
        actor=actor_of(pair["lead"]),
        meeting=pair["meeting"],
        text=found.text,
        evidence=found.evidence,
    )
    assert point.evidence == found.evidence
    mentor = make_person(report.organisation, name="Mo Mentor")
    mentoring = services.start(actor=actor_of(mentor), with_id=report.pk, relationship="mentee")
    assert selectors.suggestions(actor_of(mentor), mentoring, today) == []


def test_the_next_autonomy_step_only_to_who_may_see_the_ledger(
    pair: dict[str, Any],
    actor_of: Callable[[Person], Actor],
    make_person: Callable[..., Person],
) -> None:
    """The step the autonomy page suggests, with its reasons; not to a mentor outside the
    line; and not again once the manager has deferred it (the autonomy page's rule)."""
    report = pair["report"]
    today = timezone.localdate()
    step = "Autonomy: a step up in Technique — how (to level 1)?"
    offered = selectors.suggestions(actor_of(pair["lead"]), pair["series"], today)
    (found,) = [s for s in offered if s.text == step]
    assert "lowest of the four Ts" in found.evidence
    assert step in [s.text for s in selectors.suggestions(actor_of(report), pair["series"], today)]
    mentor = make_person(report.organisation, name="Mo Mentor")
    mentoring = services.start(actor=actor_of(mentor), with_id=report.pk, relationship="mentee")
    assert selectors.suggestions(actor_of(mentor), mentoring, today) == []
    Decision.objects.create(
        organisation=report.organisation,
        person=report,
        t="technique",
        level=1,
        outcome=Decision.Outcome.DEFERRED,
        decided_by=pair["lead"],
    )
    offered = selectors.suggestions(actor_of(pair["lead"]), pair["series"], today)
    assert not [s for s in offered if s.text.startswith("Autonomy")]
