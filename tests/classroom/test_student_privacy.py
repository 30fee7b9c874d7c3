"""High-privacy defaults for students (issue 20): in a school a student's purpose statement
is private unless they share it, and the public recognition feed shows students nothing
until a teacher opts their class in, or a head teacher the whole school."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.classroom import privacy_selectors, privacy_services
from ampwork.classroom.models import SchoolPrivacy
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Organisation, Person, Role, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.mastery import selectors as mastery_selectors
from ampwork.mastery import services as mastery_services
from ampwork.mastery.models import Recognition
from ampwork.purpose import services as purpose_services
from ampwork.purpose.models import Statement

from ..factories import MembershipFactory, TeamFactory
from ..pages import text_of


@pytest.fixture
def hill(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    head = make_person(school, Role.ADMIN, name="Hana Head")
    tara = make_person(school, Role.MANAGER, name="Tara Teacher")
    ann = make_person(school, Role.MEMBER, name="Ann")
    eli = make_person(school, Role.MEMBER, name="Eli")
    eight_c = TeamFactory(organisation=school, name="8C")
    eight_d = TeamFactory(organisation=school, name="8D")
    MembershipFactory(team=eight_c, person=tara, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=eight_c, person=ann)
    MembershipFactory(team=eight_d, person=eli)
    people = {"head": head, "tara": tara, "ann": ann, "eli": eli}
    mastery_services.recognise(
        actor=actor_of(tara), recipient_ids=[ann.pk], body="Now that you tidied the lab…"
    )
    return {
        **people,
        **{f"{k}_actor": actor_of(p) for k, p in people.items()},
        "8C": eight_c,
        "8D": eight_d,
        "school": school,
    }


# ---------------------------------------------------------------- purpose statements


def test_a_student_s_statement_is_private_unless_they_share_it(hill: dict[str, Any]) -> None:
    mine = purpose_services.write_statement(actor=hill["ann_actor"], text="To learn to build.")
    assert mine.visibility == Statement.Visibility.PRIVATE
    shared = purpose_services.write_statement(
        actor=hill["eli_actor"], text="Friends.", visibility="themes"
    )
    assert shared.visibility == Statement.Visibility.THEMES
    staff = purpose_services.write_statement(actor=hill["tara_actor"], text="Curiosity.")
    assert staff.visibility == Statement.Visibility.THEMES


def test_a_company_member_s_statement_is_counted_in_the_themes_by_default(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    member = actor_of(make_person(org, Role.MEMBER))
    assert purpose_services.write_statement(actor=member, text="Help.").visibility == "themes"


def test_the_statement_form_and_the_api_start_private_for_a_student(
    hill: dict[str, Any], web: Callable[[Person], Client], bearer: Callable[..., dict[str, str]]
) -> None:
    page = web(hill["ann"]).get("/purpose/").content.decode()
    assert re.search(r'value="private"[^>]*checked', page)
    assert not re.search(r'value="themes"[^>]*checked', page)
    made = Client().post(
        "/api/v1/purpose-statements",
        {"text": "To read well."},
        content_type="application/json",
        **bearer(hill["eli"]),
    )
    assert made.status_code == 201
    assert made.json()["visibility"] == "private"
    teacher = web(hill["tara"]).get("/purpose/").content.decode()
    assert re.search(r'value="themes"[^>]*checked', teacher)


# ---------------------------------------------------------------- the recognition feed


def _sees_feed(hill: dict[str, Any], who: str) -> bool:
    actor = hill[f"{who}_actor"]
    return not mastery_selectors.feed_closed(actor) and bool(
        mastery_selectors.recognition_feed(actor, 10)
    )


def test_students_see_no_feed_until_a_teacher_opts_their_class_in(
    hill: dict[str, Any], web: Callable[[Person], Client], bearer: Callable[..., dict[str, str]]
) -> None:
    assert not _sees_feed(hill, "ann")
    assert not _sees_feed(hill, "eli")
    assert _sees_feed(hill, "tara")
    assert _sees_feed(hill, "head")
    page = web(hill["ann"]).get("/mastery/recognition/").content.decode()
    assert "tidied the lab" not in page
    assert "until a teacher opens it" in page
    api = Client().get("/api/v1/recognition", **bearer(hill["ann"]))
    assert api.status_code == 200
    assert api.json()["items"] == []

    privacy_services.set_class(actor=hill["tara_actor"], team=hill["8C"], recognition=True)
    assert _sees_feed(hill, "ann")
    assert not _sees_feed(hill, "eli")  # 8D is not opted in
    assert "tidied the lab" in web(hill["ann"]).get("/mastery/recognition/").content.decode()
    assert Client().get("/api/v1/recognition", **bearer(hill["ann"])).json()["items"]


def test_a_head_teacher_opts_the_whole_school_in(hill: dict[str, Any]) -> None:
    privacy_services.set_school_privacy(
        actor=hill["head_actor"], recognition=True, retention_months=None
    )
    assert _sees_feed(hill, "eli")
    assert _sees_feed(hill, "ann")
    privacy_services.set_school_privacy(
        actor=hill["head_actor"], recognition=False, retention_months=None
    )
    assert not _sees_feed(hill, "eli")


def test_a_teacher_cannot_open_another_class_or_the_school(hill: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        privacy_services.set_class(actor=hill["tara_actor"], team=hill["8D"], recognition=True)
    with pytest.raises(NotAllowed):
        privacy_services.set_school_privacy(
            actor=hill["tara_actor"], recognition=True, retention_months=None
        )
    with pytest.raises(NotAllowed):
        privacy_services.set_class(actor=hill["ann_actor"], team=hill["8C"], recognition=True)
    assert not privacy_selectors.recognition_open(hill["school"].pk, hill["eli"].pk)


def test_a_company_s_members_always_see_the_feed(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    member = actor_of(make_person(org, Role.MEMBER))
    assert not mastery_selectors.feed_closed(member)


# ---------------------------------------------------------------- the retention setting


@pytest.mark.parametrize(
    ("months", "ok"), [(0, False), (1, True), (12, True), (120, True), (121, False), (None, True)]
)
def test_the_retention_period_is_one_to_120_months_or_none(
    hill: dict[str, Any], months: int | None, ok: bool
) -> None:
    if ok:
        privacy_services.set_school_privacy(
            actor=hill["head_actor"], recognition=False, retention_months=months
        )
        assert privacy_selectors.school_privacy(hill["school"]).retention_months == months
    else:
        with pytest.raises(ValidationFailed) as refused:
            privacy_services.set_school_privacy(
                actor=hill["head_actor"], recognition=False, retention_months=months
            )
        assert refused.value.errors[0].field == "retention_months"
        assert not SchoolPrivacy.objects.exists()


# ---------------------------------------------------------------- the page


def test_a_teacher_cannot_post_the_school_s_settings_on_the_page(
    hill: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    answer = web(hill["tara"]).post(
        "/classroom/privacy/", {"recognition": "on", "retention_months": "1"}
    )
    assert answer.status_code == 403
    assert not SchoolPrivacy.objects.exists()


def test_a_bad_band_on_the_page_is_refused_and_saves_nothing(
    hill: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    from ampwork.classroom.models import ClassSetting

    client = web(hill["tara"])
    answer = client.post(
        f"/classroom/privacy/classes/{hill['8C'].pk}/", {"age_band": "3-5"}, follow=True
    )
    assert "not an age band" in answer.content.decode()
    assert not ClassSetting.objects.exists()
    client.post(f"/classroom/privacy/classes/{hill['8C'].pk}/", {"age_band": "11-14"})
    assert ClassSetting.objects.get(team=hill["8C"]).age_band == "11-14"
    refused = client.post(f"/classroom/privacy/classes/{hill['8D'].pk}/", {"age_band": "8-11"})
    assert refused.status_code == 403


# ---------------------------------------------------------------- one class opened, not the school


def _feed_bodies(hill: dict[str, Any], who: str) -> set[str]:
    return {p.body for p in mastery_selectors.recognition_feed(hill[f"{who}_actor"], 50)}


def test_opening_one_class_shows_its_students_nothing_about_a_closed_class(
    hill: dict[str, Any], web: Callable[[Person], Client], bearer: Callable[..., dict[str, str]]
) -> None:
    """The attack: 8C is opened, 8D is not; 8C's Ann reads the feed, page and API."""
    tara = hill["tara_actor"]
    ann, eli, head = hill["ann"], hill["eli"], hill["head"]
    for ids, body in (
        ([eli.pk], "Now that you fixed the kiln…"),  # about 8D only
        ([ann.pk, eli.pk], "Now that you two ran the stall…"),  # one of two in 8D
        ([ann.pk, head.pk], "Now that you both planted the garden…"),  # 8C and staff
    ):
        mastery_services.recognise(actor=tara, recipient_ids=ids, body=body)
    # written by an 8D student before students of closed classes were stopped from posting
    early = Recognition.objects.create(
        organisation=hill["school"], author=eli, body="Now that you lent me a pen…"
    )
    early.recipients.set([ann])
    privacy_services.set_class(actor=tara, team=hill["8C"], recognition=True)

    seen = _feed_bodies(hill, "ann")
    assert seen == {"Now that you tidied the lab…", "Now that you both planted the garden…"}
    page = web(ann).get("/mastery/recognition/").content.decode()
    assert "garden" in page
    for hidden in ("kiln", "stall", "lent me a pen", "Eli"):
        assert hidden not in page, hidden
    api = Client().get("/api/v1/recognition", **bearer(ann)).json()["items"]
    assert {p["body"] for p in api} == seen
    assert all(eli.pk not in p["recipients"] and p["author_id"] != eli.pk for p in api)
    # staff read everything; a school opened as a whole shows its students everything
    assert len(_feed_bodies(hill, "tara")) == 5
    privacy_services.set_school_privacy(
        actor=hill["head_actor"], recognition=True, retention_months=None
    )
    assert len(_feed_bodies(hill, "ann")) == 5


