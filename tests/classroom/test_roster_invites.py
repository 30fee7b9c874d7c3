"""Guardians invited from the roster (issue 20): an explicit option (off by default) on the
web's confirm step, the CLI's ``--invite-guardians`` and the API's ``invite_guardians``
emails each guardian of the roster with an email and no sign-in yet the teachers' own
invitation — once the import commits, never for a refused one, never twice while one waits."""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from ampwork.classroom import services
from ampwork.classroom.models import Guardian, GuardianInvite
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role, User
from ampwork.core.permissions import Actor

from . import bundle

PAT = "pat.parent@home.example"


@pytest.fixture
def head(school: Organisation, make_person: Callable[..., Person]) -> Person:
    return make_person(school, Role.ADMIN, name="Hana Head")


@pytest.fixture
def head_actor(head: Person, actor_of: Callable[[Person], Actor]) -> Actor:
    return actor_of(head)


def _letters(to: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [to]]


def _two_guardians() -> dict[str, list[dict[str, Any]]]:
    """Pat (with an email) guards student 1; Quinn (no email) guards student 2."""
    records = bundle.rows()
    records["users.csv"].append(
        {
            "sourcedId": "g-2",
            "enabledUser": "true",
            "givenName": "Quinn",
            "familyName": "Carer",
            "agentSourcedIds": "st-2",
        }
    )
    records["roles.csv"].append(
        {
            "sourcedId": "r-g-2",
            "userSourcedId": "g-2",
            "roleType": "primary",
            "role": "guardian",
            "orgSourcedId": "sch-1",
        }
    )
    return records


def test_the_import_invites_guardians_with_an_email_only_when_asked(
    head_actor: Actor, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        quiet = services.import_roster(actor=head_actor, files=bundle.files(_two_guardians()))
    assert quiet.invited == 0
    assert mail.outbox == []  # off by default
    assert not GuardianInvite.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_roster(
            actor=head_actor, files=bundle.files(_two_guardians()), invite_guardians=True
        )
    assert result.invited == 1  # Quinn has no email address
    assert any("1 guardian invited by email" in note for note in result.notes)
    (letter,) = _letters(PAT)
    assert "Student1" in letter.subject
    found = re.search(r"/classroom/join/([\w-]+)/", letter.body)
    assert found is not None
    assert len(mail.outbox) == 1
    invite = GuardianInvite.objects.get()
    assert (invite.guardian.sourced_id, invite.email) == ("g-1", PAT)
    # the link is the teachers' invitation: it sets a password and opens the family page
    page = client.get(f"/classroom/join/{found.group(1)}/")
    assert "Choose a password" in page.content.decode()


def test_a_refused_import_sends_nothing(
    head_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    records = bundle.rows()
    records["roles.csv"][2]["role"] = "pupil"
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        services.import_roster(actor=head_actor, files=bundle.files(records), invite_guardians=True)
    assert mail.outbox == []
    assert not Guardian.objects.exists()
    assert not GuardianInvite.objects.exists()


def test_a_dry_run_sends_nothing(
    tmp_path: Path, head: Person, school: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    archive = tmp_path / "roster.zip"
    archive.write_bytes(bundle.to_zip(bundle.files()))
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import",
            "oneroster",
            str(archive),
            "--org",
            school.slug,
            "--dry-run",
            "--invite-guardians",
            stdout=io.StringIO(),
        )
    assert mail.outbox == []


def test_no_second_email_while_one_waits_nor_to_a_guardian_who_signs_in(
    head_actor: Actor, school: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.import_roster(actor=head_actor, files=bundle.files(), invite_guardians=True)
    assert len(_letters(PAT)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = services.import_roster(
            actor=head_actor, files=bundle.files(), invite_guardians=True
        )
    assert again.invited == 0
    assert len(_letters(PAT)) == 1
    # once the guardian has an account, a new roster never invites them
    GuardianInvite.objects.all().delete()
    account = User.objects.create_user(PAT, "a lantern by the river", name="Pat")
    Guardian.objects.filter(organisation=school, sourced_id="g-1").update(user=account)
    with django_capture_on_commit_callbacks(execute=True):
        later = services.import_roster(
            actor=head_actor, files=bundle.files(), invite_guardians=True
        )
    assert later.invited == 0
    assert len(_letters(PAT)) == 1


def test_a_guardian_whose_child_cannot_sign_in_is_not_invited(
    head_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    records = bundle.rows()
    records["users.csv"][2]["enabledUser"] = "false"  # student 1, Pat's only child
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_roster(
            actor=head_actor, files=bundle.files(records), invite_guardians=True
        )
    assert result.invited == 0
    assert mail.outbox == []


def test_the_command_line_flag(
    tmp_path: Path, head: Person, school: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    archive = tmp_path / "roster.zip"
    archive.write_bytes(bundle.to_zip(bundle.files()))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import",
            "oneroster",
            str(archive),
            "--org",
            school.slug,
            "--invite-guardians",
            stdout=out,
        )
    assert "1 guardian invited by email" in out.getvalue()
    assert len(_letters(PAT)) == 1


def test_the_api_field(
    client: Client,
    head: Person,
    bearer: Callable[[Person], dict[str, str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    body = {"zip": base64.b64encode(bundle.to_zip(bundle.files())).decode(), "dry_run": True}
    body["invite_guardians"] = True
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/imports/oneroster", json.dumps(body), "application/json", **bearer(head)
        )
    assert answer.status_code == 201, answer.content
    assert (answer.json()["invited"], mail.outbox) == (0, [])  # a dry run invites nobody
    body["dry_run"] = False
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/imports/oneroster", json.dumps(body), "application/json", **bearer(head)
        )
    assert answer.status_code == 201
    assert answer.json()["invited"] == 1
    assert len(_letters(PAT)) == 1
    body["invite_guardians"] = "perhaps"
    answer = client.post(
        "/api/v1/imports/oneroster", json.dumps(body), "application/json", **bearer(head)
    )
    assert answer.status_code == 422


@pytest.mark.parametrize("ticked", [False, True])
def test_the_web_confirm_step_offers_it_off_by_default(
    web: Callable[[Person], Client],
    head: Person,
    ticked: bool,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = web(head)
    upload = io.BytesIO(bundle.to_zip(bundle.files()))
    upload.name = "roster.zip"
    page = client.post("/classroom/roster/", {"file": upload})
    html = page.content.decode()
    assert 'name="invite_guardians"' in html
    assert re.search(r'name="invite_guardians"[^>]*checked', html) is None
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/classroom/roster/confirm/", {"invite_guardians": "on"} if ticked else {}, follow=True
        )
    assert Person.objects.filter(email="student1@hillside.example").exists()
    assert len(_letters(PAT)) == (1 if ticked else 0)
    if ticked:
        assert "1 guardian invited by email" in done.content.decode()
