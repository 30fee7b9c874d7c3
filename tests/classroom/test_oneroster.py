"""Rostering from OneRoster 1.2 CSV: a complete bundle imports; every kind of error is
refused with its file, line and column and nothing written; re-imports update; leavers are
deactivated (bulk and delta); demographics never reach the database."""

from __future__ import annotations

import base64
import copy
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ampwork.classroom import bundle as files_of
from ampwork.classroom import services
from ampwork.classroom.models import Guardian, GuardianOf, RosterRecord
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import (
    AuditEvent,
    Organisation,
    Person,
    Role,
    Team,
    TeamMembership,
    User,
)
from ampwork.core.permissions import Actor

from . import bundle


@pytest.fixture
def head(school: Organisation, make_person: Callable[..., Person]) -> Person:
    return make_person(school, Role.ADMIN, name="Hana Head")


@pytest.fixture
def head_actor(head: Person, actor_of: Callable[[Person], Actor]) -> Actor:
    return actor_of(head)


def _snapshot() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Person, Team, TeamMembership, RosterRecord, Guardian, GuardianOf, AuditEvent)
    )


def _errors(actor: Actor, files: dict[str, bytes]) -> list[tuple[str | None, int | None, str]]:
    before = _snapshot()
    with pytest.raises(ValidationFailed) as caught:
        services.import_roster(actor=actor, files=files)
    assert _snapshot() == before, "a refused roster wrote something"
    return [(e.file, e.line, e.field) for e in caught.value.errors]


# ---------------------------------------------------------------- a complete bundle


def test_a_complete_bundle_imports(head_actor: Actor, school: Organisation) -> None:
    result = services.import_roster(actor=head_actor, files=bundle.files())
    assert result.counts["schools"]["created"] == 1
    assert result.counts["classes"]["created"] == 2
    assert result.counts["teachers"]["created"] == 1
    assert result.counts["students"]["created"] == 4
    assert result.counts["guardians"]["created"] == 1
    assert result.counts["enrollments"]["created"] == 6
    academy = Team.objects.get(organisation=school, name="Hillside Secondary")
    assert academy.kind == Team.Kind.SCHOOL
    science = Team.objects.get(organisation=school, name="Year 9 Science 1")
    assert science.kind == Team.Kind.CLASS
    assert science.parent == academy
    ada = Person.objects.get(organisation=school, email="ada.teacher@hillside.example")
    assert ada.role == Role.MANAGER
    assert ada.user is None  # no sign-in is made by a roster
    student = Person.objects.get(organisation=school, email="student1@hillside.example")
    assert student.role == Role.MEMBER
    assert student.name == "Student1 Pupil"
    assert set(TeamMembership.objects.filter(team=science).values_list("person__name", "role")) == {
        ("Ada Teacher", "lead"),
        ("Student1 Pupil", "member"),
        ("Student3 Pupil", "member"),
    }
    guardian = Guardian.objects.get(organisation=school)
    assert (guardian.name, guardian.email, guardian.sourced_id) == (
        "Pat Parent",
        "pat.parent@home.example",
        "g-1",
    )
    assert list(GuardianOf.objects.values_list("guardian__sourced_id", "student__email")) == [
        ("g-1", "student1@hillside.example")
    ]
    # the guardian is not a person of the school: never counted as a student
    assert not Person.objects.filter(email="pat.parent@home.example").exists()
    kinds = set(RosterRecord.objects.values_list("kind", "sourced_id"))
    assert {("org", "sch-1"), ("org", "dist-1"), ("session", "term-1"), ("course", "c-sci")} <= (
        kinds
    )
    assert ("user", "st-4") in kinds
    assert AuditEvent.objects.filter(action="roster.imported").exists()
    assert any("demographics.csv" in note for note in result.notes)


def test_a_zip_imports_like_its_files(head_actor: Actor) -> None:
    files = services.read_bundle(bundle.to_zip(bundle.files()), "roster.zip")
    assert services.import_roster(actor=head_actor, files=files).counts["students"]["created"] == 4


def test_the_importer_keeps_their_own_role(head_actor: Actor, head: Person) -> None:
    """A head teacher listed as a teacher in the export stays head teacher (never demoted)."""
    records = bundle.rows()
    records["users.csv"][0]["email"] = head.email
    services.import_roster(actor=head_actor, files=bundle.files(records))
    head.refresh_from_db()
    assert head.role == Role.ADMIN
    assert RosterRecord.objects.get(kind="user", sourced_id="t-ada").person == head