def test_a_student_whose_feed_is_closed_cannot_post(
    hill: dict[str, Any], web: Callable[[Person], Client], bearer: Callable[..., dict[str, str]]
) -> None:
    """The attack: 8D's Eli (closed) names 8C's Ann, whose class is open."""
    privacy_services.set_class(actor=hill["tara_actor"], team=hill["8C"], recognition=True)
    before = Recognition.objects.count()
    with pytest.raises(NotAllowed, match="until a teacher opens it to your class"):
        mastery_services.recognise(
            actor=hill["eli_actor"], recipient_ids=[hill["ann"].pk], body="Now that you…"
        )
    answer = Client().post(
        "/api/v1/recognition",
        {"recipient_ids": [hill["ann"].pk], "body": "Now that you…"},
        content_type="application/json",
        **bearer(hill["eli"]),
    )
    assert answer.status_code == 403
    assert "until a teacher opens it" in answer.content.decode()
    page = web(hill["eli"]).get("/mastery/recognition/").content.decode()
    assert 'name="recipient_ids"' not in page  # no form to post with
    assert Recognition.objects.count() == before
    # once 8D is opened too, Eli may
    privacy_services.set_class(actor=hill["head_actor"], team=hill["8D"], recognition=True)
    mastery_services.recognise(
        actor=hill["eli_actor"], recipient_ids=[hill["ann"].pk], body="Now that you…"
    )


