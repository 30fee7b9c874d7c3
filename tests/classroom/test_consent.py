"""Consent for student pulses (issue 20): a student pulse that touches a PPRA protected area
or a school's own topic cannot open without the school's consent policy satisfied; the
students left out get no invitation and no link works for them — not one they got
earlier, not a class's shared link; only head teachers and the students' own teachers
record consent; families see the questions, and nothing else, through a signed link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ampwork.classroom import consent_services, selectors
from ampwork.classroom.models import ConsentPolicy, Guardian, GuardianOf, PulseConsent
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.pulse import services
from ampwork.pulse.models import Invitation, Question, Round
from tests.pages import text_of

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()
ANXIOUS = "I often feel anxious before tests."


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def hill(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    """The head; 8C taught by Tara with four students (Ann signs in); 8D taught by Dev with
    one student; Ann's guardian Gina."""
    head = make_person(school, Role.ADMIN, name="Hana Head")
    tara = make_person(school, Role.MANAGER, name="Tara Teacher")
    dev = make_person(school, Role.MANAGER, name="Dev Teacher")
    ann = make_person(school, Role.MEMBER, name="Ann")
    eight_c = TeamFactory(organisation=school, name="8C")
    eight_d = TeamFactory(organisation=school, name="8D")
    MembershipFactory(team=eight_c, person=tara, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=eight_d, person=dev, role=TeamMembership.Role.LEAD)
    students = [ann] + [
        PersonFactory(organisation=school, name=name) for name in ("Ben", "Cat", "Dan")
    ]
    for student in students:
        MembershipFactory(team=eight_c, person=student)
    eli = PersonFactory(organisation=school, name="Eli")
    MembershipFactory(team=eight_d, person=eli)
    gina = Guardian.objects.create(organisation=school, sourced_id="g1", name="Gina")
    GuardianOf.objects.create(organisation=school, guardian=gina, student=ann)
    people = {"head": head, "tara": tara, "dev": dev, "ann": ann}
    return {
        **people,
        **{f"{name}_actor": actor_of(person) for name, person in people.items()},
        "students": students,
        "eli": eli,
        "gina": gina,
        "8C": eight_c,
        "8D": eight_d,
        "school": school,
    }


def _round(
    actor: Actor,
    team: Team,
    *,
    areas: tuple[str, ...] = ("mental",),
    mode: str = Round.Mode.INVITED,
    question: str = ANXIOUS,
) -> Round:
    return services.create_round(
        actor=actor,
        name="8C this week",
        opens=TODAY,
        closes=TODAY + dt.timedelta(days=7),
        team_ids=[team.pk],
        mode=mode,
        questions=[(question, False)] if question else [],
        question_areas=[areas] if question else [],
    )


def _policy(org: Organisation, rule: str, topics: str = "") -> None:
    ConsentPolicy.objects.create(organisation=org, rule=rule, topics=topics)


def _invited(round: Round) -> set[int]:
    return set(Invitation.objects.filter(round=round).values_list("person_id", flat=True))


def _record(hill: dict[str, Any], round: Round, student: Person, status: str) -> str:
    return consent_services.record_consent(
        actor=hill["head_actor"], round=round, student_id=student.pk, status=status
    )


# ---------------------------------------------------------------- tags reach the round


def test_an_own_question_keeps_the_areas_its_author_ticked(hill: dict[str, Any]) -> None:
    round = _round(hill["tara_actor"], hill["8C"], areas=("mental", "income"))
    assert Question.objects.get(round=round).areas == "income,mental"
    own = [i for i in services.items_of(round) if i.subscale == "own"]
    assert own[0].areas == {"mental", "income"}
    with pytest.raises(ValidationFailed) as refused:
        _round(hill["tara_actor"], hill["8C"], areas=("worries",))
    assert refused.value.errors[0].field == "question_areas"


# ---------------------------------------------------------------- the policy


def test_no_policy_refuses_to_open_a_sensitive_student_pulse(hill: dict[str, Any]) -> None:
    round = _round(hill["tara_actor"], hill["8C"])
    with pytest.raises(ValidationFailed) as refused:
        services.open_round(actor=hill["tara_actor"], round=round)
    assert refused.value.errors[0].field == "consent"
    assert "no consent policy yet" in refused.value.errors[0].message
    round.refresh_from_db()
    assert round.status == Round.Status.DRAFT
    assert _invited(round) == set()