def test_re_import_is_idempotent(head_actor: Actor) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    before = _snapshot()
    again = services.import_roster(actor=head_actor, files=bundle.files())
    assert again.changed == 0
    assert all(c["created"] == c["updated"] == 0 for c in again.counts.values())
    assert _snapshot()[:-1] == before[:-1]  # one more audit event, nothing else


def test_re_import_updates_names(head_actor: Actor, school: Organisation) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    records = bundle.rows()
    records["users.csv"][2]["familyName"] = "Renamed"
    records["classes.csv"][0]["title"] = "Biology 9"
    result = services.import_roster(actor=head_actor, files=bundle.files(records))
    assert result.counts["students"]["updated"] == 1
    assert result.counts["classes"]["updated"] == 1
    assert Person.objects.filter(organisation=school, name="Student1 Renamed").exists()
    assert Team.objects.filter(organisation=school, name="Biology 9").exists()
    assert Person.objects.filter(organisation=school).count() == 6


def test_a_bulk_import_that_drops_a_student_deactivates_them(
    head_actor: Actor, school: Organisation
) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    records = bundle.rows(students=3)  # st-4 left
    result = services.import_roster(actor=head_actor, files=bundle.files(records))
    assert result.counts["students"]["deactivated"] == 1
    leaver = Person.objects.get(organisation=school, email="student4@hillside.example")
    assert leaver.active is False  # deactivated, never deleted
    assert not TeamMembership.objects.filter(person=leaver).exists()  # bulk enrollments
    assert Person.objects.filter(organisation=school, active=True).count() == 5  # head, ada, 3


def test_a_leaver_from_a_roster_is_signed_out_everywhere(
    head_actor: Actor, school: Organisation, client: Client
) -> None:
    """A student the school's roster drops loses their sessions at once (issue 15)."""
    from allauth.usersessions.models import UserSession

    services.import_roster(actor=head_actor, files=bundle.files())
    leaver = Person.objects.get(organisation=school, email="student4@hillside.example")
    leaver.user = User.objects.create_user(leaver.email, "a long enough passphrase 2026")
    leaver.save(update_fields=["user"])
    stays = Person.objects.get(organisation=school, email="student3@hillside.example")
    stays.user = User.objects.create_user(stays.email, "a long enough passphrase 2026")
    stays.save(update_fields=["user"])
    theirs, other = Client(), Client()
    for c, person in ((theirs, leaver), (other, stays)):
        c.post("/sign-in/", {"login": person.email, "password": "a long enough passphrase 2026"})
    assert UserSession.objects.filter(user=leaver.user).exists()
    services.import_roster(actor=head_actor, files=bundle.files(bundle.rows(students=3)))
    assert not UserSession.objects.filter(user=leaver.user).exists()
    assert theirs.get("/")["Location"].startswith("/sign-in/")
    assert UserSession.objects.filter(user=stays.user).exists()
    assert other.get("/").status_code == 200


def test_a_delta_import_deactivates_leavers(head_actor: Actor, school: Organisation) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    delta = {
        "users.csv": [
            {**bundle.student(2), "status": "tobedeleted"},
            bundle.student(9),
        ],
        "roles.csv": [
            {
                "sourcedId": "r-st-9",
                "userSourcedId": "st-9",
                "roleType": "primary",
                "role": "student",
                "orgSourcedId": "sch-1",
            }
        ],
        "enrollments.csv": [
            {
                "sourcedId": "e-st-2",
                "status": "tobedeleted",
                "classSourcedId": "k-2",
                "schoolSourcedId": "sch-1",
                "userSourcedId": "st-2",
                "role": "student",
            },
            {
                "sourcedId": "e-st-9",
                "classSourcedId": "k-2",
                "schoolSourcedId": "sch-1",
                "userSourcedId": "st-9",
                "role": "student",
            },
        ],
    }
    files = bundle.files(
        delta, modes=dict.fromkeys(delta, "delta"), demographics=False
    )  # orgs, classes… absent: references resolve to earlier imports
    result = services.import_roster(actor=head_actor, files=files)
    assert result.counts["students"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 1,
        "removed": 0,
    }
    assert result.counts["enrollments"]["removed"] == 1
    leaver = Person.objects.get(organisation=school, email="student2@hillside.example")
    assert leaver.active is False
    assert Person.objects.filter(organisation=school, email="student9@hillside.example").exists()
    # the others are untouched: a delta is not the whole truth
    assert Person.objects.get(email="student3@hillside.example").active
    assert set(
        TeamMembership.objects.filter(team__name="Year 9 Science 2").values_list(
            "person__name", flat=True
        )
    ) == {"Ada Teacher", "Student4 Pupil", "Student9 Pupil"}


