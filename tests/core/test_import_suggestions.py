"""Imports (issue 18, item 13): an unknown team name suggests the closest existing ones,
naming file, line and column; a people import lands on People with who was imported."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ampwork.core import imports
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Team
from ampwork.core.permissions import Actor

from ..factories import TeamFactory

KNOWN = ["Platform", "Mobile", "Mobility", "Data", "Customer Success"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Platfrom", "unknown team 'Platfrom' — did you mean 'Platform'?"),
        ("platform", "unknown team 'platform' — did you mean 'Platform'?"),  # case aside
        ("Mobil", "unknown team 'Mobil' — did you mean 'Mobile' or 'Mobility'?"),
        ("customer sucess", "unknown team 'customer sucess' — did you mean 'Customer Success'?"),
        (
            "Nowhere",
            "unknown team 'Nowhere': no team has a similar name (import or add teams first)",
        ),
    ],
)
def test_unknown_team_suggests_the_closest(name: str, message: str) -> None:
    assert imports.unknown_team(name, KNOWN) == message


def test_at_most_three_suggestions_closest_first() -> None:
    known = ["Team A", "Team B", "Team C", "Team D"]
    assert imports.unknown_team("Team", known).endswith("'Team A', 'Team B' or 'Team C'?")


def test_no_teams_at_all() -> None:
    assert imports.unknown_team("Platform", []) == (
        "unknown team 'Platform': no team has a similar name (import or add teams first)"
    )


def test_the_similarity_cutoff() -> None:
    """difflib's ratio 2·M/T against the cut-off 0.6: 'Dat' ~ 'Data' is 6/7, 'Da' ~ 'Data'
    is 4/6 (both suggested); 'D' ~ 'Data' is 2/5 (not)."""
    assert imports.SIMILAR == 0.6
    assert "did you mean 'Data'" in imports.unknown_team("Dat", ["Data"])
    assert "did you mean 'Data'" in imports.unknown_team("Da", ["Data"])
    assert "no team has a similar name" in imports.unknown_team("D", ["Data"])


def test_people_import_error_names_file_line_and_column(
    admin_actor: Actor, org: Organisation
) -> None:
    TeamFactory(organisation=org, name="Platform")
    text = "name,email,teams,lead_of\nAda,ada@acme.example,Platfrom,\nBo,bo@acme.example,,Plat\n"
    with pytest.raises(ValidationFailed) as caught:
        imports.import_people(actor=admin_actor, text=text, source="staff.csv")
    assert caught.value.lines() == [
        "staff.csv: line 2: teams: unknown team 'Platfrom' — did you mean 'Platform'?",
        "staff.csv: line 3: lead_of: unknown team 'Plat' — did you mean 'Platform'?",
    ]
    assert not Person.objects.filter(email="ada@acme.example").exists()


def test_teams_import_suggests_for_a_parent_too(admin_actor: Actor, org: Organisation) -> None:
    TeamFactory(organisation=org, name="Engineering")
    plan = imports.plan_teams(org, "name,parent\nPlatform,Enginering\nApps,Platfrm\n")
    assert [(e.line, e.field, e.message) for e in plan.errors] == [
        (2, "parent", "unknown team 'Enginering' — did you mean 'Engineering'?"),
        (3, "parent", "unknown team 'Platfrm' — did you mean 'Platform'?"),  # in the file
    ]


def _upload_and_commit(client: Client, kind: str, text: str, name: str) -> object:
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    checked = client.post("/import/", {"kind": kind, "file": upload})
    assert checked.status_code == 200
    return client.post("/import/commit/")


def test_people_import_lands_on_people_naming_them(
    admin: Person, org: Organisation, web: Callable[[Person], Client]
) -> None:
    client = web(admin)
    TeamFactory(organisation=org, name="Platform")
    rows = "".join(f"P{i},p{i}@acme.example,Platform,\n" for i in range(7))
    response = _upload_and_commit(client, "people", "name,email,teams,lead_of\n" + rows, "new.csv")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == "/people/"  # type: ignore[index]
    said = [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]
    assert said == ["Imported 7 people from new.csv: P0, P1, P2, P3, P4 and 2 more."]
    teams = _upload_and_commit(client, "teams", "name,parent\nLab,Platform\n", "t.csv")
    assert teams["Location"] == "/teams/"  # type: ignore[index]
    assert Team.objects.filter(organisation=org, name="Lab").exists()
