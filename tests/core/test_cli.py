"""The ampwork command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import Client

from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.demo.services import ensure_demo, generate


def test_createadmin_and_token(
    db: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    monkeypatch.setenv("AMPWORK_ADMIN_PASSWORD", "a long enough passphrase")
    call_command("createadmin", "--email", "Boss@Example.org", "--org", "Tiny Co")
    org = Organisation.objects.get(slug="tiny-co")
    person = Person.objects.get(organisation=org)
    assert person.role == Role.ADMIN
    assert person.user is not None
    assert person.user.check_password("a long enough passphrase")
    assert not person.user.check_password("a long enough passphrase!")
    capsys.readouterr()
    call_command("token", "create", "--email", "boss@example.org")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("amp_")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["organisation"]["slug"] == "tiny-co"


def test_createadmin_rejects_weak_password(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMPWORK_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="password"):
        call_command("createadmin", "--email", "a@example.org", "--org", "Tiny")
    assert not User.objects.exists()


def test_token_needs_a_member(db: Any) -> None:
    with pytest.raises(CommandError, match="--email"):
        call_command("token", "create", "--email", "nobody@example.org")


def test_demo_is_created_once(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "Created the demo" in out
    assert "admin@brightwater.example" in out
    call_command("demo", "--no-serve")
    assert "Reusing the demo" in capsys.readouterr().out
    company = Organisation.objects.get(slug="brightwater")
    school = Organisation.objects.get(slug="hillside")
    assert 55 <= Person.objects.filter(organisation=company).count() <= 65
    assert Person.objects.filter(organisation=school, role=Role.MEMBER).count() == 24
    assert Person.objects.filter(organisation=school, role=Role.MANAGER).count() == 1
    # a three-level tree
    platform = Team.objects.get(organisation=company, name="Platform")
    assert platform.parent is not None
    assert platform.parent.parent is not None
    assert platform.parent.parent.parent is None


def test_generate(db: Any, capsys: pytest.CaptureFixture[str], client: Client) -> None:
    call_command("generate", "--people", "300", "--org", "gen")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "admin@gen.example"
    org = Organisation.objects.get(slug="gen")
    assert Person.objects.filter(organisation=org).count() == 300
    assert TeamMembership.objects.filter(organisation=org).count() == 299
    # every member has a manager, and the chain reaches the admin
    assert Person.objects.filter(organisation=org, manager__isnull=True).count() == 1
    password = next(line for line in out if line.startswith("Admin password:")).split(": ")[1]
    # django-axes checks every sign-in against its request (throttling): give it one
    assert client.login(request=HttpRequest(), username="admin@gen.example", password=password)


def test_generate_refuses_a_taken_slug(db: Any) -> None:
    generate(people=5, slug="gen")
    with pytest.raises(CommandError, match="slug"):
        call_command("generate", "--people", "5", "--org", "gen")


def test_export_without_organisations(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("export")
    assert '"objects": []' in capsys.readouterr().out


def test_cli_entry_point_runs(tmp_path: Path) -> None:
    """`ampwork` as a console script: help, and an error exit status for a missing file."""
    env = {**os.environ, "AMPWORK_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "ampwork", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "ampwork demo" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "ampwork", "import", "people", "missing.csv"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "missing.csv" in result.stderr


@pytest.mark.usefixtures("demo")  # built once, copied in: ensure_demo() finds it
def test_demo_admin_belongs_to_both(db: Any) -> None:
    ensure_demo()
    user = User.objects.get(email="admin@brightwater.example")
    assert {p.organisation.slug for p in user.people.all()} == {"brightwater", "hillside"}
