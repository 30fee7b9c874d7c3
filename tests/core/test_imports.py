"""CSV imports: checked whole, written all or nothing, errors naming line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ampwork.core import imports
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Team, TeamMembership
from ampwork.core.permissions import Actor

from ..factories import PersonFactory, TeamFactory

TEAMS = """name,parent,kind
Engineering,,department
Platform,Engineering,team
Mobile,Engineering,team
"""

PEOPLE = """name,email,job_title,hire_date,role,manager_email,teams,lead_of
Ada Byron,ada@acme.example,Head of Engineering,2020-01-06,manager,,Engineering,Engineering
Grace Hopper,grace@acme.example,Engineer,2021-03-01,,ada@acme.example,Platform,
Linus T,linus@acme.example,Engineer,,member,grace@acme.example,Platform;Mobile,
"""


def _snapshot() -> tuple[int, int, int]:
    return Person.objects.count(), Team.objects.count(), TeamMembership.objects.count()


def test_teams_then_people(admin_actor: Actor, org: Organisation) -> None:
    assert imports.import_teams(actor=admin_actor, text=TEAMS) == 3
    assert Team.objects.get(organisation=org, name="Platform").parent.name == "Engineering"
    assert imports.import_people(actor=admin_actor, text=PEOPLE) == 3
    ada = Person.objects.get(email="ada@acme.example")
    grace = Person.objects.get(email="grace@acme.example")
    linus = Person.objects.get(email="linus@acme.example")
    assert grace.manager == ada
    assert linus.manager == grace
    assert ada.manager is None
    assert ada.role == "manager"
    assert str(ada.hire_date) == "2020-01-06"
    assert ada.memberships.get().role == "lead"
    assert sorted(m.team.name for m in linus.memberships.all()) == ["Mobile", "Platform"]
    assert AuditEvent.objects.filter(action="people.imported").exists()


@pytest.mark.parametrize(
    ("row", "line", "field", "words"),
    [
        ("Zed,zed@acme.example,x,2021-01-01,,,Nowhere,", 3, "teams", "unknown team 'Nowhere'"),
        ("Zed,ada@acme.example,x,2021-01-01,,,,", 3, "email", "appears twice (also line 2)"),
        ("Zed,zed@acme.example,x,31/12/2021,,,,", 3, "hire_date", "not a date"),
        ("Zed,not-an-email,x,,,,,", 3, "email", "not a valid email"),
        ("Zed,zed@acme.example,x,,wizard,,,", 3, "role", "'wizard' is not one of"),
        ("Zed,zed@acme.example,x,,,ghost@acme.example,,", 3, "manager_email", "no person"),
        (",zed@acme.example,x,,,,,", 3, "name", "is required"),
    ],
)
def test_a_bad_row_rejects_the_whole_file(
    admin_actor: Actor, row: str, line: int, field: str, words: str
) -> None:
    imports.import_teams(actor=admin_actor, text=TEAMS)
    text = "name,email,job_title,hire_date,role,manager_email,teams,lead_of\n"
    text += "Ada Byron,ada@acme.example,Head,2020-01-06,,,Engineering,\n" + row + "\n"
    before = _snapshot()
    with pytest.raises(ValidationFailed) as caught:
        imports.import_people(actor=admin_actor, text=text, source="people.csv")
    assert _snapshot() == before  # nothing written, not even the good first row
    error = caught.value.errors[0]
    assert (error.line, error.field) == (line, field)
    assert words in error.message
    assert caught.value.lines()[0].startswith(f"people.csv: line {line}: {field}:")


def test_existing_email_and_unknown_columns(admin_actor: Actor, org: Organisation) -> None:
    PersonFactory(organisation=org, email="taken@acme.example")
    plan = imports.plan_people(org, "name,email\nX,TAKEN@acme.example\n")
    assert [(e.line, e.field) for e in plan.errors] == [(2, "email")]
    plan = imports.plan_people(org, "name,e-mail\nX,x@acme.example\n")
    assert {e.field for e in plan.errors} == {"e-mail", "email"}
    assert all(e.line == 1 for e in plan.errors)


def test_reporting_loops_and_team_loops_are_refused(admin_actor: Actor, org: Organisation) -> None:
    plan = imports.plan_people(
        org, "name,email,manager_email\nA,a@x.example,b@x.example\nB,b@x.example,a@x.example\n"
    )
    assert {(e.line, e.field) for e in plan.errors} == {(2, "manager_email"), (3, "manager_email")}
    plan = imports.plan_teams(org, "name,parent\nA,B\nB,A\n")
    assert {(e.line, e.field) for e in plan.errors} == {(2, "parent"), (3, "parent")}


def test_teams_import_rejects_duplicates_and_existing(
    admin_actor: Actor, org: Organisation
) -> None:
    TeamFactory(organisation=org, name="Core")
    plan = imports.plan_teams(org, "name,kind\ncore,team\nNew,team\nNew,squad\n")
    found = {(e.line, e.field) for e in plan.errors}
    assert found == {(2, "name"), (4, "name"), (4, "kind")}


def test_people_of_another_organisation_do_not_collide(
    admin_actor: Actor, other_org: Organisation
) -> None:
    PersonFactory(organisation=other_org, email="same@x.example")
    assert imports.import_people(actor=admin_actor, text="name,email\nS,same@x.example\n") == 1


def test_encoding_and_empty_files(org: Organisation) -> None:
    with pytest.raises(ValidationFailed) as caught:
        imports.decode("name\nJos\xe9\n".encode("latin-1"), "people.csv")
    assert "not UTF-8" in str(caught.value)
    assert imports.decode("\ufeffname,email\n".encode(), "x") == "name,email\n"
    assert imports.plan_people(org, "").errors[0].field == "file"
    assert imports.plan_people(org, "name,email\n").errors[0].message.startswith("has a header")
    assert imports.plan_people(org, "name,email\nA,a@x.example,extra\n").errors[0].field == "row"


def test_school_has_no_people_ops(school: Organisation) -> None:
    plan = imports.plan_people(school, "name,email,role\nT,t@x.example,people_ops\n")
    assert plan.errors[0].field == "role"


def test_cli_import_errors_name_file_line_and_field(org: Organisation, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,email,hire_date\nA,a@x.example,2020-02-30\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import", "people", str(path), "--org", org.slug)
    assert f"{path}: line 2: hire_date:" in str(caught.value)
    assert Person.objects.count() == 0


def test_cli_import_writes(org: Organisation, tmp_path: Path) -> None:
    (tmp_path / "teams.csv").write_text(TEAMS, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    call_command("import", "teams", str(tmp_path / "teams.csv"), "--org", org.slug)
    call_command("import", "people", str(tmp_path / "people.csv"))  # the only organisation
    assert Person.objects.filter(organisation=org).count() == 3


def test_downloadable_templates_import_cleanly(
    admin: Person, admin_actor: Actor, client: Any
) -> None:
    assert admin.user is not None
    client.force_login(admin.user)
    teams = client.get("/import/template/teams.csv")
    people = client.get("/import/template/people.csv")
    assert teams["Content-Type"] == "text/csv"
    assert imports.import_teams(actor=admin_actor, text=teams.content.decode()) == 1
    assert imports.import_people(actor=admin_actor, text=people.content.decode()) == 1
    assert client.get("/import/template/salaries.csv").status_code == 404


@pytest.mark.parametrize(
    ("text", "line"),
    [("na\rme,email\n", 1), ("name,email\nAda,ada@x.example\nB\rob,bob@x.example\n", 3)],
)
def test_a_file_the_csv_reader_cannot_parse_names_its_line(text: str, line: int) -> None:
    plan = imports.Plan("people", "bad.csv")
    assert imports.read_rows(text, imports.PEOPLE_COLUMNS, {"name", "email"}, plan) == []
    assert [(e.field, e.line) for e in plan.errors] == [("file", line)]
    assert "not valid CSV" in plan.errors[0].message


def test_extra_column_prefixes_are_allowed_only_when_asked() -> None:
    text = "name,email,factor:shift\nAda,ada@x.example,night\n"
    plan = imports.Plan("people", "x.csv")
    assert imports.read_rows(text, imports.PEOPLE_COLUMNS, {"name", "email"}, plan) == []
    assert plan.errors[0].field == "factor:shift"
    plan = imports.Plan("people", "x.csv")
    rows = imports.read_rows(
        text, imports.PEOPLE_COLUMNS, {"name", "email"}, plan, extra_prefixes=("factor:",)
    )
    assert rows == [(2, {"name": "Ada", "email": "ada@x.example", "factor:shift": "night"})]