def test_a_student_of_an_opened_class_names_only_people_whose_feed_is_open(
    hill: dict[str, Any],
) -> None:
    privacy_services.set_class(actor=hill["tara_actor"], team=hill["8C"], recognition=True)
    with pytest.raises(ValidationFailed) as refused:
        mastery_services.recognise(
            actor=hill["ann_actor"], recipient_ids=[hill["eli"].pk], body="Now that you…"
        )
    assert refused.value.errors[0].field == "recipient_ids"
    assert "Eli's class keeps recognition closed" in refused.value.errors[0].message
    post = mastery_services.recognise(
        actor=hill["ann_actor"], recipient_ids=[hill["tara"].pk], body="Now that you taught us…"
    )
    assert "Now that you taught us…" in _feed_bodies(hill, "ann")
    assert post.recipients.get() == hill["tara"]
    # a teacher recognises anyone
    mastery_services.recognise(
        actor=hill["tara_actor"], recipient_ids=[hill["eli"].pk], body="Now that you…"
    )


# ---------------------------------------------------------------- revising a statement


def test_revising_a_statement_without_choosing_keeps_what_its_author_chose(
    hill: dict[str, Any], bearer: Callable[..., dict[str, str]]
) -> None:
    """A student's statement written before private-by-default ("themes"), revised through
    the API without a visibility, stays "themes"; a new one starts private."""
    old = Statement.objects.create(
        organisation=hill["school"],
        person=hill["ann"],
        text="To build.",
        visibility=Statement.Visibility.THEMES,
        quotable=True,
    )

    def post(who: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = Client().post(
            "/api/v1/purpose-statements", body, content_type="application/json", **bearer(hill[who])
        )
        assert answer.status_code == 201, answer.content
        found: dict[str, Any] = answer.json()
        return found

    assert post("ann", {"text": "To build bridges."})["visibility"] == "themes"
    old.refresh_from_db()
    assert (old.text, old.visibility, old.quotable) == ("To build bridges.", "themes", True)
    # choosing again changes it
    assert post("ann", {"text": "Mine.", "visibility": "named"})["visibility"] == "named"
    assert post("ann", {"text": "Mine.", "quotable": False})["visibility"] == "named"
    old.refresh_from_db()
    assert old.quotable is False
    # a new statement starts at the default: private for a student, not quotable
    assert post("eli", {"text": "Friends."})["visibility"] == "private"
    assert Statement.objects.get(person=hill["eli"]).quotable is False
    purpose_services.write_statement(actor=hill["eli_actor"], text="Friends and football.")
    assert Statement.objects.get(person=hill["eli"]).visibility == "private"


# ---------------------------------------------------------------- the directory


def test_a_student_finds_only_their_classmates_and_teachers_and_no_email(
    hill: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    """A school's students are children: the people directory shows a student the people
    they share a class with, without addresses. The attack: list, open another class's
    student by id, search by that student's address, read the API with the session."""
    client = web(hill["ann"])
    listed = text_of(client.get("/people/"))
    assert "Tara Teacher" in listed
    assert hill["ann"].email not in listed
    assert hill["tara"].email not in listed
    assert "Eli" not in listed
    assert "Hana Head" not in listed
    # a person's page (reached from a class's page, which lists its members by name) shows
    # no address either
    eli_page = text_of(client.get(f"/people/{hill['eli'].pk}/"))
    assert "Eli" in eli_page
    assert hill["eli"].email not in eli_page
    assert client.get(f"/people/{hill['tara'].pk}/").status_code == 200
    teacher_page = text_of(client.get(f"/people/{hill['tara'].pk}/"))
    assert hill["tara"].email not in teacher_page
    by_address = text_of(client.get("/people/", {"q": hill["eli"].email}))
    assert "Eli" not in by_address
    by_teachers_address = text_of(client.get("/people/", {"q": hill["tara"].email}))
    assert "Tara Teacher" not in by_teachers_address  # an address is no key for a student
    assert "Tara Teacher" in text_of(client.get("/people/", {"q": "Tara"}))
    assert client.get("/api/v1/people").status_code == 403
    assert client.get(f"/api/v1/people/{hill['tara'].pk}").status_code == 403


def test_a_teacher_and_a_company_member_see_the_whole_directory(
    hill: dict[str, Any],
    web: Callable[[Person], Client],
    org: Organisation,
    make_person: Callable[..., Person],
) -> None:
    listed = text_of(web(hill["tara"]).get("/people/"))
    assert "Eli" in listed
    assert hill["eli"].email in listed
    member, colleague = make_person(org, Role.MEMBER), make_person(org, Role.MEMBER)
    seen = text_of(web(member).get("/people/"))
    assert colleague.name in seen
    assert colleague.email in seen
