"""Students' goals in the worksheet's shape and the conference portfolio (issue 20): who may
read and write them, their order, and the PDF's text read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from ampwork.classroom import goal_services, portfolio, selectors, services
from ampwork.classroom.models import Goal, GoalCheckIn
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor, can
from ampwork.okrs.models import Cycle, Objective

from .goals import (
    GOAL,
    PRIVATE_GOAL,
    SHARED_FEEDBACK,
    SHARED_WINS,
    STATEMENT,
    TEACHER_CHECKIN_NOTE,
    UNSHARED_FEEDBACK,
    UNSHARED_WINS,
    School,
    make_school,
)

pytestmark = pytest.mark.django_db


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
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def download(person: Person, student: Person, paper: str = "") -> tuple[int, bytes, str]:
    url = reverse("classroom:conference", args=[student.pk]) + (f"?paper={paper}" if paper else "")
    response = signed_in(person).get(url)
    return response.status_code, response.content, response.get("Content-Type", "")


# ---------------------------------------------------------------- the portfolio PDF


def test_the_portfolio_holds_the_purpose_goals_and_only_what_was_shared(school: School) -> None:
    services.save_goal(
        actor=actor(school.ann),
        objective_id=school.objective.pk,
        kind="mastery",
        starting_point="I read two books last term",
        action_plan="Read twenty minutes every evening",
        celebration="I read more than ever before",
    )
    status, data, kind = download(school.ann, school.ann)
    assert (status, kind) == (200, "application/pdf")
    text = flat(pdf_text(data))
    assert flat(STATEMENT) in text  # Unicode (an em dash, a Greek capital) kept
    assert GOAL in text
    assert "50% of the way there" in text  # (6 - 2) / (10 - 2)
    assert "started at 2 books" in text
    assert "reach 10 books" in text
    assert "I read two books last term" in text
    assert "Read twenty minutes every evening" in text
    assert "Join the library (done)" in text
    assert "Two more this week" in text  # her own check-in
    assert TEACHER_CHECKIN_NOTE not in text  # the teacher's check-in note: not hers to print
    assert "Tara Teacher)" not in text
    assert "I read more than ever before" in text
    assert SHARED_WINS in text
    assert SHARED_FEEDBACK in text
    assert UNSHARED_WINS not in text
    assert UNSHARED_FEEDBACK not in text


def test_a_teacher_downloads_it_without_a_statement_kept_private(school: School) -> None:
    status, data, _ = download(school.teacher, school.ann)
    assert status == 200
    text = flat(pdf_text(data))
    assert GOAL in text
    assert SHARED_FEEDBACK in text
    assert flat(STATEMENT) not in text  # "only me": it reaches nobody but its author
    # and the paper does not claim it is unwritten: the section is left out
    assert "Not written yet" not in text
    assert "Why I am here" not in text


def test_another_student_cannot_download_it_by_changing_the_id(school: School) -> None:
    for stranger in (school.ben, school.cat):  # same class, another class
        status, data, _ = download(stranger, school.ann)
        assert status == 403
        assert GOAL.encode() not in data
    # a teacher of another class neither: Cat's portfolio is not Tara's to read
    assert download(school.teacher, school.cat)[0] == 403
    assert download(school.head, school.ann)[0] == 200
    # nor any id outside the school
    assert download(school.ann, Person(pk=999_999))[0] == 404


def test_a_student_with_nothing_yet_gets_what_to_do_next(school: School) -> None:
    status, data, kind = download(school.ben, school.ben)
    assert (status, kind) == (200, "application/pdf")
    text = flat(pdf_text(data))
    assert "Nothing here yet" in text
    assert "Write why you are here" in text
    assert "Set a goal with your teacher" in text


@pytest.mark.parametrize(("paper", "size"), [("", (595, 842)), ("letter", (612, 792))])
def test_a4_and_letter(school: School, paper: str, size: tuple[int, int]) -> None:
    status, data, _ = download(school.ann, school.ann, paper)
    assert status == 200
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_text_people_wrote_renders_safely_whatever_it_holds() -> None:
    odd = "Ünïcödé 漢字 مرحبا \x00\x07 tab\there 😀 \u202e reversed"
    data = portfolio.render(
        portfolio.Portfolio("Zoë Ørsted", "Hillside", dt.date(2026, 12, 1), odd)
    )
    text = pdf_text(data)
    assert "Zoë Ørsted" in text
    assert "Ünïcödé" in text
    assert "\x00" not in text
    assert "\u202e" not in text


def test_progress_reads_without_colour() -> None:
    """The bar's meaning is in its words too: the percentage, rounded as the pages do."""
    assert [portfolio.percent(v) for v in (0, 0.004, 0.005, 0.994, 1, 1.5, -1)] == [
        "0%",
        "0%",
        "0%",  # banker's rounding, as the pages' pct filter
        "99%",
        "100%",
        "100%",
        "0%",
    ]


