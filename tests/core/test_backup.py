"""export → import into an empty database → export gives the same document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ampwork.core import backup
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Team, User
from ampwork.demo.services import ensure_demo


def _wipe() -> None:
    for org in Organisation.objects.all():
        # teams protect their children: delete leaves first
        while Team.objects.filter(organisation=org).exists():
            Team.objects.filter(organisation=org, children__isnull=True).delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()


@pytest.mark.usefixtures("demo")  # built once, copied in: ensure_demo() finds it
def test_round_trip_of_the_demo(
    db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_demo()
    first = tmp_path / "first.json"
    call_command("export", "--output", str(first))
    _wipe()
    assert Person.objects.count() == 0
    call_command("import", str(first))
    second = tmp_path / "second.json"
    call_command("export", "--output", str(second))
    assert json.loads(first.read_text()) == json.loads(second.read_text())
    assert first.read_bytes() == second.read_bytes()
    # the restored database works: sign-in hashes, ids and new rows
    user = User.objects.get(email="admin@brightwater.example")
    assert user.check_password("ampwork-demo")
    org = Organisation.objects.get(slug="brightwater")
    Team.objects.create(organisation=org, name="After restore")  # sequences were reset


@pytest.mark.usefixtures("demo")  # built once, copied in: ensure_demo() finds it
def test_one_organisation_export(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    ensure_demo()
    call_command("export", "--org", "hillside")
    document = json.loads(capsys.readouterr().out)
    assert document["organisations"] == ["hillside"]
    orgs = [o for o in document["objects"] if o["model"] == "core.organisation"]
    assert [o["fields"]["slug"] for o in orgs] == ["hillside"]
    people = [o for o in document["objects"] if o["model"] == "core.person"]
    assert len(people) == 26


@pytest.mark.usefixtures("demo")  # built once, copied in: ensure_demo() finds it
def test_restore_refuses_a_non_empty_database_and_writes_nothing(db: Any) -> None:
    ensure_demo()
    document = backup.export([o.pk for o in Organisation.objects.all()], ["x"])
    before = Person.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        backup.restore(document)
    assert "already exists" in str(caught.value)
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    "document", [[], {"format": "other"}, {"format": "ampwork-export", "version": 99}]
)
def test_restore_rejects_other_documents(db: Any, document: Any) -> None:
    with pytest.raises(ValidationFailed):
        backup.restore(document)


def test_restore_of_a_broken_document_writes_nothing(db: Any, tmp_path: Path) -> None:
    document = {
        "format": "ampwork-export",
        "version": 1,
        "organisations": [],
        "objects": [
            {
                "model": "core.organisation",
                "pk": 5,
                "fields": {"name": "X", "slug": "x", "kind": "company"},
            },
            {"model": "core.person", "pk": 9, "fields": {"organisation": 77, "name": "Y"}},
        ],
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError):
        call_command("import", str(path))
    assert Organisation.objects.count() == 0


# Organisation-scoped models an export leaves out on purpose: each is set up again after a
# restore rather than copied (a provider's sealed secret and the feeds' and invitations'
# one-time tokens are re-issued; a reminder is re-planned by the worker).
NOT_EXPORTED = {
    "core.Invitation",
    "core.IdentityProvider",
    "conversations.MeetingReminder",
    "feeds.CalendarFeed",
}


def test_every_organisation_scoped_model_is_in_the_export(db: Any) -> None:
    """A new model that holds an organisation's data is part of `ampwork export` and its
    restore, or named above with the reason: a review found the goal sheet's dated
    check-ins (classroom.GoalCheckIn) missing, so an export and restore lost them all."""
    from django.apps import apps

    registered = set(backup.registered())
    missing = sorted(
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("ampwork.")
        and any(f.name == "organisation" for f in model._meta.get_fields())
        and model not in registered
        and model._meta.label not in NOT_EXPORTED
    )
    assert missing == []