def test_a_pulse_touching_nothing_opens_without_a_policy(hill: dict[str, Any]) -> None:
    round = _round(hill["tara_actor"], hill["8C"], areas=())
    opened = services.open_round(actor=hill["tara_actor"], round=round)
    assert opened.invited == 5  # Tara and her four students


def test_a_company_pulse_is_not_gated(org: Organisation, admin_actor: Actor) -> None:
    team = TeamFactory(organisation=org)
    for _ in range(3):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    round = _round(admin_actor, team)
    assert services.open_round(actor=admin_actor, round=round).invited == 3


def test_consent_required_invites_exactly_the_students_with_consent(
    hill: dict[str, Any],
) -> None:
    _policy(hill["school"], "consent")
    round = _round(hill["tara_actor"], hill["8C"])
    ann, ben, cat, dan = hill["students"]
    _record(hill, round, ann, "consented")
    _record(hill, round, ben, "consented")
    _record(hill, round, cat, "opted_out")
    services.open_round(actor=hill["tara_actor"], round=round)
    # the teacher is not a student: never gated; Dan (nothing recorded) and Cat are not asked
    assert _invited(round) == {hill["tara"].pk, ann.pk, ben.pk}
    assert dan.pk not in _invited(round)
    assert len(mail.outbox) == 3
    assert not any(dan.email in m.to or cat.email in m.to for m in mail.outbox)


def test_consent_required_with_no_consent_does_not_open(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "consent")
    round = _round(hill["tara_actor"], hill["8C"])
    with pytest.raises(ValidationFailed, match="no student of this pulse has"):
        services.open_round(actor=hill["tara_actor"], round=round)
    _record(hill, round, hill["students"][3], "consented")  # one is enough, for that one
    services.open_round(actor=hill["tara_actor"], round=round)
    assert _invited(round) == {hill["tara"].pk, hill["students"][3].pk}


