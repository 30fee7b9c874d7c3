"""Rostering's finer rules: who may, adoption by email, names, leavers of every kind."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ampwork.classroom import services
from ampwork.classroom.models import Guardian, GuardianOf, RosterRecord
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor, can

from ..factories import PersonFactory, TeamFactory
from . import bundle


@pytest.fixture
def head_actor(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> Actor:
    return actor_of(make_person(school, Role.ADMIN))


@pytest.mark.parametrize(
    ("role", "may"), [(Role.ADMIN, True), (Role.MANAGER, False), (Role.MEMBER, False)]
)
def test_only_head_teachers_may_roster(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    role: str,
    may: bool,
) -> None:
    assert can(actor_of(make_person(school, role)), "roster.import") is may


def test_someone_added_by_hand_is_adopted_by_email(head_actor: Actor, school: Organisation) -> None:
    by_hand = PersonFactory(organisation=school, email="student2@hillside.example", name="S2")
    services.import_roster(actor=head_actor, files=bundle.files())
    assert (
        Person.objects.filter(organisation=school, email="student2@hillside.example").count() == 1
    )
    by_hand.refresh_from_db()
    assert by_hand.name == "Student2 Pupil"
    assert RosterRecord.objects.get(kind="user", sourced_id="st-2").person == by_hand


def test_an_email_of_another_rostered_person_is_refused(head_actor: Actor) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    records = bundle.rows()
    records["users.csv"][3]["email"] = "changed@hillside.example"  # st-2 moves away…
    records["users.csv"][4]["email"] = "student2@hillside.example"  # …st-3 takes theirs
    with pytest.raises(ValidationFailed) as caught:
        services.import_roster(actor=head_actor, files=bundle.files(records))
    assert [(e.file, e.line, e.field) for e in caught.value.errors] == [("users.csv", 6, "email")]


def test_a_user_without_email_gets_an_address_that_is_never_delivered(
    head_actor: Actor, school: Organisation
) -> None:
    records = bundle.rows()
    records["users.csv"][5]["email"] = ""
    services.import_roster(actor=head_actor, files=bundle.files(records))
    person = RosterRecord.objects.get(kind="user", sourced_id="st-4").person
    assert person is not None
    assert person.email == "st-4@roster.invalid"
    again = services.import_roster(actor=head_actor, files=bundle.files(records))
    assert again.changed == 0


def test_a_class_name_already_taken_gets_its_class_code(
    head_actor: Actor, school: Organisation
) -> None:
    TeamFactory(organisation=school, name="Year 9 Science 1")
    services.import_roster(actor=head_actor, files=bundle.files())
    record = RosterRecord.objects.get(kind="class", sourced_id="k-1")
    assert record.team is not None
    assert record.team.name == "Year 9 Science 1 (9S1)"
    assert services.import_roster(actor=head_actor, files=bundle.files()).changed == 0


def test_a_class_to_be_deleted_loses_its_roster_but_stays(
    head_actor: Actor, school: Organisation
) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    klass = bundle.rows()["classes.csv"][0]
    files = bundle.files(
        {"classes.csv": [{**klass, "status": "tobedeleted"}]},
        modes={"classes.csv": "delta"},
        demographics=False,
    )
    result = services.import_roster(actor=head_actor, files=files)
    assert result.counts["enrollments"]["removed"] == 3
    team = Team.objects.get(organisation=school, name="Year 9 Science 1")
    assert not TeamMembership.objects.filter(team=team).exists()
    assert RosterRecord.objects.get(kind="class", sourced_id="k-1").active is False


def test_a_bulk_import_without_a_guardian_deactivates_them(
    head_actor: Actor, school: Organisation
) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    records = bundle.rows()
    records["users.csv"] = [u for u in records["users.csv"] if u["sourcedId"] != "g-1"]
    records["users.csv"][1]["agentSourcedIds"] = ""
    records["roles.csv"] = [r for r in records["roles.csv"] if r["userSourcedId"] != "g-1"]
    result = services.import_roster(actor=head_actor, files=bundle.files(records))
    assert result.counts["guardians"]["deactivated"] == 1
    assert Guardian.objects.get(sourced_id="g-1").active is False
    assert not GuardianOf.objects.exists()


def test_a_disabled_user_is_inactive(head_actor: Actor, school: Organisation) -> None:
    records = bundle.rows()
    records["users.csv"][2]["enabledUser"] = "false"
    services.import_roster(actor=head_actor, files=bundle.files(records))
    assert Person.objects.get(email="student1@hillside.example").active is False


def test_a_roster_never_makes_a_head_teacher(head_actor: Actor) -> None:
    records = bundle.rows()
    records["roles.csv"][0]["role"] = "principal"
    services.import_roster(actor=head_actor, files=bundle.files(records))
    assert Person.objects.get(email="ada.teacher@hillside.example").role == Role.MANAGER


def test_a_delta_deleting_someone_never_imported_changes_nothing(head_actor: Actor) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    gone = {**bundle.student(77), "status": "tobedeleted"}
    files = bundle.files({"users.csv": [gone]}, modes={"users.csv": "delta"}, demographics=False)
    before = Person.objects.count()
    assert services.import_roster(actor=head_actor, files=files).changed == 0
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    ("file", "index", "column", "line"),
    [
        ("orgs.csv", 1, "type", 3),
        ("classes.csv", 0, "title", 2),
        ("users.csv", 2, "givenName", 4),
        ("enrollments.csv", 0, "role", 2),
        ("roles.csv", 1, "roleType", 3),
    ],
)
def test_a_required_value_left_empty(
    head_actor: Actor, file: str, index: int, column: str, line: int
) -> None:
    records = bundle.rows()
    records[file][index][column] = ""
    with pytest.raises(ValidationFailed) as caught:
        services.import_roster(actor=head_actor, files=bundle.files(records))
    assert [(e.file, e.line, e.field, e.message) for e in caught.value.errors] == [
        (file, line, column, "is required")
    ]


def test_two_users_without_email_whose_ids_differ_by_case(
    head_actor: Actor, school: Organisation
) -> None:
    records = bundle.rows(students=2)
    for user, sid in zip(records["users.csv"][2:], ("ABC", "abc"), strict=True):
        old = user["sourcedId"]
        user["sourcedId"], user["email"] = sid, ""
        for row in records["roles.csv"] + records["enrollments.csv"]:
            if row["userSourcedId"] == old:
                row["userSourcedId"] = sid
    records["users.csv"][1]["agentSourcedIds"] = "ABC"
    services.import_roster(actor=head_actor, files=bundle.files(records))
    emails = sorted(
        Person.objects.filter(organisation=school, email__endswith="@roster.invalid").values_list(
            "email", flat=True
        )
    )
    assert len(emails) == 2
    assert emails[0] != emails[1]
    assert services.import_roster(actor=head_actor, files=bundle.files(records)).changed == 0
