"""Age bands pick the wording of the AMP Pulse (issue 20): a class's band, set by its teacher
or a head teacher, decides the words its students read; codes, scale and keying stay, so
answers in every wording are scored together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ampwork.classroom import privacy_selectors, privacy_services, selectors
from ampwork.classroom.models import ClassSetting
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.pulse import instrument, services
from ampwork.pulse.models import Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()
YOUNG_TASK1 = "I get to choose some of the things I work on."
OLDER_TASK1 = "I have a real say in which topics or projects I take on."
SCHOOL_TASK1 = "I get to choose some of the topics or projects I work on."


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


# ---------------------------------------------------------------- the pure wordings


def test_every_band_words_every_school_item_and_keeps_code_scale_and_keying() -> None:
    school_items = instrument.items_for(True)
    for band in instrument.BANDS:
        texts = [instrument.text_of(i, True, band) for i in school_items]
        assert all(texts)
        assert len(set(texts)) == len(texts)
    for band, wording in instrument.WORDINGS.items():
        assert band in instrument.BANDS
        # a wording for each school item, no more: the same constructs, nothing added
        assert set(wording) == {i.code for i in school_items}
    # the 11–14 band reads the school wording
    assert [instrument.text_of(i, True, "11-14") for i in school_items] == [
        i.school for i in school_items
    ]
    task1 = school_items[0]
    assert instrument.text_of(task1, True, "8-11") == YOUNG_TASK1
    assert instrument.text_of(task1, True, "14-18") == OLDER_TASK1
    assert instrument.text_of(task1, True) == SCHOOL_TASK1
    # a company never reads a band's words; an own question keeps its author's
    assert instrument.text_of(task1, False, "8-11") == task1.text
    own = instrument.Item("q1", "own", "Own words.", "Own words.")
    assert instrument.text_of(own, True, "8-11") == "Own words."
    assert instrument.wordings_of(own) == ("Own words.",)
    assert instrument.wordings_of(task1) == (SCHOOL_TASK1, YOUNG_TASK1, OLDER_TASK1)


def test_the_enps_question_and_the_bands_helpers() -> None:
    assert instrument.enps_text(False, "8-11") == instrument.ENPS_QUESTION
    assert instrument.enps_text(True) == instrument.ENPS_SCHOOL
    assert instrument.enps_text(True, "14-18") == instrument.ENPS_SCHOOL
    assert instrument.enps_text(True, "8-11").startswith("How much would you tell a friend")
    assert instrument.enps_wordings()[0] == instrument.ENPS_SCHOOL
    assert instrument.youngest(["14-18", None, "11-14"]) == "11-14"
    assert instrument.youngest(["14-18", "8-11"]) == "8-11"
    assert instrument.youngest([None, "", "9-12"]) is None
    assert instrument.youngest([]) is None
    assert instrument.clean_band(" 8-11 ") == "8-11"
    assert instrument.clean_band("") == ""
    with pytest.raises(ValueError, match="not an age band"):
        instrument.clean_band("7-11")


# ---------------------------------------------------------------- a school's classes


@pytest.fixture
def classes(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    """4Y (Yara leads, two students) and 9Z (Zed leads, two students); the head."""
    head = make_person(school, Role.ADMIN, name="Hana Head")
    yara = make_person(school, Role.MANAGER, name="Yara Teacher")
    zed = make_person(school, Role.MANAGER, name="Zed Teacher")
    student = make_person(school, Role.MEMBER, name="Ann")
    four = TeamFactory(organisation=school, name="4Y")
    nine = TeamFactory(organisation=school, name="9Z")
    MembershipFactory(team=four, person=yara, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=nine, person=zed, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=four, person=student)
    MembershipFactory(team=four, person=PersonFactory(organisation=school, name="Ben"))
    for name in ("Cy", "Di"):
        MembershipFactory(team=nine, person=PersonFactory(organisation=school, name=name))
    return {
        "school": school,
        "head": actor_of(head),
        "yara": actor_of(yara),
        "zed": actor_of(zed),
        "student": actor_of(student),
        "4Y": four,
        "9Z": nine,
    }


def test_a_head_teacher_and_the_class_s_teacher_set_its_band(classes: dict[str, Any]) -> None:
    four = classes["4Y"]
    privacy_services.set_class(actor=classes["yara"], team=four, age_band="8-11")
    assert privacy_selectors.bands_of(four.organisation_id, [four.pk]) == {four.pk: "8-11"}
    privacy_services.set_class(actor=classes["head"], team=four, age_band="11-14")
    setting = ClassSetting.objects.get(team=four)
    assert setting.age_band == "11-14"
    assert AuditEvent.objects.filter(action="class.settings").count() == 2
    privacy_services.set_class(actor=classes["head"], team=four, age_band="")
    assert privacy_selectors.bands_of(four.organisation_id, [four.pk]) == {}


@pytest.mark.parametrize("who", ["zed", "student"])
def test_a_teacher_of_another_class_and_a_student_are_refused(
    classes: dict[str, Any], who: str
) -> None:
    with pytest.raises(NotAllowed):
        privacy_services.set_class(actor=classes[who], team=classes["4Y"], age_band="8-11")
    assert not ClassSetting.objects.exists()


def test_an_unknown_band_is_refused_by_field(classes: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        privacy_services.set_class(actor=classes["head"], team=classes["4Y"], age_band="5-7")
    assert refused.value.errors[0].field == "age_band"
    assert not ClassSetting.objects.exists()


def test_a_company_has_no_bands(org: Organisation, admin_actor: Actor) -> None:
    team = TeamFactory(organisation=org, name="Ops")
    with pytest.raises(NotFound):
        privacy_services.set_class(actor=admin_actor, team=team, age_band="8-11")


def test_a_teacher_lists_only_the_classes_they_lead(classes: dict[str, Any]) -> None:
    privacy_services.set_class(actor=classes["head"], team=classes["9Z"], age_band="14-18")
    assert [(r.team.name, r.band) for r in privacy_selectors.classes_for(classes["head"])] == [
        ("4Y", ""),
        ("9Z", "14-18"),
    ]
    assert [r.team.name for r in privacy_selectors.classes_for(classes["yara"])] == ["4Y"]


# ---------------------------------------------------------------- the pulse reads the band


def _round(actor: Actor, teams: list[Team], mode: str = Round.Mode.INVITED) -> Round:
    round = services.create_round(
        actor=actor,
        name="This week",
        opens=TODAY,
        closes=TODAY + dt.timedelta(days=7),
        team_ids=[t.pk for t in teams],
        mode=mode,
    )
    return round


def _links() -> dict[str, str]:
    return {
        m.to[0]: m.body.split("/pulse/answer/")[1].split("/")[0]
        for m in mail.outbox
        if "/pulse/answer/" in m.body
    }


def test_each_class_reads_its_band_s_words_and_answers_score_alike(
    classes: dict[str, Any],
) -> None:
    privacy_services.set_class(actor=classes["head"], team=classes["4Y"], age_band="8-11")
    round = _round(classes["head"], [classes["4Y"], classes["9Z"]])
    services.open_round(actor=classes["head"], round=round)
    links = _links()
    ann = Person.objects.get(name="Ann")
    cy = Person.objects.get(name="Cy")
    young = Client().get(f"/pulse/answer/{links[ann.email]}/").content.decode()
    assert YOUNG_TASK1 in young
    assert SCHOOL_TASK1 not in young
    assert "How much would you tell a friend" in young
    plain = Client().get(f"/pulse/answer/{links[cy.email]}/").content.decode()
    assert SCHOOL_TASK1 in plain
    assert YOUNG_TASK1 not in plain
    # the same item codes: an answer in either wording is stored the same way
    for email in (ann.email, cy.email):
        posted = Client().post(f"/pulse/answer/{links[email]}/", {"task1": "4", "enps": "9"})
        assert posted.status_code == 200
    assert services.answer_count(round) == 2


def test_a_shared_link_for_several_classes_speaks_to_the_youngest(
    classes: dict[str, Any],
) -> None:
    privacy_services.set_class(actor=classes["head"], team=classes["4Y"], age_band="8-11")
    privacy_services.set_class(actor=classes["head"], team=classes["9Z"], age_band="14-18")
    both = _round(classes["head"], [classes["4Y"], classes["9Z"]], Round.Mode.UNATTRIBUTED)
    assert privacy_selectors.wording(both, None) == "8-11"
    nine = _round(classes["head"], [classes["9Z"]], Round.Mode.UNATTRIBUTED)
    token = services.open_round(actor=classes["head"], round=nine).shared_token
    page = Client().get(f"/pulse/answer/{token}/").content.decode()
    assert OLDER_TASK1 in page
    assert SCHOOL_TASK1 not in page
    # a whole-school round names no class: the school wording
    whole = _round(classes["head"], [])
    assert privacy_selectors.wording(whole, None) is None
    assert services.band_for(whole, classes["9Z"].pk) == "14-18"


def test_a_company_round_has_no_band(org: Organisation, admin_actor: Actor) -> None:
    round = _round(admin_actor, [])
    assert services.band_for(round, None) is None


def test_a_school_topic_in_a_band_s_words_gates_the_pulse(classes: dict[str, Any]) -> None:
    """A word only the 8–11 wording uses ("children") still touches the school's topic."""
    from ampwork.classroom import consent

    topics = consent.parse_topics("Other pupils: children")
    items = list(instrument.items_for(True))
    touched = selectors.sensitivity(items, topics)
    assert "Other pupils" in touched.topics
    assert "I can ask other children for help when I need it." in touched.topics["Other pupils"]


def test_families_read_the_questions_in_their_child_s_class_s_words(
    classes: dict[str, Any],
) -> None:
    from ampwork.classroom import consent_services

    privacy_services.set_class(actor=classes["head"], team=classes["4Y"], age_band="8-11")
    round = _round(classes["head"], [classes["4Y"]])
    token = consent_services.families_token(round)
    page = Client().get(f"/classroom/families/{token}/").content.decode()
    assert YOUNG_TASK1 in page
    assert SCHOOL_TASK1 not in page
    assert "How much would you tell a friend" in page
    plain = _round(classes["head"], [classes["9Z"]])
    other = Client().get(f"/classroom/families/{consent_services.families_token(plain)}/")
    assert SCHOOL_TASK1 in other.content.decode()