def test_opt_out_leaves_out_only_the_students_opted_out(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara_actor"], hill["8C"])
    ann, ben, cat, dan = hill["students"]
    _record(hill, round, ben, "opted_out")
    services.open_round(actor=hill["tara_actor"], round=round)
    assert _invited(round) == {hill["tara"].pk, ann.pk, cat.pk, dan.pk}


def test_a_school_topic_gates_an_amp_item_that_mentions_it(hill: dict[str, Any]) -> None:
    """No AMP item touches a protected area, but "I feel I belong in my class" touches a
    school's topic "Belonging"."""
    _policy(hill["school"], "opt_out", "Belonging: belong")
    round = _round(hill["tara_actor"], hill["8C"], question="")
    ben = hill["students"][1]
    _record(hill, round, ben, "opted_out")
    services.open_round(actor=hill["tara_actor"], round=round)
    assert ben.pk not in _invited(round)
    assert len(_invited(round)) == 4
    # without the topic, the same pulse asks everyone
    ConsentPolicy.objects.filter(organisation=hill["school"]).update(topics="")
    again = _round(hill["tara_actor"], hill["8C"], question="")
    _record(hill, again, ben, "opted_out")
    services.open_round(actor=hill["tara_actor"], round=again)
    assert ben.pk in _invited(again)


# ---------------------------------------------------------------- the shared link


def test_a_shared_link_opens_only_when_no_student_is_left_out(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "consent")
    round = _round(hill["tara_actor"], hill["8C"], mode=Round.Mode.UNATTRIBUTED)
    *three, last = hill["students"]
    for student in three:
        _record(hill, round, student, "consented")
    with pytest.raises(ValidationFailed, match="1 student of this class has no consent"):
        services.open_round(actor=hill["tara_actor"], round=round)
    _record(hill, round, last, "consented")
    opened = services.open_round(actor=hill["tara_actor"], round=round)
    assert opened.shared_token
    round.refresh_from_db()
    assert round.audience_size == 5


def test_an_opt_out_after_a_shared_link_opened_renews_the_link(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara_actor"], hill["8C"], mode=Round.Mode.UNATTRIBUTED)
    old = services.open_round(actor=hill["tara_actor"], round=round).shared_token
    assert old
    assert Client().get(f"/pulse/answer/{old}/").status_code == 200
    round.refresh_from_db()
    assert round.audience_size == 5
    assert _record(hill, round, hill["students"][0], "opted_out") == "link_renewed"
    round.refresh_from_db()
    assert round.audience_size == 4  # one answer fewer through the link
    assert AuditEvent.objects.filter(action="pulse.link_renewed", target_id=str(round.pk))
    assert Client().get(f"/pulse/answer/{old}/").status_code == 404
    assert Client().post(f"/pulse/answer/{old}/", {"mast1": "4"}).status_code == 404
    round.refresh_from_db()
    new = services.open_link(round)
    assert new
    assert new != old


# ---------------------------------------------------------------- the attack: an old link


def test_an_opted_out_student_cannot_use_the_link_they_got_earlier(
    hill: dict[str, Any],
) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara_actor"], hill["8C"])
    services.open_round(actor=hill["tara_actor"], round=round)
    ann = hill["ann"]
    (ann_mail,) = [m for m in mail.outbox if ann.email in m.to]
    token = ann_mail.body.split("/pulse/answer/")[1].split("/")[0]
    assert Client().get(f"/pulse/answer/{token}/").status_code == 200  # it worked
    round.refresh_from_db()
    invited = len(_invited(round))
    assert _record(hill, round, ann, "opted_out") == "link_closed"
    # her link is closed, not deleted: the count of people invited does not change, so
    # nobody learns from it whether she had answered
    assert len(_invited(round)) == invited
    assert Invitation.objects.get(round=round, person=ann).used
    # the emailed link, the API and the signed-in page all refuse her now (the link
    # page says it is closed, in the same words as for a link already used)
    page = Client().get(f"/pulse/answer/{token}/")
    assert b"This link is closed" in page.content
    assert b'name="mast1"' not in page.content
    Client().post(f"/pulse/answer/{token}/", {"mast1": "4"})
    answered = Client().post(
        f"/api/v1/pulse/rounds/{round.pk}/responses",
        {"token": token, "answers": {"mast1": 4}},
        content_type="application/json",
    )
    assert answered.status_code in (404, 409, 422)  # refused, whichever way
    client = Client()
    assert ann.user is not None
    client.force_login(ann.user)
    signed_in = client.get(f"/pulse/rounds/{round.pk}/answer/")
    assert b'name="mast1"' not in signed_in.content  # no form: closed, as a used link
    client.post(f"/pulse/rounds/{round.pk}/answer/", {"mast1": "4"})
    assert services.answer_count(round) == 0
    # the others' links still work
    others = [m for m in mail.outbox if ann.email not in m.to]
    other = others[0].body.split("/pulse/answer/")[1].split("/")[0]
    assert Client().get(f"/pulse/answer/{other}/").status_code == 200


def test_an_opt_out_after_answering_keeps_the_anonymous_answer(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara_actor"], hill["8C"])
    services.open_round(actor=hill["tara_actor"], round=round)
    ann = hill["ann"]
    (ann_mail,) = [m for m in mail.outbox if ann.email in m.to]
    token = ann_mail.body.split("/pulse/answer/")[1].split("/")[0]
    found, invitation = services.find_invitation(token)
    services.answer(round=found, invitation=invitation, answers={"mast1": 4})
    round.refresh_from_db()
    invited = len(_invited(round))
    # the same answer as for a student who had not answered (the attack: a teacher
    # records an opt-out to find out whether a student answered — and learns nothing)
    assert _record(hill, round, ann, "opted_out") == "link_closed"
    assert services.answer_count(round) == 1
    assert len(_invited(round)) == invited


# ---------------------------------------------------------------- who records consent


def test_a_teacher_records_consent_for_their_own_students_only(hill: dict[str, Any]) -> None:
    round = _round(hill["tara_actor"], hill["8C"])
    ann = hill["ann"]
    consent_services.record_consent(
        actor=hill["tara_actor"],
        round=round,
        student_id=ann.pk,
        status="consented",
        guardian_id=hill["gina"].pk,
    )
    saved = PulseConsent.objects.get(round_id=round.pk, student=ann)
    assert (saved.status, saved.guardian, saved.recorded_by) == (
        "consented",
        hill["gina"],
        hill["tara"],
    )
    # Dev teaches 8D, not Ann's class: refused, and nothing changes
    with pytest.raises(NotAllowed):
        consent_services.record_consent(
            actor=hill["dev_actor"], round=round, student_id=ann.pk, status="opted_out"
        )
    with pytest.raises(NotAllowed):  # nor may a student
        consent_services.record_consent(
            actor=hill["ann_actor"], round=round, student_id=ann.pk, status="consented"
        )
    assert PulseConsent.objects.get(round_id=round.pk, student=ann).status == "consented"


def test_a_teacher_of_another_class_is_refused_on_the_web(hill: dict[str, Any]) -> None:
    round = _round(hill["tara_actor"], hill["8C"])
    client = Client()
    assert hill["dev"].user is not None
    client.force_login(hill["dev"].user)
    url = f"/classroom/consent/rounds/{round.pk}/"
    assert client.get(url).status_code == 403
    posted = client.post(url, {"student": hill["ann"].pk, "status": "opted_out"})
    assert posted.status_code == 403
    assert not PulseConsent.objects.exists()


@pytest.mark.parametrize(
    ("who", "field"),
    [("eli", "student"), ("tara", "student")],  # another class's student; not a student
)
def test_only_the_round_s_students_get_a_record(hill: dict[str, Any], who: str, field: str) -> None:
    round = _round(hill["tara_actor"], hill["8C"])
    with pytest.raises(ValidationFailed) as refused:
        _record(hill, round, hill[who], "consented")
    assert refused.value.errors[0].field == field


def test_a_guardian_of_another_student_is_refused(hill: dict[str, Any]) -> None:
    round = _round(hill["tara_actor"], hill["8C"])
    with pytest.raises(ValidationFailed) as refused:
        consent_services.record_consent(
            actor=hill["head_actor"],
            round=round,
            student_id=hill["students"][1].pk,
            status="consented",
            guardian_id=hill["gina"].pk,
        )
    assert refused.value.errors[0].field == "guardian"


def test_a_closed_pulse_takes_no_record(hill: dict[str, Any]) -> None:
    round = _round(hill["tara_actor"], hill["8C"], areas=())
    services.open_round(actor=hill["tara_actor"], round=round)
    services.close_round(actor=hill["tara_actor"], round=round)
    with pytest.raises(ValidationFailed, match="closed"):
        _record(hill, round, hill["ann"], "consented")


# ---------------------------------------------------------------- the pages


def test_the_head_sets_the_policy_and_teachers_may_not(hill: dict[str, Any]) -> None:
    client = Client()
    assert hill["head"].user is not None
    assert hill["tara"].user is not None
    client.force_login(hill["head"].user)
    assert "No policy yet" in client.get("/classroom/consent/").content.decode()
    bad = client.post("/classroom/consent/", {"rule": "consent", "topics": "Bullying:"})
    assert bad.status_code == 400
    assert "line 1: write a topic" in bad.content.decode()
    assert not ConsentPolicy.objects.exists()
    ok = client.post("/classroom/consent/", {"rule": "opt_out", "topics": "Bullying: bully"})
    assert ok.status_code == 302
    policy = selectors.policy_of(hill["school"])
    assert (policy.rule, policy.topics[0].name, policy.set_by) == (
        "opt_out",
        "Bullying",
        "Hana Head",
    )
    client.force_login(hill["tara"].user)
    assert client.get("/classroom/consent/").status_code == 403
    assert client.post("/classroom/consent/", {"rule": "consent"}).status_code == 403
    assert selectors.policy_of(hill["school"]).rule == "opt_out"


def test_the_round_page_records_consent_and_shows_the_families_link(
    hill: dict[str, Any],
) -> None:
    round = _round(hill["tara_actor"], hill["8C"])
    client = Client()
    assert hill["tara"].user is not None
    client.force_login(hill["tara"].user)
    url = f"/classroom/consent/rounds/{round.pk}/"
    page = text_of(client.get(url))
    assert "no consent policy yet" in page
    assert ANXIOUS in page
    assert all(s.name in page for s in hill["students"])
    assert "Eli" not in page
    posted = client.post(
        url, {"student": hill["ann"].pk, "status": "consented", "guardian": hill["gina"].pk}
    )
    assert posted.status_code == 302
    assert PulseConsent.objects.get(student=hill["ann"]).guardian == hill["gina"]
    assert "/classroom/families/" in page


def test_the_families_page_shows_only_the_questions(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "consent")
    round = _round(hill["tara_actor"], hill["8C"])
    _record(hill, round, hill["ann"], "consented")
    services.open_round(actor=hill["tara_actor"], round=round)
    token = consent_services.families_token(round)
    page = Client().get(f"/classroom/families/{token}/")  # no sign-in
    assert page.status_code == 200
    text = page.content.decode()
    assert ANXIOUS in text
    assert "Mental or psychological problems" in text
    assert "I feel I belong in my class." in text  # the school wording of the AMP items
    assert "written consent" in text
    for secret in ("Ann", "Ben", "Hana", "response", "invited", "/pulse/answer/"):
        assert secret not in text, secret
    assert page["X-Robots-Tag"] == "noindex"
    # a changed or forged link works not
    assert Client().get(f"/classroom/families/{token[:-2]}xx/").status_code == 404
    assert Client().get("/classroom/families/not-a-token/").status_code == 404


def test_a_families_link_of_a_company_round_does_not_work(
    org: Organisation, admin_actor: Actor
) -> None:
    round = _round(admin_actor, TeamFactory(organisation=org))
    token = consent_services.families_token(round)
    assert Client().get(f"/classroom/families/{token}/").status_code == 404


def test_consent_recorded_after_opening_invites_nobody(hill: dict[str, Any]) -> None:
    """Who a round asks is fixed when it opens (DESIGN.md): a late consent is kept, and
    the page says the student is not invited now."""
    _policy(hill["school"], "consent")
    round = _round(hill["tara_actor"], hill["8C"])
    ann, ben, *_ = hill["students"]
    _record(hill, round, ann, "consented")
    services.open_round(actor=hill["tara_actor"], round=round)
    round.refresh_from_db()
    assert _record(hill, round, ben, "consented") == "recorded_late"
    assert ben.pk not in _invited(round)
    # withdrawing consent once open is an opt-out: Ann's link goes
    assert _record(hill, round, ann, "opted_out") == "link_closed"
    assert Invitation.objects.get(round=round, person=ann).used


# ---------------------------------------------------------------- found in review


def test_a_student_who_moved_class_after_opening_can_still_be_opted_out(
    hill: dict[str, Any],
) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara_actor"], hill["8C"])
    services.open_round(actor=hill["tara_actor"], round=round)
    round.refresh_from_db()
    ben = hill["students"][1]
    TeamMembership.objects.filter(team=hill["8C"], person=ben).update(team=hill["8D"])
    assert ben.pk in consent_services.round_students(round)  # invited at opening
    assert _record(hill, round, ben, "opted_out") == "link_closed"
    assert Invitation.objects.get(round=round, person=ben).used


def test_an_id_too_large_for_the_database_is_a_message_not_a_crash(
    hill: dict[str, Any], client: Client
) -> None:
    round = _round(hill["tara_actor"], hill["8C"])
    ann = hill["ann"]
    for bad in (10**25, 2**31):
        with pytest.raises(ValidationFailed):
            consent_services.record_consent(
                actor=hill["head_actor"], round=round, student_id=bad, status="consented"
            )
        with pytest.raises(ValidationFailed):
            consent_services.record_consent(
                actor=hill["head_actor"],
                round=round,
                student_id=ann.pk,
                status="consented",
                guardian_id=bad,
            )
    assert hill["head"].user is not None
    client.force_login(hill["head"].user)
    answer = client.post(
        f"/classroom/consent/rounds/{round.pk}/?org={hill['school'].slug}",
        {"student": ann.pk, "status": "consented", "guardian": 10**25},
    )
    assert answer.status_code < 500
    assert not PulseConsent.objects.exists()


def test_a_teacher_of_a_parent_team_sees_only_the_students_they_teach(
    hill: dict[str, Any], make_person: Callable[..., Person], actor_of: Any
) -> None:
    year = TeamFactory(organisation=hill["school"], name="Year 8")
    Team.objects.filter(pk__in=[hill["8C"].pk, hill["8D"].pk]).update(parent=year)
    lead = make_person(hill["school"], Role.MANAGER, name="Yara Year")
    MembershipFactory(team=year, person=lead, role=TeamMembership.Role.LEAD)
    round = _round(actor_of(lead), year)
    assert consent_services.round_students(round)  # the round asks 8C's and 8D's students
    assert consent_services.students_for(actor_of(lead), round) == set()
    assert consent_services.students_for(hill["tara_actor"], round) == {
        s.pk for s in hill["students"]
    }
    assert consent_services.students_for(hill["head_actor"], round) == (
        consent_services.round_students(round)
    )


def test_a_school_topic_in_the_closing_questions_gates_the_pulse(hill: dict[str, Any]) -> None:
    """Every student pulse ends with the recommend and comment questions: a topic whose
    words they use touches every pulse."""
    _policy(hill["school"], "consent", topics="Recommending: recommend")
    round = _round(hill["tara_actor"], hill["8C"], areas=(), question="")
    with pytest.raises(ValidationFailed, match="no student of this pulse has"):
        services.open_round(actor=hill["tara_actor"], round=round)
