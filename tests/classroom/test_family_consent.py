"""Guardians see a sensitive student pulse's questions beforehand on their family page, and
give consent or opt their child out right there (issue 20): only their own children's
pulses, only as the school's policy allows, with the same effects as the school recording
it — and nothing written when a guardian posts for another child."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.classroom import family_consent_selectors
from ampwork.classroom.models import ConsentPolicy, Guardian, GuardianOf, PulseConsent
from ampwork.core.models import AuditEvent, Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.pulse import services
from ampwork.pulse.models import Invitation, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory

TODAY = timezone.localdate()
ANXIOUS = "I often feel anxious before tests."
CALM = "I like the new library."


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def hill(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    """8C (Tara) with Ann and Ben; 8D (Dev) with Eli. Gina is Ann's guardian, Hugo Eli's;
    both sign in."""
    head = make_person(school, Role.ADMIN, name="Hana Head")
    tara = make_person(school, Role.MANAGER, name="Tara Teacher")
    dev = make_person(school, Role.MANAGER, name="Dev Teacher")
    ann = make_person(school, Role.MEMBER, name="Ann")
    ben = PersonFactory(organisation=school, name="Ben")
    eli = PersonFactory(organisation=school, name="Eli")
    c8 = TeamFactory(organisation=school, name="8C")
    d8 = TeamFactory(organisation=school, name="8D")
    MembershipFactory(team=c8, person=tara, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=d8, person=dev, role=TeamMembership.Role.LEAD)
    for student, team in ((ann, c8), (ben, c8), (eli, d8)):
        MembershipFactory(team=team, person=student)
    out: dict[str, Any] = {
        "school": school,
        "head": actor_of(head),
        "tara": actor_of(tara),
        "dev": actor_of(dev),
        "tara_person": tara,
        "ann": ann,
        "ben": ben,
        "eli": eli,
        "8C": c8,
        "8D": d8,
    }
    for name, child in (("gina", ann), ("hugo", eli)):
        user = UserFactory(email=f"{name}@example.org")
        guardian = Guardian.objects.create(
            organisation=school, sourced_id=name, name=name.title(), email=user.email, user=user
        )
        GuardianOf.objects.create(organisation=school, guardian=guardian, student=child)
        client = Client()
        client.force_login(user)
        out[name], out[f"{name}_client"] = guardian, client
    return out


def _round(
    actor: Actor,
    team: Team,
    *,
    question: str = ANXIOUS,
    areas: tuple[str, ...] = ("mental",),
    name: str = "8C this week",
) -> Round:
    return services.create_round(
        actor=actor,
        name=name,
        opens=TODAY + dt.timedelta(days=2),
        closes=TODAY + dt.timedelta(days=9),
        team_ids=[team.pk],
        mode=Round.Mode.INVITED,
        questions=[(question, False)],
        question_areas=[areas],
    )


def _policy(org: Organisation, rule: str) -> None:
    ConsentPolicy.objects.create(organisation=org, rule=rule)


def _post(client: Client, round: Round, student: Person, status: str) -> Any:
    return client.post(
        reverse("classroom:family"), {"round": round.pk, "student": student.pk, "status": status}
    )


def _page(client: Client) -> str:
    response = client.get(reverse("classroom:family"))
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- what a guardian sees


def test_a_guardian_sees_only_their_own_childrens_sensitive_pulses(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "consent")
    sensitive = _round(hill["tara"], hill["8C"], name="8C feelings")
    _round(hill["tara"], hill["8C"], question=CALM, areas=(), name="8C library")  # touches nothing
    _round(
        hill["dev"],
        hill["8D"],
        question="I worry about money at home.",
        areas=("income",),
        name="8D money",
    )
    page = _page(hill["gina_client"])
    assert "8C feelings, for Ann" in page
    assert ANXIOUS in page  # the questions, beforehand
    assert "Mental or psychological problems" in page or "mental" in page.lower()
    assert "Written consent required" in page
    assert "Give my consent" in page
    assert "8C library" not in page
    assert "8D money" not in page
    assert "worry about money" not in page
    assert "Ben" not in page  # another student of the class is never named
    other = _page(hill["hugo_client"])
    assert "8D money, for Eli" in other
    assert "8C feelings" not in other
    assert ANXIOUS not in other
    # the selector: one row, Gina's child, the round still to come
    (row,) = family_consent_selectors.sensitive_pulses(hill["gina"].user)
    assert (row.child_id, row.round_id, row.is_open, row.status) == (
        hill["ann"].pk,
        sensitive.pk,
        False,
        "",
    )


def test_closed_and_past_pulses_are_not_listed(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara"], hill["8C"])
    Round.objects.filter(pk=round.pk).update(status=Round.Status.CLOSED)
    assert family_consent_selectors.sensitive_pulses(hill["gina"].user) == []
    Round.objects.filter(pk=round.pk).update(
        status=Round.Status.DRAFT, closes=TODAY - dt.timedelta(days=1)
    )
    assert family_consent_selectors.sensitive_pulses(hill["gina"].user) == []
    Round.objects.filter(pk=round.pk).update(closes=TODAY)  # its last day: still listed
    assert len(family_consent_selectors.sensitive_pulses(hill["gina"].user)) == 1


def test_without_a_policy_the_questions_show_but_no_answer_is_taken(hill: dict[str, Any]) -> None:
    round = _round(hill["tara"], hill["8C"])
    page = _page(hill["gina_client"])
    assert ANXIOUS in page
    assert "has not set its consent policy yet" in page
    assert 'name="status"' not in page
    response = _post(hill["gina_client"], round, hill["ann"], "consented")
    assert response.status_code == 400
    assert not PulseConsent.objects.exists()


# ---------------------------------------------------------------- consent and opt-out


def test_a_guardian_gives_consent_and_their_child_is_invited(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "consent")
    round = _round(hill["tara"], hill["8C"])
    response = _post(hill["gina_client"], round, hill["ann"], "consented")
    assert response.status_code == 302
    record = PulseConsent.objects.get()
    assert (record.student_id, record.status, record.guardian_id, record.recorded_by_id) == (
        hill["ann"].pk,
        "consented",
        hill["gina"].pk,
        None,
    )
    event = AuditEvent.objects.get(action="consent.recorded")
    assert event.detail["by"] == "guardian"
    assert "consent given" in _page(hill["gina_client"])
    Round.objects.filter(pk=round.pk).update(opens=TODAY)
    round.refresh_from_db()
    services.open_round(actor=hill["tara"], round=round)
    invited = set(Invitation.objects.filter(round=round).values_list("person_id", flat=True))
    assert hill["ann"].pk in invited
    assert hill["ben"].pk not in invited  # no consent recorded for him


def test_opting_out_after_opening_closes_the_childs_link(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara"], hill["8C"])
    Round.objects.filter(pk=round.pk).update(opens=TODAY)
    round.refresh_from_db()
    services.open_round(actor=hill["tara"], round=round)
    link = Invitation.objects.get(round=round, person=hill["ann"])
    assert not link.used
    page = _page(hill["gina_client"])
    assert "Open now" in page
    assert "Opt my child out" in page
    response = _post(hill["gina_client"], round, hill["ann"], "opted_out")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.used  # as when the school records it (pulse.services.exclude)
    assert not Invitation.objects.get(round=round, person=hill["ben"]).used
    assert PulseConsent.objects.get().status == "opted_out"
    follow = hill["gina_client"].get(reverse("classroom:family"))
    assert "opted out: not asked" in follow.content.decode()


def test_changing_ones_mind_before_the_pulse_opens(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "consent")
    round = _round(hill["tara"], hill["8C"])
    _post(hill["gina_client"], round, hill["ann"], "consented")
    assert "Withdraw my consent" in _page(hill["gina_client"])
    _post(hill["gina_client"], round, hill["ann"], "opted_out")
    assert PulseConsent.objects.get().status == "opted_out"


# ---------------------------------------------------------------- attacks


def test_attack_a_guardian_posts_for_another_child(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    theirs = _round(hill["dev"], hill["8D"], name="8D feelings")
    ann_round = _round(hill["tara"], hill["8C"])
    gina = hill["gina_client"]
    # Eli is not Gina's child: "not found", whichever round
    assert _post(gina, theirs, hill["eli"], "opted_out").status_code == 404
    assert _post(gina, ann_round, hill["ben"], "opted_out").status_code == 404
    # her own child, but a pulse that does not ask Ann
    assert _post(gina, theirs, hill["ann"], "opted_out").status_code == 400
    # ids out of range, or of nothing
    for data in (
        {"round": ann_round.pk, "student": 2**31, "status": "opted_out"},
        {"round": 999_999, "student": hill["ann"].pk, "status": "opted_out"},
        {"round": ann_round.pk, "student": hill["ann"].pk, "status": "maybe"},
        {"round": "x", "student": hill["ann"].pk, "status": "consented"},
    ):
        assert gina.post(reverse("classroom:family"), data).status_code in (400, 404), data
    assert not PulseConsent.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.recorded").exists()


def test_attack_people_of_the_school_cannot_use_the_guardians_form(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara"], hill["8C"])
    client = Client()
    client.force_login(hill["tara_person"].user)
    assert _post(client, round, hill["ann"], "opted_out").status_code == 403
    assert _post(Client(), round, hill["ann"], "opted_out").status_code == 302  # sign in first
    assert not PulseConsent.objects.exists()


def test_a_guardian_whose_email_changed_acts_for_nobody(hill: dict[str, Any]) -> None:
    _policy(hill["school"], "opt_out")
    round = _round(hill["tara"], hill["8C"])
    Guardian.objects.filter(pk=hill["gina"].pk).update(email="new@example.org")
    assert _post(hill["gina_client"], round, hill["ann"], "opted_out").status_code == 403
    assert not PulseConsent.objects.exists()