def test_demographics_never_reach_the_database(head_actor: Actor) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    secrets = [bundle.DEMOGRAPHICS_MARKER, "2011-02-03", "+44 20 7946 0000", "+44 7700 900000"]
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                for secret in secrets:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "
                        f"WHERE CAST({name} AS TEXT) LIKE %s",
                        [f"%{secret}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append((table, column.name, secret))
    assert found == []


def test_demographics_are_never_unpacked() -> None:
    files, errors = files_of.read_zip(bundle.to_zip(bundle.files()))
    assert errors == []
    assert files["demographics.csv"] == b""


# ---------------------------------------------------------------- every kind of error


def _spoil(change: Callable[[dict[str, list[dict[str, Any]]]], None]) -> dict[str, bytes]:
    records = copy.deepcopy(bundle.rows())
    change(records)
    return bundle.files(records)


def _set(file: str, index: int, column: str, value: str) -> Callable[..., None]:
    def change(records: dict[str, list[dict[str, Any]]]) -> None:
        records[file][index][column] = value

    return change


# users.csv lines: 2 t-ada, 3 g-1, 4 st-1 …; enrollments.csv: 2, 3 teachers, 4… students
SPOILED = {
    "orphan enrollment (class)": (
        _set("enrollments.csv", 2, "classSourcedId", "k-99"),
        ("enrollments.csv", 4, "classSourcedId"),
    ),
    "orphan enrollment (user)": (
        _set("enrollments.csv", 3, "userSourcedId", "st-99"),
        ("enrollments.csv", 5, "userSourcedId"),
    ),
    "unknown orgSourcedId": (
        _set("roles.csv", 0, "orgSourcedId", "sch-9"),
        ("roles.csv", 2, "orgSourcedId"),
    ),
    "unknown courseSourcedId": (
        _set("classes.csv", 1, "courseSourcedId", "c-art"),
        ("classes.csv", 3, "courseSourcedId"),
    ),
    "unknown schoolSourcedId": (
        _set("classes.csv", 0, "schoolSourcedId", "sch-9"),
        ("classes.csv", 2, "schoolSourcedId"),
    ),
    "unknown termSourcedIds": (
        _set("classes.csv", 0, "termSourcedIds", "term-1,term-9"),
        ("classes.csv", 2, "termSourcedIds"),
    ),
    "unknown agentSourcedIds": (
        _set("users.csv", 2, "agentSourcedIds", "g-9"),
        ("users.csv", 4, "agentSourcedIds"),
    ),
    "bad role": (_set("roles.csv", 2, "role", "pupil"), ("roles.csv", 4, "role")),
    "bad enrollment role": (
        _set("enrollments.csv", 2, "role", "learner"),
        ("enrollments.csv", 4, "role"),
    ),
    "bad class type": (_set("classes.csv", 0, "classType", "lab"), ("classes.csv", 2, "classType")),
    "bad enabledUser": (
        _set("users.csv", 0, "enabledUser", "yes"),
        ("users.csv", 2, "enabledUser"),
    ),
    "bad date": (
        _set("academicSessions.csv", 1, "startDate", "01/09/2025"),
        ("academicSessions.csv", 3, "startDate"),
    ),
    "bulk with a status": (
        _set("users.csv", 3, "status", "active"),
        ("users.csv", 5, "status"),
    ),
    "bulk with a dateLastModified": (
        _set("orgs.csv", 0, "dateLastModified", bundle.MODIFIED),
        ("orgs.csv", 2, "dateLastModified"),
    ),
    "duplicate sourcedId": (
        _set("users.csv", 3, "sourcedId", "st-1"),
        ("users.csv", 5, "sourcedId"),
    ),
    "duplicate email": (
        _set("users.csv", 3, "email", "student1@hillside.example"),
        ("users.csv", 5, "email"),
    ),
    "user without a role": (
        lambda r: r["roles.csv"].pop(),
        ("users.csv", 7, "sourcedId"),
    ),
}


@pytest.mark.parametrize("case", list(SPOILED))
def test_each_error_names_file_line_and_column(head_actor: Actor, case: str) -> None:
    change, where = SPOILED[case]
    assert where in _errors(head_actor, _spoil(change))


def test_every_error_of_a_bundle_is_listed_at_once(head_actor: Actor) -> None:
    def both(records: dict[str, list[dict[str, Any]]]) -> None:
        records["roles.csv"][2]["role"] = "pupil"
        records["enrollments.csv"][2]["classSourcedId"] = "k-99"

    found = _errors(head_actor, _spoil(both))
    assert ("roles.csv", 4, "role") in found
    assert ("enrollments.csv", 4, "classSourcedId") in found


def test_a_byte_order_mark_is_refused(head_actor: Actor) -> None:
    files = bundle.files()
    files["users.csv"] = b"\xef\xbb\xbf" + files["users.csv"]
    assert _errors(head_actor, files) == [("users.csv", 1, "file")]
    with pytest.raises(ValidationFailed) as caught:
        services.check_roster(actor=head_actor, files=files)
    assert "without BOM" in caught.value.errors[0].message


def test_a_missing_required_column(head_actor: Actor) -> None:
    files = bundle.files()
    lines = files["classes.csv"].decode().splitlines()
    header = lines[0].split(",")
    drop = header.index("classType")
    files["classes.csv"] = (
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines)
        + "\n"
    ).encode()
    assert ("classes.csv", 1, "classType") in _errors(head_actor, files)


