"""``ampwork one-on-ones list`` and ``ampwork feedback requests``: counts and progress as
the web shows them — never a note, never an answer — and bad input is a clear message
with a non-zero exit, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ampwork.conversations import services
from ampwork.conversations.models import FeedbackAnswer, FeedbackAsked, FeedbackRequest360
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor

SECRET = "Remy seems to be job hunting"
SHARED = "We agreed on Fridays off"
ANSWER = "Listens well, interrupts less since spring"


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def busy(pair: dict[str, Any], actor_of: Callable[[Person], Actor]) -> dict[str, Any]:
    lead, meeting = actor_of(pair["lead"]), pair["meeting"]
    services.add_point(actor=lead, meeting=meeting, text="Conference budget")
    done = services.add_point(actor=lead, meeting=meeting, text="Holidays")
    services.mark_point(actor=lead, point=done, discussed=True)
    services.add_action(actor=lead, meeting=meeting, text="Book it", owner_id=pair["lead"].pk)
    services.save_private_note(actor=lead, meeting=meeting, text=SECRET)
    services.save_shared_notes(actor=lead, meeting=meeting, text=SHARED)
    return pair


@pytest.mark.django_db
def test_one_on_ones_list(busy: dict[str, Any], org: Organisation) -> None:
    text = _run("one-on-ones", "list", "--org", org.slug)
    assert "Remy Report with Marta Manager (manager, weekly)" in text
    assert "1 open talking point, 1 open action item" in text
    assert SECRET not in text
    assert SHARED not in text
    data = json.loads(_run("one-on-ones", "list", "--org", org.slug, "--format", "json"))
    (row,) = data["one_on_ones"]
    assert (row["open_points"], row["open_actions"]) == (1, 1)
    assert row["next_meeting"] == busy["meeting"].date.isoformat()
    assert SECRET not in json.dumps(data)
    # one person's, either side; someone without a 1:1 has none
    assert "Remy Report" in _run("one-on-ones", "list", "--email", busy["lead"].email.upper())
    assert "no 1:1s" in _run("one-on-ones", "list", "--email", busy["colleague"].email)


@pytest.mark.django_db
def test_one_on_ones_bad_input(busy: dict[str, Any], org: Organisation) -> None:
    with pytest.raises(CommandError, match=r"nobody with nobody@example\.org"):
        _run("one-on-ones", "list", "--email", "nobody@example.org")
    with pytest.raises(CommandError):
        _run("one-on-ones", "list", "--org", "no-such-org")


@pytest.mark.parametrize(
    "argv",
    [
        ["one-on-ones", "list", "--format", "xml"],
        ["one-on-ones", "show"],
        ["feedback", "requests", "--format", "xml"],
    ],
)
def test_bad_arguments_exit_non_zero_without_a_traceback(tmp_path: Path, argv: list[str]) -> None:
    """As a user runs it. (A bad --org or --email is a CommandError, as above: Django ends
    the command with one 'CommandError: …' line and exit status 1.)"""
    env = {**os.environ, "AMPWORK_DATA_DIR": str(tmp_path / "data")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "ampwork", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "invalid choice" in done.stderr
    assert done.stdout == ""


@pytest.mark.django_db
def test_feedback_requests(
    pair: dict[str, Any], org: Organisation, actor_of: Callable[[Person], Actor]
) -> None:
    assert "no feedback requests" in _run("feedback", "requests")
    report, lead = pair["report"], pair["lead"]
    request = FeedbackRequest360.objects.create(
        organisation=org,
        receiver=report,
        requested_by=report,
        due=timezone.localdate() + dt.timedelta(days=7),
    )
    FeedbackAsked.objects.create(organisation=org, request=request, person=lead, answered=True)
    FeedbackAsked.objects.create(organisation=org, request=request, person=pair["colleague"])
    FeedbackAnswer.objects.create(
        organisation=org, request=request, author=lead, question="strengths", text=ANSWER
    )
    old = FeedbackRequest360.objects.create(
        organisation=org,
        receiver=lead,
        requested_by=lead,
        kind=FeedbackRequest360.Kind.UPWARD,
        minimum=3,
        due=timezone.localdate() - dt.timedelta(days=1),
    )
    FeedbackAsked.objects.create(organisation=org, request=old, person=report, answered=True)
    text = _run("feedback", "requests", "--org", org.slug)
    assert "360 feedback for Remy Report (open, due" in text
    assert "1 of 2 answered" in text
    assert "Upward feedback for Marta Manager (closed" in text  # its due date has passed
    assert "below the minimum of 3" in text
    assert ANSWER not in text
    data = json.loads(_run("feedback", "requests", "--format", "json"))
    by_id = {r["id"]: r for r in data["requests"]}
    assert (by_id[request.pk]["asked"], by_id[request.pk]["answered"]) == (2, 1)
    assert by_id[old.pk]["status"] == "closed"
    assert by_id[old.pk]["kind"] == "upward"
    assert ANSWER not in json.dumps(data)
