"""The skills page in a school's words (issue 21): the school grows the skills and a
student's teachers add their view; a company's page keeps its words."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role, Team
from ampwork.core.permissions import Actor
from ampwork.mastery import services
from ampwork.mastery.models import Review
from ampwork.mastery.selectors import week_of
from tests.factories import MembershipFactory, TeamFactory
from tests.pages import main_of, page_as

pytestmark = pytest.mark.django_db

COMPANY_WORDS = re.compile(r"\bmanagers?\b|organisation|compan", re.I)


def _rated(
    where: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> Person:
    """A person with their own rating and their lead's view of one skill."""
    lead = make_person(where, Role.MANAGER)
    person = make_person(where, manager=lead)
    team = TeamFactory(organisation=where)
    MembershipFactory(team=team, person=lead, role="lead")
    MembershipFactory(team=team, person=person)
    admin = make_person(where, Role.ADMIN)
    skill = services.create_skill(
        actor=actor_of(admin), name="Writing", levels=[f"level {n}" for n in range(1, 6)]
    )
    services.rate_skill(actor=actor_of(person), skill=skill, person=person, level=2)
    services.rate_skill(actor=actor_of(lead), skill=skill, person=person, level=3)
    return person


def _page(client: Client, person: Person, **headers: str) -> str:
    assert person.user is not None
    client.force_login(person.user)
    response = client.get("/mastery/skills/", **headers)
    assert response.status_code == 200
    html = response.content.decode()
    main = re.search(r"<h1>.*?</section>", html, re.S)  # the intro and the first skill
    assert main is not None
    return main.group()