def test_a_delta_file_without_status_is_a_mismatch(head_actor: Actor) -> None:
    files = bundle.files(modes={"users.csv": "delta"})
    text = files["users.csv"].decode().replace(f"active,{bundle.MODIFIED}", ",", 1)
    files["users.csv"] = text.encode()
    found = _errors(head_actor, files)
    assert ("users.csv", 2, "status") in found
    assert ("users.csv", 2, "dateLastModified") in found


def test_a_delta_with_a_bad_status_or_time(head_actor: Actor) -> None:
    records = bundle.rows()
    records["users.csv"][0]["status"] = "gone"
    records["users.csv"][1]["dateLastModified"] = "yesterday"
    found = _errors(head_actor, bundle.files(records, modes={"users.csv": "delta"}))
    assert ("users.csv", 2, "status") in found
    assert ("users.csv", 3, "dateLastModified") in found


def test_the_manifest_must_name_each_file(head_actor: Actor) -> None:
    files = bundle.files()
    del files["enrollments.csv"]  # file.enrollments says bulk
    found = _errors(head_actor, files)
    assert [f for f in found if f[0] == "manifest.csv" and f[2] == "value"]
    files = bundle.files()
    del files["manifest.csv"]
    assert _errors(head_actor, files) == [("manifest.csv", None, "file")]


def test_a_company_cannot_import_a_roster(admin_actor: Actor) -> None:
    assert _errors(admin_actor, bundle.files()) == [(None, None, "file")]


def test_a_teacher_may_not_import(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    teacher = actor_of(make_person(school, Role.MANAGER))
    with pytest.raises(NotAllowed):
        services.import_roster(actor=teacher, files=bundle.files())


# ---------------------------------------------------------------- zips


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_with_a_path_that_leaves_the_bundle_is_refused() -> None:
    files, errors = files_of.read_zip(_zip({"../../etc/users.csv": b"x", "manifest.csv": b"y"}))
    assert files == {}
    assert [(e.file, e.field) for e in errors] == [("roster.zip", "../../etc/users.csv")]


def test_a_zip_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files_of, "MAX_UNCOMPRESSED", 1000)
    files, errors = files_of.read_zip(_zip({"users.csv": b"a" * 1001}))
    assert files == {}
    assert "unpacks to more than" in errors[0].message


def test_a_zip_just_under_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files_of, "MAX_UNCOMPRESSED", 1000)
    files, errors = files_of.read_zip(_zip({"users.csv": b"a" * 1000}))
    assert errors == []
    assert len(files["users.csv"]) == 1000


def test_too_many_members_and_too_big_a_zip(monkeypatch: pytest.MonkeyPatch) -> None:
    many = _zip({f"f{n}.csv": b"" for n in range(files_of.MAX_MEMBERS + 1)})
    assert "more than" in files_of.read_zip(many)[1][0].message
    assert files_of.read_zip(_zip({f"f{n}.csv": b"" for n in range(files_of.MAX_MEMBERS)}))[1] == []
    monkeypatch.setattr(files_of, "MAX_BUNDLE_BYTES", 10)
    assert "larger than" in files_of.read_zip(b"x" * 11)[1][0].message
    assert "not a zip" in files_of.read_zip(b"x" * 10)[1][0].message


# ---------------------------------------------------------------- the three callers