# ---------------------------------------------------------------- the goal sheet


def test_a_student_writes_their_own_goal_sheet_and_nobody_else_does(school: School) -> None:
    goal = services.save_goal(
        actor=actor(school.ann),
        objective_id=school.objective.pk,
        kind="purpose",
        starting_point="Two books",
        action_plan="Library on Fridays",
        celebration="",
    )
    assert (goal.student_id, goal.kind, goal.action_plan) == (
        school.ann.pk,
        "purpose",
        "Library on Fridays",
    )
    for other in (school.ben, school.cat, school.teacher, school.head):
        with pytest.raises(NotAllowed):
            services.save_goal(
                actor=actor(other),
                objective_id=school.objective.pk,
                kind="mastery",
                starting_point="changed",
                action_plan="",
                celebration="",
            )
    assert Goal.objects.get().starting_point == "Two books"


def test_a_goal_sheet_refuses_an_unknown_kind_and_too_long_text(school: School) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.save_goal(
            actor=actor(school.ann),
            objective_id=school.objective.pk,
            kind="money",
            starting_point="",
            action_plan="",
            celebration="",
        )
    assert caught.value.errors[0].field == "kind"
    services.save_goal(
        actor=actor(school.ann),
        objective_id=school.objective.pk,
        kind="mastery",
        starting_point="x" * 2000,
        action_plan="",
        celebration="",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.save_goal(
            actor=actor(school.ann),
            objective_id=school.objective.pk,
            kind="mastery",
            starting_point="y" * 2001,
            action_plan="",
            celebration="",
        )
    assert caught.value.errors[0].field == "starting_point"
    assert Goal.objects.get().starting_point == "x" * 2000


def test_the_teacher_of_the_class_checks_in_and_another_student_cannot(school: School) -> None:
    entry = goal_services.add_check_in(
        actor=actor(school.teacher), objective_id=school.objective.pk, text="Great plan"
    )
    assert (entry.text, entry.author_id, entry.by) == ("Great plan", school.teacher.pk, "teacher")
    with pytest.raises(NotAllowed):
        goal_services.add_check_in(
            actor=actor(school.ben), objective_id=school.objective.pk, text="x"
        )
    assert GoalCheckIn.objects.count() == 1


def test_the_rules(school: School) -> None:
    assert can(actor(school.ann), "goals.view", school.ann)
    assert can(actor(school.teacher), "goals.view", school.ann)
    assert can(actor(school.head), "goals.view", school.cat)
    assert not can(actor(school.ben), "goals.view", school.ann)
    assert not can(actor(school.teacher), "goals.view", school.cat)
    assert can(actor(school.ann), "goals.write", school.ann)
    assert not can(actor(school.teacher), "goals.write", school.ann)
    assert not can(actor(school.head), "goals.write", school.ann)


def test_goals_are_for_schools() -> None:
    company = Organisation.objects.create(name="Acme", slug="acme-goals")
    person = Person.objects.create(organisation=company, name="Pat", email="pat@acme.example")
    objective = Objective.objects.create(
        organisation=company,
        cycle=Cycle.objects.create(
            organisation=company, name="Q1", start="2026-01-01", end="2026-03-31"
        ),
        owner_kind="person",
        owner_person=person,
        author=person,
        title="Ship it",
    )
    with pytest.raises(NotFound):
        services.save_goal(
            actor=actor(person),
            objective_id=objective.pk,
            kind="mastery",
            starting_point="",
            action_plan="",
            celebration="",
        )


def test_another_schools_objective_is_not_found(school: School) -> None:
    other = make_school("elsewhere-goals")
    with pytest.raises(NotFound):
        services.save_goal(
            actor=actor(school.ann),
            objective_id=other.objective.pk,
            kind="mastery",
            starting_point="",
            action_plan="",
            celebration="",
        )


def _objective(school: School, title: str) -> Objective:
    return Objective.objects.create(
        organisation=school.org,
        cycle=school.cycle,
        owner_kind="person",
        owner_person=school.ann,
        author=school.ann,
        title=title,
    )


def test_goals_are_ordered_purpose_mastery_autonomy_unless_the_school_says_not(
    school: School,
) -> None:
    autonomy, purpose = _objective(school, "Plan my own project"), _objective(school, "Know why")
    for objective, kind in ((autonomy, "autonomy"), (purpose, "purpose")):
        services.save_goal(
            actor=actor(school.ann),
            objective_id=objective.pk,
            kind=kind,
            starting_point="",
            action_plan="",
            celebration="",
        )
    ann = actor(school.ann)
    titles = [v.goal.title for v in selectors.student_goals(ann, school.ann.pk)]
    # no sheet yet: mastery
    assert titles == ["Know why", GOAL, PRIVATE_GOAL, "Plan my own project"]
    with pytest.raises(NotAllowed):
        services.set_goal_order(actor=actor(school.teacher), order_by_kind=False)
    services.set_goal_order(actor=actor(school.head), order_by_kind=False)
    titles = [v.goal.title for v in selectors.student_goals(ann, school.ann.pk)]
    assert titles == [GOAL, PRIVATE_GOAL, "Plan my own project", "Know why"]  # as written


def test_the_celebration_is_asked_for_at_the_end_of_the_cycle(school: School) -> None:
    end = school.cycle.end
    for today, asks in (
        (end - dt.timedelta(days=15), False),
        (end - dt.timedelta(days=14), True),
        (end - dt.timedelta(days=13), True),
    ):
        [view] = selectors.student_goals(
            actor(school.ann), school.ann.pk, [school.objective.pk], today=today
        )
        assert view.celebrate is asks, today


def test_the_goals_page_reads_in_a_fixed_number_of_queries(school: School) -> None:
    for n in range(5):
        _objective(school, f"Goal {n}")

    for reader in (school.ann, school.teacher, school.head):
        with CaptureQueriesContext(connection) as few:
            selectors.student_goals(actor(reader), school.ann.pk)
        for n in range(5, 15):
            _objective(school, f"Goal {n} {reader.pk}")
        with CaptureQueriesContext(connection) as many:
            selectors.student_goals(actor(reader), school.ann.pk)
        assert len(few) == len(many) <= 9, reader


def test_pages(school: School) -> None:
    ann = signed_in(school.ann)
    page = ann.get(reverse("classroom:goals")).content.decode()
    assert GOAL in page
    assert "Where I am now" in page
    assert "My action plan" in page
    assert "Download my conference portfolio" in page
    response = ann.post(
        reverse("classroom:goal", args=[school.objective.pk]),
        {
            "kind": "mastery",
            "starting_point": "Two books",
            "action_plan": "Fridays",
            "celebration": "",
        },
    )
    assert response.status_code == 302
    assert Goal.objects.get().action_plan == "Fridays"
    # Ben posts to Ann's goal: refused, nothing changed
    response = signed_in(school.ben).post(
        reverse("classroom:goal", args=[school.objective.pk]),
        {"kind": "mastery", "starting_point": "hacked", "action_plan": "", "celebration": ""},
    )
    assert response.status_code == 403
    assert Goal.objects.get().starting_point == "Two books"
    # the teacher sees their students and replies
    tara = signed_in(school.teacher)
    page = tara.get(reverse("classroom:goals")).content.decode()
    assert "Ann Archer" in page
    assert "Ben Brook" in page
    assert "Cat Cole" not in page
    response = tara.post(
        reverse("classroom:goal", args=[school.objective.pk]), {"check_in-text": "Well planned"}
    )
    assert response.status_code == 302
    page = ann.get(reverse("classroom:goal", args=[school.objective.pk])).content.decode()
    assert "Well planned" in page
    assert "Tara Teacher (teacher)" in page
