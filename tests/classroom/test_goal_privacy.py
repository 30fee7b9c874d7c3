"""Who reads which of a student's goals, and what their conference portfolio may hold
(review of issue 20): the goal rules' objects are students, never a colleague; a private
goal follows OKRs' rule (404 where OKRs answer 404); the portfolio holds only what the
student chose; a reader's copy only the feedback they may read; the PDF's font fallback.
The PDF's text is read back with pypdf (its streams are compressed: bytes tell nothing)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ampwork.classroom import family_selectors, goal_services, portfolio, selectors
from ampwork.classroom.models import FamilySharing, Guardian, GuardianOf
from ampwork.core.errors import NotAllowed, NotFound
from ampwork.core.models import Person, Role, Team, TeamMembership, User
from ampwork.core.permissions import Actor, can
from ampwork.mastery.models import Feedback
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs.models import Objective
from ampwork.purpose.models import Statement

from .goals import (
    GOAL,
    PASSWORD,
    PRIVATE_GOAL,
    PRIVATE_KR,
    PRIVATE_NOTE,
    SHARED_FEEDBACK,
    STATEMENT,
    TEACHER_CHECKIN_NOTE,
    UNSHARED_FEEDBACK,
    School,
    make_school,
)

pytestmark = pytest.mark.django_db

COLLEAGUE_SECRET = "Apply for the deputy head post"
CLASSMATE_FEEDBACK = "Ben says Ann is bossy in group work"
MATHS_FEEDBACK = "Ann's fractions are much stronger now"
REPLY = "I think you can aim for twelve"


@pytest.fixture
def school() -> School:
    return make_school()


def actor(person: Person) -> Actor:
    return Actor(
        organisation=person.organisation, role=person.role, user=person.user, person=person
    )


def signed_in(person: Person) -> Client:
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    return client


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_of(reader: Person, student: Person) -> str:
    response = signed_in(reader).get(reverse("classroom:conference", args=[student.pk]))
    assert response.status_code == 200, response.status_code
    return pdf_text(response.content)


def _person(school: School, name: str, role: str) -> Person:
    email = f"{name.split()[0].lower()}@{school.org.slug}.example"
    user = User.objects.create_user(email, PASSWORD, name=name)
    return Person.objects.create(
        organisation=school.org, user=user, name=name, email=email, role=role
    )


def _objective(owner: Person, cycle_of: School, title: str, private: bool) -> Objective:
    return Objective.objects.create(
        organisation=owner.organisation,
        cycle=cycle_of.cycle,
        owner_kind=Objective.OwnerKind.PERSON,
        owner_person=owner,
        author=owner,
        title=title,
        visibility=Objective.Visibility.PRIVATE if private else Objective.Visibility.ORGANISATION,
    )


# ---------------------------------------------------------------- 1: colleagues are not students


def test_a_teacher_leading_a_department_never_reads_a_colleagues_goals(school: School) -> None:
    tom = _person(school, "Tom Colleague", Role.MANAGER)
    department = Team.objects.create(organisation=school.org, name="Science department")
    TeamMembership.objects.create(
        organisation=school.org, team=department, person=school.teacher, role="lead"
    )
    TeamMembership.objects.create(organisation=school.org, team=department, person=tom)
    secret = _objective(tom, school, COLLEAGUE_SECRET, private=True)
    shared = _objective(tom, school, "Run the science fair", private=False)
    tara = actor(school.teacher)
    for action in ("goals.view", "goals.check_in"):
        assert not can(tara, action, tom)
        assert not can(actor(school.head), action, tom)  # a head teacher neither
    assert can(actor(tom), "goals.view", tom)  # their own page is theirs
    client = signed_in(school.teacher)
    assert client.get(reverse("classroom:student_goals", args=[tom.pk])).status_code == 403
    assert client.get(reverse("classroom:conference", args=[tom.pk])).status_code == 403
    # the private objective: "not found", as in OKRs; the shared one: not Tara's to open here
    assert client.get(reverse("classroom:goal", args=[secret.pk])).status_code == 404
    assert client.get(reverse("classroom:goal", args=[shared.pk])).status_code == 403
    response = client.post(reverse("classroom:goal", args=[shared.pk]), {"check_in-text": "x"})
    assert response.status_code == 403
    with pytest.raises(NotFound):
        goal_services.add_check_in(actor=tara, objective_id=secret.pk, text="x")
    with pytest.raises(NotAllowed):
        goal_services.add_check_in(actor=tara, objective_id=shared.pk, text="x")
    # and Tom is not among the students she follows
    names = [name for _, name in selectors.students_to_follow(tara).students]
    assert names == ["Ann Archer", "Ben Brook"]


# ---------------------------------------------------------------- 2: private goals, OKRs' rule


def test_a_private_goal_is_not_found_for_a_class_teacher_who_is_not_the_manager(
    school: School,
) -> None:
    url = reverse("classroom:goal", args=[school.private.pk])
    tara = signed_in(school.teacher)
    assert tara.get(url).status_code == 404
    assert tara.post(url, {"check_in-text": "x"}).status_code == 404
    page = tara.get(reverse("classroom:student_goals", args=[school.ann.pk])).content.decode()
    assert GOAL in page
    assert PRIVATE_GOAL not in page
    assert PRIVATE_KR not in page
    text = pdf_of(school.teacher, school.ann)
    assert GOAL in text
    assert PRIVATE_GOAL not in text
    assert PRIVATE_NOTE not in text
    # the same answer as OKRs' own page
    assert tara.get(reverse("okrs:objective", args=[school.private.pk])).status_code == 404
    # another student: 404 too (a 403 would say it exists); the shared goal: 403
    ben = signed_in(school.ben)
    assert ben.get(url).status_code == 404
    assert ben.get(reverse("classroom:goal", args=[school.objective.pk])).status_code == 403
    # the student, and a head teacher, read it
    assert PRIVATE_GOAL in signed_in(school.ann).get(url).content.decode()
    assert PRIVATE_GOAL in signed_in(school.head).get(url).content.decode()


def test_a_teacher_up_the_reporting_line_reads_the_private_goal(school: School) -> None:
    school.ann.manager = school.teacher
    school.ann.save()
    response = signed_in(school.teacher).get(reverse("classroom:goal", args=[school.private.pk]))
    assert response.status_code == 200
    assert PRIVATE_NOTE in response.content.decode()


def test_okrs_person_goals_filters_by_the_reader(school: School) -> None:
    def titles(reader: Person) -> set[str]:
        return {g.title for g in okr_selectors.person_goals(actor(reader), school.ann.pk)}

    assert titles(school.ann) == {GOAL, PRIVATE_GOAL}
    assert titles(school.head) == {GOAL, PRIVATE_GOAL}
    assert titles(school.teacher) == {GOAL}
    assert titles(school.ben) == {GOAL}
    [private] = okr_selectors.person_goals(actor(school.ann), school.ann.pk, [school.private.pk])
    assert private.private is True


# ---------------------------------------------------------------- 3: feedback in the portfolio


def _feedback_from_others(school: School) -> Person:
    mo = _person(school, "Mo Maths", Role.MANAGER)
    maths = Team.objects.create(organisation=school.org, name="Year 9 Maths")
    TeamMembership.objects.create(organisation=school.org, team=maths, person=mo, role="lead")
    TeamMembership.objects.create(organisation=school.org, team=maths, person=school.ann)
    Feedback.objects.create(
        organisation=school.org,
        giver=mo,
        receiver=school.ann,
        body=MATHS_FEEDBACK,
        share_with_family=True,
    )
    # written straight to the table: the service would refuse a student the choice
    Feedback.objects.create(
        organisation=school.org,
        giver=school.ben,
        receiver=school.ann,
        body=CLASSMATE_FEEDBACK,
        share_with_family=True,
    )
    return mo


def test_a_readers_copy_holds_only_feedback_they_may_read_and_only_from_teachers(
    school: School,
) -> None:
    _feedback_from_others(school)
    own = pdf_of(school.ann, school.ann)
    assert SHARED_FEEDBACK in own
    assert MATHS_FEEDBACK in own
    assert CLASSMATE_FEEDBACK not in own  # a classmate is not a teacher
    assert UNSHARED_FEEDBACK not in own
    tara = pdf_of(school.teacher, school.ann)
    assert SHARED_FEEDBACK in tara  # her own
    assert MATHS_FEEDBACK not in tara  # private between Mo and Ann
    assert CLASSMATE_FEEDBACK not in tara
    head = pdf_of(school.head, school.ann)
    assert SHARED_FEEDBACK not in head  # private feedback: admins included
    assert MATHS_FEEDBACK not in head
    assert "None shared with my family yet" in head


def test_feedback_shared_with_managers_reaches_the_coach_s_copy(school: School) -> None:
    mo = _feedback_from_others(school)
    Feedback.objects.filter(giver=mo).update(share_with_managers=True)
    assert MATHS_FEEDBACK in pdf_of(school.teacher, school.ann)  # Tara coaches Ann


def test_the_family_page_shows_teachers_feedback_shared_with_the_family(school: School) -> None:
    _feedback_from_others(school)
    user = User.objects.create_user("gus@home.example", PASSWORD, name="Gus Guardian")
    guardian = Guardian.objects.create(
        organisation=school.org,
        sourced_id="g1",
        name="Gus Guardian",
        email="gus@home.example",  # the account's: a changed address reads nothing
        user=user,
    )
    GuardianOf.objects.create(organisation=school.org, guardian=guardian, student=school.ann)
    science = Team.objects.get(organisation=school.org, name="Year 9 Science")
    FamilySharing.objects.create(
        organisation=school.org, team=science, goals=True, reflections=True, feedback=True
    )
    view = family_selectors.child_view(user, school.ann.pk)
    bodies = {f.body for f in view.feedback}
    assert bodies == {SHARED_FEEDBACK, MATHS_FEEDBACK}
    assert {g.title for g in view.goals} == {GOAL}  # never a private goal


# ---------------------------------------------------------------- 4 and 6: only what she chose


def test_the_portfolio_holds_only_what_the_student_chose(school: School) -> None:
    goal_services.add_check_in(
        actor=actor(school.teacher), objective_id=school.objective.pk, text=REPLY
    )
    text = pdf_of(school.ann, school.ann)
    assert GOAL in text
    assert "Two more this week" in text  # her own check-in
    assert PRIVATE_GOAL not in text
    assert PRIVATE_NOTE not in text
    # the dated check-ins with her teacher are part of her goal sheet: printed, by name
    assert REPLY in text
    assert "Check-ins with my teacher" in text
    assert TEACHER_CHECKIN_NOTE not in text  # others' notes on her key results stay out
    # her teacher named only as the giver of feedback and the writer of a check-in
    assert "Tara Teacher" not in text.replace("Tara Teacher, ", "").replace(
        "Tara Teacher (teacher)", ""
    )
    assert "goals that are not private" in text  # the paper says what is in it
    # her "Only me" statement: on her own copy, with a note saying so
    assert " ".join(STATEMENT.split()) in text
    assert "only you see this statement" in text


def test_the_purpose_statement_on_each_copy(school: School) -> None:
    statement = Statement.objects.get(person=school.ann)
    statement.visibility = Statement.Visibility.THEMES
    statement.save()
    flat = " ".join(STATEMENT.split())
    own = pdf_of(school.ann, school.ann)
    assert flat in own
    assert "only you see this statement" not in own
    teacher = pdf_of(school.teacher, school.ann)
    assert flat not in teacher  # counted in themes without her name: not on a named paper
    assert "Why I am here" not in teacher
    assert "Not written yet" not in teacher
    statement.visibility = Statement.Visibility.NAMED
    statement.save()
    assert flat in pdf_of(school.teacher, school.ann)
    statement.delete()
    assert "Not written yet: write your purpose statement" in pdf_of(school.ann, school.ann)
    teacher = pdf_of(school.teacher, school.ann)
    assert "Why I am here" not in teacher
    assert "write your purpose statement" not in teacher


def test_the_goals_page_says_what_the_portfolio_holds(school: School) -> None:
    page = signed_in(school.ann).get(reverse("classroom:goals")).content.decode()
    assert "holds only what you chose to show" in page
    assert page.count("private: not in the conference portfolio") == 1  # the private goal
    assert "Private goals and others' notes on key results stay out" in page.replace("&#x27;", "'")


# ---------------------------------------------------------------- 8: no check-in on oneself


def test_a_head_teacher_reads_check_ins_but_writes_none(school: School) -> None:
    own = _objective(school.head, school, "Open the new library", private=False)
    head = actor(school.head)
    assert not can(head, "goals.check_in", school.head)
    assert not can(head, "goals.check_in", school.ann)  # a head teacher reads them
    assert can(head, "goals.view", school.ann)
    client = signed_in(school.head)
    page = client.get(reverse("classroom:goal", args=[own.pk])).content.decode()
    assert "Open the new library" in page
    assert 'name="check_in-text"' not in page
    response = client.post(reverse("classroom:goal", args=[own.pk]), {"check_in-text": "me"})
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        goal_services.add_check_in(actor=head, objective_id=own.pk, text="me")
    # on a student's goal: no form either, and the student's check-ins are shown
    goal_services.add_check_in(
        actor=actor(school.ann), objective_id=school.objective.pk, text="Read two more"
    )
    page = client.get(reverse("classroom:goal", args=[school.objective.pk])).content.decode()
    assert 'name="check_in-text"' not in page
    assert "Read two more" in page


# ---------------------------------------------------------------- 7: the students to follow


def test_a_teacher_follows_the_students_they_coach_reports_included(school: School) -> None:
    dee = _person(school, "Dee Down-the-line", Role.MEMBER)
    dee.manager = school.teacher
    dee.save()
    tara = actor(school.teacher)
    assert can(tara, "goals.view", dee)
    following = selectors.students_to_follow(tara)
    assert [name for _, name in following.students] == ["Ann Archer", "Ben Brook", dee.name]
    assert (following.total, following.more) == (3, 0)
    head = selectors.students_to_follow(actor(school.head))
    assert [name for _, name in head.students] == [
        "Ann Archer",
        "Ben Brook",
        "Cat Cole",
        dee.name,
    ]
    assert selectors.students_to_follow(actor(school.ann)).students == []


@pytest.mark.parametrize(("limit", "shown", "more"), [(2, 2, 2), (4, 4, 0), (5, 4, 0)])
def test_a_long_list_says_how_many_it_leaves_out(
    school: School, limit: int, shown: int, more: int
) -> None:
    _person(school, "Dee Dean", Role.MEMBER)
    following = selectors.students_to_follow(actor(school.head), limit=limit)
    assert (len(following.students), following.total, following.more) == (shown, 4, more)


def test_the_goals_page_says_showing_the_first_n_of_m(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "FOLLOW_LIMIT", 2)
    page = signed_in(school.head).get(reverse("classroom:goals")).content.decode()
    assert "Showing the first 2 of 3" in page
    assert "Cat Cole" not in page


# ---------------------------------------------------------------- 10: numbers as the pages


@pytest.mark.parametrize(
    ("value", "words"),
    # the unit after a no-break space, as the pages write it (l10n.with_unit)
    [(0.125, "0.125\xa0km"), (-0.001, "-0.001\xa0km"), (2.0, "2\xa0km"), (1 / 3, "0.3333\xa0km")],
)
def test_numbers_read_as_on_the_pages(value: float, words: str) -> None:
    assert selectors._number(value, "km") == words
    assert selectors._number(None, "km") == "not checked in yet"


# ---------------------------------------------------------------- the PDF itself


def _goal_page(n: int, words: int) -> portfolio.GoalPage:
    long = " ".join(f"word{n}x{i}" for i in range(words))
    return portfolio.GoalPage(
        kind="Mastery",
        title=f"Goal number {n} " + "very long title " * 8,
        progress=n / 40,
        cycle="Autumn term: 01 Sep to 19 Dec 2026",
        starting_point=long,
        key_results=[portfolio.KeyResultLine(f"Result {n}", "0 pages", "9 pages", "3 pages", 0.3)],
        action_plan="x" * 600,  # one unbroken word wider than the page
        steps=[(f"Step {n}.{i}", i % 2 == 0) for i in range(8)],
        check_ins=[f"0{i} Oct: Result {n}, {i} pages" for i in range(1, 9)],
        celebration=long,
    )


def test_many_very_long_goals_break_across_pages() -> None:
    data = portfolio.render(
        portfolio.Portfolio(
            "Ann Archer",
            "Hillside",
            dt.date(2026, 12, 1),
            "Why",
            goals=[_goal_page(n, 300) for n in range(1, 31)],
        )
    )
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 30
    text = pdf_text(data)
    for n in (1, 15, 30):
        assert f"Goal {n} (Mastery): Goal number {n}" in text
        assert f"word{n}x299" in text
    last = reader.pages[-1].extract_text()
    assert f"page {len(reader.pages)} of {len(reader.pages)}" in last


def test_without_dejavu_the_pdf_falls_back_to_core_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio, "font_files", lambda: None)
    data = portfolio.render(
        portfolio.Portfolio(
            "Zoë Ørsted", "Hillside", dt.date(2026, 12, 1), "I love 漢字 — and Ωmega “quotes”"
        )
    )
    text = pdf_text(data)
    assert "Zoë Ørsted" in text  # Latin-1 kept
    assert 'I love ?? - and ?mega "quotes"' in text  # the rest replaced, no crash
    resources: Any = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]
    fonts = resources.get_object()["/Font"].get_object()
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert names == {"/Helvetica", "/Helvetica-Bold"}


def test_dejavu_comes_from_matplotlibs_wheel_without_importing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setattr(portfolio, "FONT_DIRS", ())
    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)
    found = portfolio.font_files()
    assert found is not None
    assert found[0].name == "DejaVuSans.ttf"
    assert "matplotlib" in str(found[0])
    assert "matplotlib" not in sys.modules  # found on disk, not imported
    text = pdf_text(
        portfolio.render(portfolio.Portfolio("Zoë", "Hillside", dt.date(2026, 12, 1), "Ωmega"))
    )
    assert "Ωmega" in text


def test_no_font_anywhere_is_no_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio, "FONT_DIRS", ())
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert portfolio.font_files() is None