def test_the_command_line(tmp_path: Path, head: Person, school: Organisation) -> None:
    archive = tmp_path / "roster.zip"
    archive.write_bytes(bundle.to_zip(bundle.files()))
    out = io.StringIO()
    call_command("import", "oneroster", str(archive), "--org", school.slug, "--dry-run", stdout=out)
    assert "students: 4 created" in out.getvalue()
    assert not Person.objects.filter(email="student1@hillside.example").exists()
    folder = tmp_path / "roster"
    folder.mkdir()
    for name, data in bundle.files().items():
        (folder / name).write_bytes(data)
    call_command("import", "oneroster", str(folder), "--org", school.slug, stdout=io.StringIO())
    assert Person.objects.filter(email="student1@hillside.example").exists()


def test_the_command_line_names_file_line_and_column(
    tmp_path: Path, head: Person, school: Organisation
) -> None:
    archive = tmp_path / "roster.zip"
    archive.write_bytes(bundle.to_zip(_spoil(_set("roles.csv", 2, "role", "pupil"))))
    with pytest.raises(CommandError) as caught:
        call_command("import", "oneroster", str(archive), "--org", school.slug)
    assert "roles.csv: line 4: role: 'pupil' is not one of" in str(caught.value)


def test_the_api(client: Client, head: Person, bearer: Callable[[Person], dict[str, str]]) -> None:
    body = {"zip": base64.b64encode(bundle.to_zip(bundle.files())).decode(), "dry_run": True}
    answer = client.post(
        "/api/v1/imports/oneroster", json.dumps(body), "application/json", **bearer(head)
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["counts"]["students"]["created"] == 4
    assert not Person.objects.filter(email="student1@hillside.example").exists()
    body["dry_run"] = False
    answer = client.post(
        "/api/v1/imports/oneroster", json.dumps(body), "application/json", **bearer(head)
    )
    assert answer.status_code == 201
    assert Person.objects.filter(email="student1@hillside.example").exists()


def test_the_api_answers_422_with_file_line_and_column(
    client: Client, head: Person, bearer: Callable[[Person], dict[str, str]]
) -> None:
    spoiled = bundle.to_zip(_spoil(_set("enrollments.csv", 2, "classSourcedId", "k-99")))
    body = {"zip": base64.b64encode(spoiled).decode()}
    answer = client.post(
        "/api/v1/imports/oneroster", json.dumps(body), "application/json", **bearer(head)
    )
    assert answer.status_code == 422
    assert ["body", "enrollments.csv", "line 4", "classSourcedId"] in [
        d["loc"] for d in answer.json()["detail"]
    ]
    answer = client.post(
        "/api/v1/imports/oneroster", json.dumps({"zip": "%%%"}), "application/json", **bearer(head)
    )
    assert answer.status_code == 422


def test_the_web_preview_then_confirm(
    web: Callable[[Person], Client], head: Person, school: Organisation
) -> None:
    client = web(head)
    upload = io.BytesIO(bundle.to_zip(bundle.files()))
    upload.name = "roster.zip"
    page = client.post("/classroom/roster/", {"file": upload})
    assert page.status_code == 200
    assert b"What this roster would change" in page.content
    assert not Person.objects.filter(email="student1@hillside.example").exists()
    done = client.post("/classroom/roster/confirm/")
    assert done.status_code == 302
    assert Person.objects.filter(organisation=school, email="student1@hillside.example").exists()


def test_the_web_lists_errors_with_file_and_line(
    web: Callable[[Person], Client], head: Person
) -> None:
    upload = io.BytesIO(bundle.to_zip(_spoil(_set("roles.csv", 2, "role", "pupil"))))
    upload.name = "roster.zip"
    page = web(head).post("/classroom/roster/", {"file": upload})
    assert page.status_code == 400
    assert b"<code>roles.csv</code>, line 4, column <code>role</code>" in page.content


# ---------------------------------------------------------------- no query per row


def _queries(actor: Actor, students: int, classes: int) -> int:
    files = bundle.files(bundle.rows(students=students, classes=classes))
    with CaptureQueriesContext(connection) as first:
        services.import_roster(actor=actor, files=files)
    return len(first.captured_queries)


def test_the_import_reads_in_bulk(
    make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    """The query count does not grow with the roster (lookups are read once)."""
    counts = []
    for n, size in enumerate((10, 40)):
        org = Organisation.objects.create(
            name=f"School {n}", slug=f"school-{n}", kind=Organisation.Kind.SCHOOL
        )
        counts.append(_queries(actor_of(make_person(org, Role.ADMIN)), size, size // 5))
    assert counts[0] == counts[1]