def test_a_schools_skills_page_speaks_of_the_school_and_teachers(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    student = _rated(school, make_person, actor_of)
    html = _page(client, student)
    assert "The skills this school grows" in html
    assert "Your teachers add their view beside yours" in html
    assert "teacher: level 3" in html
    assert not COMPANY_WORDS.search(html), COMPANY_WORDS.findall(html)
    for language, word, company in (
        ("de", "Lehrkräfte", "Führungskräfte"),
        ("fr", "enseignant·es", "managers"),
        ("es", "docentes", "responsables"),
    ):
        translated = _page(client, student, HTTP_ACCEPT_LANGUAGE=language)
        assert word in translated, language
        assert company not in translated, language


def test_a_companys_skills_page_keeps_its_words(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    html = _page(client, _rated(org, make_person, actor_of))
    assert "The skills this organisation grows" in html
    assert "Managers add their view beside yours" in html
    assert "manager: level 3" in html
    assert "teacher" not in html.lower()


FEEDBACK_COMPANY_WORDS = re.compile(r"\bmanagers?\b|\breports\b|\bcolleagues\b", re.I)


def _feedback_page(client: Client, person: Person, **headers: str) -> str:
    html = page_as(client, person, "/mastery/feedback/", **headers)
    found = re.search(r"<h1>.*</section>", html, re.S)
    assert found is not None
    # the people pickers name colleagues in both kinds of organisation: not ours here
    return re.sub(r"<option value=\"\">[^<]*</option>", "", found.group())


def _shared_feedback(
    where: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Person]:
    """A student (member) and their teacher (manager) under a head teacher (admin); a
    colleague sends each of them feedback, shared up the line."""
    head = make_person(where, Role.ADMIN)
    teacher = make_person(where, Role.MANAGER, manager=head)
    student = make_person(where, manager=teacher)
    giver = make_person(where, Role.MANAGER)
    for receiver in (student, teacher):
        services.give_feedback(
            actor=actor_of(giver), receiver_id=receiver.pk, body="Clear", share_with_managers=True
        )
    return {"head": head, "teacher": teacher, "student": student, "giver": giver}


def test_a_schools_feedback_page_names_teachers_and_head_teachers(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    c = _shared_feedback(school, make_person, actor_of)
    student = _feedback_page(client, c["student"])
    assert "share it with their teachers (for a teacher, the head teachers)" in student
    assert "shared with your teachers" in student
    assert not FEEDBACK_COMPANY_WORDS.search(student), FEEDBACK_COMPANY_WORDS.findall(student)
    teacher = _feedback_page(client, c["teacher"])
    assert "shared with your head teachers" in teacher  # what the teacher received
    assert "Shared with you as their teacher or head teacher" in teacher  # the student's
    assert not FEEDBACK_COMPANY_WORDS.search(teacher), FEEDBACK_COMPANY_WORDS.findall(teacher)
    giver = _feedback_page(client, c["giver"])
    assert "shared with their teachers" in giver
    assert "shared with their head teachers" in giver
    assert not FEEDBACK_COMPANY_WORDS.search(giver), FEEDBACK_COMPANY_WORDS.findall(giver)
    for language, word, company in (
        ("de", "mit deinen Lehrkräften geteilt", "Führungskräfte"),
        ("fr", "partagé avec vos enseignant·es", "managers"),
        ("es", "compartido con tus docentes", "responsables"),
    ):
        translated = _feedback_page(client, c["student"], HTTP_ACCEPT_LANGUAGE=language)
        assert word in translated, language
        assert not re.search(rf"\b{company}", translated), language  # not share_with_managers


def test_a_companys_feedback_page_keeps_its_words(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    c = _shared_feedback(org, make_person, actor_of)
    member = _feedback_page(client, c["student"])
    assert "share it with their managers." in member
    assert "shared with your managers" in member
    lead = _feedback_page(client, c["teacher"])
    assert "Shared with you as a manager" in lead
    assert "shared with their managers" in _feedback_page(client, c["giver"])
    assert "teacher" not in member.lower() + lead.lower()


def test_a_schools_empty_skills_page_names_the_head_teachers(
    school: Organisation, org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    for where, said, not_said in (
        (school, "A head teacher or a teacher names them.", "admin"),
        (org, "An admin names them.", "teacher"),
    ):
        person = make_person(where)
        assert person.user is not None
        client.force_login(person.user)
        html = client.get("/mastery/skills/").content.decode()
        empty = re.search(r'<div class="card empty">.*?</div>', html, re.S)
        assert empty is not None
        assert said in empty.group()
        assert not_said not in empty.group().lower()


@pytest.mark.parametrize(
    ("role", "reader"), [(Role.MEMBER, "Your teacher"), (Role.MANAGER, "Your head teacher")]
)
def test_a_saved_reflection_says_who_reads_it_in_a_school(
    school: Organisation,
    make_person: Callable[..., Person],
    client: Client,
    role: str,
    reader: str,
) -> None:
    person = make_person(school, role, manager=make_person(school, Role.ADMIN))
    assert person.user is not None
    client.force_login(person.user)
    html = client.post("/mastery/review/", {"wins": "a win"}, follow=True).content.decode()
    assert f"Reflection saved. {reader} will see it on" in html
    assert "team page" not in html
    assert not re.search(r"\bmanager\b|\bReview saved", html), html


def test_a_saved_review_keeps_the_companys_words(
    org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    person = make_person(org)
    assert person.user is not None
    client.force_login(person.user)
    html = client.post("/mastery/review/", {"wins": "a win"}, follow=True).content.decode()
    assert "Review saved. Your manager will see it on their team page." in html


def _main_of(client: Client, person: Person, url: str, **headers: str) -> str:
    return main_of(page_as(client, person, url, **headers))


def test_a_schools_reflection_team_and_matrix_pages_name_teachers(
    school: Organisation,
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    for where in (school, org):
        student = _rated(where, make_person, actor_of)
        lead = student.manager
        assert lead is not None
        team = Team.objects.get(organisation=where)
        review = Review.objects.create(
            organisation=where, person=student, week=week_of(timezone.localdate()), wins="w"
        )
        own = _main_of(client, student, f"/mastery/reviews/{review.pk}/")
        led = _main_of(client, lead, f"/mastery/teams/{team.pk}/")
        matrix = _main_of(client, lead, f"/mastery/teams/{team.pk}/skills/")
        if where == school:
            assert "Seen by you, your teachers and the head teachers only." in own
            assert "Weekly reflections" in led
            assert ": reflections" in matrix
            assert "a teacher's view" in matrix
            for html in (own, led, matrix):
                text = re.sub(r"<[^>]*>", " ", html)  # the words shown, not URLs or classes
                assert not re.search(r"\bmanagers?\b|\badmins?\b|\breviews?\b", text), text
            german = _main_of(
                client, student, f"/mastery/reviews/{review.pk}/", HTTP_ACCEPT_LANGUAGE="de"
            )
            assert "deine Lehrkräfte und die Schulleitung" in german
        else:
            assert "Seen by you, your managers and admins only." in own
            assert "Weekly reviews" in led
            assert ": reviews" in matrix
            assert "a manager's view" in matrix


def test_a_teachers_reflection_names_everyone_who_may_read_it(
    school: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    """A teacher's reflection in a school: the head teachers read it, and so do the
    colleagues who lead the teacher (up the line or in one of their teams) — the page says
    so, and the colleague who leads the teacher's team can indeed open it."""
    head_of_year = make_person(school, Role.MANAGER)
    teacher = make_person(school, Role.MANAGER)
    team = TeamFactory(organisation=school)
    MembershipFactory(team=team, person=head_of_year, role="lead")
    MembershipFactory(team=team, person=teacher)
    review = Review.objects.create(
        organisation=school, person=teacher, week=week_of(timezone.localdate()), wins="w"
    )
    url = f"/mastery/reviews/{review.pk}/"
    own = _main_of(client, teacher, url)
    assert "Seen by you, the colleagues who lead you" in own
    assert "and the head teachers only." in own
    # the claim is true: the colleague who leads the teacher's team reads it
    assert head_of_year.user is not None
    client.force_login(head_of_year.user)
    assert client.get(url).status_code == 200
    theirs = _main_of(client, head_of_year, url)
    assert "the colleagues who lead them and the head teachers only." in theirs


def test_a_teachers_skills_page_names_their_head_teacher(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    """A teacher's own ratings sit beside their head teacher's, not their teachers'."""
    head = make_person(school, Role.ADMIN)
    teacher = make_person(school, Role.MANAGER, manager=head)
    skill = services.create_skill(
        actor=actor_of(head), name="Questioning", levels=[f"level {n}" for n in range(1, 6)]
    )
    services.rate_skill(actor=actor_of(teacher), skill=skill, person=teacher, level=2)
    services.rate_skill(actor=actor_of(head), skill=skill, person=teacher, level=3)
    html = _page(client, teacher)
    assert "Your head teacher adds their view beside yours" in html
    assert "head teacher: level 3" in html
    assert "Your teachers add their view" not in html
    assert "Teachers add their view beside their students" in _page(client, head)


def test_the_skills_chart_names_who_rated_beside_the_person() -> None:
    from ampwork.mastery import charts
    from ampwork.mastery.models import Skill
    from ampwork.mastery.selectors import SkillHistory

    day = timezone.localdate()
    history = SkillHistory(Skill(name="Writing"), own=[(day, 2)], managers=[(day, 3)])
    assert "Writing (manager)" in charts.skills([history])
    student = charts.skills([history], rater="teacher")
    assert "Writing (teacher)" in student
    assert "as rated by the student and by their teachers" in student
    assert "manager" not in student
    teacher = charts.skills([history], rater="head teacher")
    assert "Writing (head teacher)" in teacher
    assert "manager" not in teacher
