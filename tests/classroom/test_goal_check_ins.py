"""Check-ins with the teacher on a student's goal (issue 20): a dated series, not one note
each reply overwrites. Who writes them (the student on their own goal, a teacher of their
class on their students'), who reads them (the head teacher; guardians when the class
shares goals), the migration of the one teacher note of earlier releases, the conference
PDF's text, the goal page's query count, and bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ampwork.classroom import goal_services, portfolio, selectors
from ampwork.classroom.models import FamilySharing, Goal, GoalCheckIn, Guardian, GuardianOf
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Person, Role, Team, TeamMembership, User
from ampwork.core.permissions import can

from .goals import PASSWORD, School, make_school
from .test_goals import actor, pdf_text, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    return make_school("hillside-check-ins")


def _person(school: School, name: str, role: str) -> Person:
    email = f"{name.split()[0].lower()}@{school.org.slug}.example"
    user = User.objects.create_user(email, PASSWORD, name=name)
    return Person.objects.create(
        organisation=school.org, user=user, name=name, email=email, role=role
    )


@pytest.fixture
def art_teacher(school: School) -> Person:
    """Teaches Year 9 Art (Cat's class), not Ann's."""
    dev = _person(school, "Dev Painter", Role.MANAGER)
    art = Team.objects.get(organisation=school.org, name="Year 9 Art")
    TeamMembership.objects.create(
        organisation=school.org, team=art, person=dev, role=TeamMembership.Role.LEAD
    )
    return dev


def _add(person: Person, school: School, text: str, progress: int | None = None) -> GoalCheckIn:
    return goal_services.add_check_in(
        actor=actor(person), objective_id=school.objective.pk, text=text, progress=progress
    )


def _url(school: School) -> str:
    return reverse("classroom:goal", args=[school.objective.pk])


# ---------------------------------------------------------------- the rules, by role


def test_who_writes_and_who_reads_check_ins(school: School, art_teacher: Person) -> None:
    ann = school.ann
    assert can(actor(ann), "goals.check_in", ann)  # her own goal
    assert can(actor(school.teacher), "goals.check_in", ann)  # her class's teacher
    assert not can(actor(school.head), "goals.check_in", ann)  # the head teacher reads
    assert can(actor(school.head), "goals.view", ann)
    assert not can(actor(school.ben), "goals.check_in", ann)  # another student
    assert not can(actor(school.ben), "goals.view", ann)
    assert not can(actor(art_teacher), "goals.check_in", ann)  # a teacher of another class
    assert not can(actor(art_teacher), "goals.view", ann)
    assert can(actor(art_teacher), "goals.check_in", school.cat)  # but theirs: yes
    assert not can(actor(school.teacher), "goals.check_in", school.teacher)  # no goal sheet


def test_the_student_and_the_teacher_write_a_dated_series(school: School) -> None:
    first = _add(school.ann, school, "I read two books", 40)
    second = _add(school.teacher, school, "Well done: try a longer one next")
    third = _add(school.ann, school, "Started a long one")
    assert (first.by, second.by, third.by) == ("student", "teacher", "student")
    assert (first.progress, second.progress) == (40, None)
    assert GoalCheckIn.objects.count() == 3  # nothing overwritten
    view = selectors.student_goals(actor(school.head), school.ann.pk, [school.objective.pk])[0]
    assert [t.text for t in view.talks] == [
        "Started a long one",
        "Well done: try a longer one next",
        "I read two books",
    ]  # newest first
    assert [t.author for t in view.talks] == ["Ann Archer", "Tara Teacher", "Ann Archer"]
    assert view.talks[2].share == 0.4
    # the page: the same order, each with who wrote it
    page = signed_in(school.head).get(_url(school)).content.decode()
    assert page.index("Started a long one") < page.index("Well done") < page.index("I read two")
    assert "Tara Teacher (teacher)" in page
    assert 'name="check_in-text"' not in page  # the head teacher has no form


def test_the_check_in_on_a_students_goal_makes_the_goal_sheet(school: School) -> None:
    assert not Goal.objects.exists()
    _add(school.teacher, school, "Let us talk on Friday")
    goal = Goal.objects.get()
    assert (goal.student_id, goal.objective_id) == (school.ann.pk, school.objective.pk)


def test_attacks_refused_and_nothing_written(school: School, art_teacher: Person) -> None:
    for person in (school.ben, art_teacher, school.head):
        with pytest.raises(NotAllowed):
            _add(person, school, "x")
        response = signed_in(person).post(_url(school), {"check_in-text": "x"})
        assert response.status_code in (403, 404), person.name
    # a private goal of Ann's: not found for her class's teacher (OKRs' rule)
    with pytest.raises(NotFound):
        goal_services.add_check_in(
            actor=actor(school.teacher), objective_id=school.private.pk, text="x"
        )
    assert not GoalCheckIn.objects.exists()


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"check_in-text": ""}, "text", "required"),
        ({"check_in-text": "   "}, "text", "required"),
        ({"check_in-text": "x" * 2001}, "text", "2000"),
        ({"check_in-text": "a\x00b"}, "text", "Null characters"),
        ({"check_in-text": "fine", "check_in-progress": "-1"}, "progress", "0"),
        ({"check_in-text": "fine", "check_in-progress": "101"}, "progress", "100"),
        ({"check_in-text": "fine", "check_in-progress": "lots"}, "progress", "whole number"),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing(
    school: School, data: dict[str, str], field: str, words: str
) -> None:
    response = signed_in(school.ann).post(_url(school), data)
    assert response.status_code == 400
    form = response.context["check_in"]
    assert field in form.errors
    assert words in " ".join(form.errors[field])
    assert not GoalCheckIn.objects.exists()


def test_the_limits_on_their_boundaries(school: School) -> None:
    client = signed_in(school.ann)
    for text, progress in (("x" * 2000, "0"), ("y", "100"), ("z", "")):
        data = {"check_in-text": text, "check_in-progress": progress}
        assert client.post(_url(school), data).status_code == 302
    assert sorted(
        (len(e.text), -1 if e.progress is None else e.progress) for e in GoalCheckIn.objects.all()
    ) == [
        (1, -1),
        (1, 100),
        (2000, 0),
    ]


@pytest.mark.parametrize(
    ("text", "progress", "field"),
    [
        ("", None, "text"),
        ("x" * 2001, None, "text"),
        ("a\x00b", None, "text"),
        ("ok", -1, "progress"),
        ("ok", 101, "progress"),
        ("ok", True, "progress"),
    ],
)
def test_the_service_refuses_bad_input_too(
    school: School, text: str, progress: Any, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _add(school.ann, school, text, progress)
    assert refused.value.errors[0].field == field
    assert not GoalCheckIn.objects.exists()


# ---------------------------------------------------------------- the goal page's queries


def _many(school: School, count: int) -> None:
    goal = Goal.objects.create(
        organisation=school.org, objective=school.objective, student=school.ann
    )
    now = timezone.now()
    GoalCheckIn.objects.bulk_create(
        GoalCheckIn(
            organisation=school.org,
            goal=goal,
            by="teacher" if n % 2 else "student",
            author=school.teacher if n % 2 else school.ann,
            written_at=now - dt.timedelta(days=n),
            text=f"check-in number {n}",
            progress=n % 101,
        )
        for n in range(count)
    )


def test_the_goal_page_reads_a_fixed_number_of_queries(
    school: School, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(school.teacher)
    _many(school, 2)
    client.get(_url(school))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(school)).status_code == 200
    GoalCheckIn.objects.all().delete()
    Goal.objects.all().delete()
    _many(school, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(_url(school))
    assert page.content.decode().count("check-in number") == 60


# ---------------------------------------------------------------- migrating the old note


def test_the_old_teacher_note_becomes_a_first_check_in(transactional_db: Any) -> None:
    executor = MigrationExecutor(connection)
    before = [("classroom", "0009_roster_term_cycles")]
    after = [("classroom", "0010_goal_check_ins")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        org = old.get_model("core", "Organisation").objects.create(
            name="Old School", slug="old-school", kind="school"
        )
        person = old.get_model("core", "Person")
        teacher = person.objects.create(
            organisation=org, name="Tara", email="tara@old.example", role="manager"
        )
        ann = person.objects.create(organisation=org, name="Ann", email="ann@old.example")
        cycle = old.get_model("okrs", "Cycle").objects.create(
            organisation=org, name="Autumn", start="2026-09-01", end="2026-12-20"
        )
        objective = old.get_model("okrs", "Objective")
        goal = old.get_model("classroom", "Goal")
        written = dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.UTC)
        made = []
        for n, (note, by) in enumerate(((" Great plan\n", teacher), ("", None), ("  ", None))):
            made.append(
                goal.objects.create(
                    organisation=org,
                    objective=objective.objects.create(
                        organisation=org,
                        cycle=cycle,
                        owner_kind="person",
                        owner_person=ann,
                        author=ann,
                        title=f"Goal {n}",
                    ),
                    student=ann,
                    teacher_note=note,
                    teacher=by,
                    updated_at=written,
                )
            )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        rows = list(new.get_model("classroom", "GoalCheckIn").objects.all())
        assert len(rows) == 1  # the blank notes made none
        (row,) = rows
        assert (row.goal_id, row.by, row.author_id, row.text, row.progress) == (
            made[0].pk,
            "teacher",
            teacher.pk,
            "Great plan",
            None,
        )
        assert row.written_at == written
        # the column stays for the previous release, holding what it held
        assert new.get_model("classroom", "Goal").objects.get(pk=made[0].pk).teacher_note
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )


# ---------------------------------------------------------------- the conference PDF


def test_the_conference_pdf_prints_the_check_ins_oldest_first(school: School) -> None:
    _add(school.ann, school, "Finished book three", 30)
    _add(school.teacher, school, "Try a graphic novel next")
    for reader in (school.ann, school.teacher):
        response = signed_in(reader).get(reverse("classroom:conference", args=[school.ann.pk]))
        text = " ".join(pdf_text(response.content).split())
        assert "Check-ins with my teacher" in text
        assert "Ann Archer (30% of the way there): Finished book three" in text
        assert "Tara Teacher (teacher): Try a graphic novel next" in text
        assert text.index("Finished book three") < text.index("Try a graphic novel next")


def test_the_renderer_prints_talk_lines() -> None:
    goal = portfolio.GoalPage(
        kind="Mastery",
        title="Read more",
        progress=0.5,
        cycle="Autumn",
        starting_point="",
        key_results=[],
        action_plan="",
        steps=[],
        check_ins=[],
        celebration="",
        talks=[
            portfolio.TalkLine(dt.date(2026, 10, 5), "Ann", "Two books", 25),
            portfolio.TalkLine(dt.date(2026, 10, 12), "Ms Reed (teacher)", "Keep it up"),
        ],
    )
    data = portfolio.render(
        portfolio.Portfolio("Ann", "Hillside", dt.date(2026, 11, 1), None, goals=[goal])
    )
    text = " ".join(pdf_text(data).split())
    assert "Ann (25% of the way there): Two books" in text
    assert "Ms Reed (teacher): Keep it up" in text


# ---------------------------------------------------------------- guardians


def _guardian(school: School) -> Client:
    user = User.objects.create_user("gina@family.example", PASSWORD)
    gina = Guardian.objects.create(
        organisation=school.org, sourced_id="g1", name="Gina", email=user.email, user=user
    )
    GuardianOf.objects.create(organisation=school.org, guardian=gina, student=school.ann)
    client = Client()
    client.force_login(user)
    return client


def test_guardians_read_check_ins_only_when_the_class_shares_goals(school: School) -> None:
    _add(school.teacher, school, "A note for the whole family")
    gina = _guardian(school)
    url = reverse("classroom:child", args=[school.ann.pk])
    assert "A note for the whole family" not in gina.get(url).content.decode()
    science = Team.objects.get(organisation=school.org, name="Year 9 Science")
    FamilySharing.objects.create(organisation=school.org, team=science, goals=True)
    page = gina.get(url).content.decode()
    assert "A note for the whole family" in page
    assert "Tara Teacher (teacher)" in page
    # reading is all: the goal page and its form are not theirs
    assert gina.post(_url(school), {"check_in-text": "from a parent"}).status_code == 403
    assert GoalCheckIn.objects.count() == 1


def test_another_guardian_reads_nothing_of_anns(school: School) -> None:
    _add(school.teacher, school, "For Ann's family only")
    science = Team.objects.get(organisation=school.org, name="Year 9 Science")
    FamilySharing.objects.create(organisation=school.org, team=science, goals=True)
    user = User.objects.create_user("hugo@family.example", PASSWORD)
    hugo = Guardian.objects.create(
        organisation=school.org, sourced_id="g2", name="Hugo", email=user.email, user=user
    )
    GuardianOf.objects.create(organisation=school.org, guardian=hugo, student=school.ben)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("classroom:child", args=[school.ann.pk])).status_code == 404
    assert (
        "For Ann"
        not in client.get(reverse("classroom:child", args=[school.ben.pk])).content.decode()
    )
