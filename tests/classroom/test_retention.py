"""A school's retention policy (issue 20): students who left a set time ago lose their
reflections, who they were in closed pulse rounds and their consent records — on the day
the months are up, not a day before; a dry run counts the same and writes nothing; a
closed round's results stay as they were published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ampwork.classroom import privacy_services, retention_services, services
from ampwork.classroom.models import PulseConsent
from ampwork.core import services as core_services
from ampwork.core.errors import NotAllowed, NotFound
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.mastery.models import Reply, Review
from ampwork.pulse.models import Invitation, Response, Round

from ..factories import MembershipFactory, PersonFactory, RoundFactory, TeamFactory
from . import bundle

TODAY = dt.date(2026, 11, 20)
REFLECTIONS = "Reflections (weekly reviews, with their replies)"
INVITATIONS = "Pulse invitations of closed rounds (who was asked)"
CONSENTS = "Consent records"


def _left(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def hill(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    """Four students in 7A, each with a reflection (with a reply), an invitation to a closed
    round (used) and to an open one, and a consent record for the closed round: one still
    here, one who left exactly twelve months ago, one a day short of that, one a day more.
    And one who left before leaving days were recorded."""
    head = make_person(school, Role.ADMIN, name="Hana Head")
    tara = make_person(school, Role.MANAGER, name="Tara Teacher")
    seven = TeamFactory(organisation=school, name="7A")
    closed = RoundFactory(organisation=school, status=Round.Status.CLOSED, minimum=3)
    open_ = RoundFactory(organisation=school, status=Round.Status.OPEN, minimum=3)
    left_on = {
        "here": None,
        "exactly": dt.date(2025, 11, 20),
        "day_short": dt.date(2025, 11, 21),
        "day_more": dt.date(2025, 11, 19),
    }
    students: dict[str, Person] = {}
    for key, day in left_on.items():
        student = PersonFactory(
            organisation=school,
            name=key,
            active=day is None,
            left_at=None if day is None else _left(day),
        )
        MembershipFactory(team=seven, person=student)
        review = Review.objects.create(
            organisation=school, person=student, week=dt.date(2025, 9, 1), wins="Read a book."
        )
        Reply.objects.create(organisation=school, review=review, author=tara, body="Well done.")
        for n, round in enumerate((closed, open_)):
            Invitation.objects.create(
                round=round, person=student, group_id=seven.pk, digest=f"{key}-{n}", used=n == 0
            )
        PulseConsent.objects.create(
            organisation=school, round=closed, student=student, status="consented"
        )
        students[key] = student
    PersonFactory(organisation=school, name="old", active=False, left_at=None)
    for _ in range(5):
        Response.objects.create(round=closed, group_id=seven.pk, answers={"mast1": 4})
    return {
        "school": school,
        "head": actor_of(head),
        "tara": actor_of(tara),
        "students": students,
        "closed": closed,
        "open": open_,
    }


def _policy(hill: dict[str, Any], months: int | None = 12) -> None:
    privacy_services.set_school_privacy(
        actor=hill["head"], recognition=False, retention_months=months
    )


def _rows() -> dict[str, int]:
    return {
        "reviews": Review.objects.count(),
        "replies": Reply.objects.count(),
        "consents": PulseConsent.objects.count(),
        "invitations with a person": Invitation.objects.filter(person__isnull=False).count(),
        "invitations": Invitation.objects.count(),
        "used": Invitation.objects.filter(used=True).count(),
        "responses": Response.objects.count(),
        "people": Person.objects.count(),
    }


def test_on_the_day_a_day_before_and_a_day_after(hill: dict[str, Any]) -> None:
    _policy(hill)
    plan = retention_services.dry_run(actor=hill["head"], today=TODAY)
    due = {hill["students"][k].pk for k in ("exactly", "day_more")}
    assert set(plan.due) == due  # not "day_short", not the one still here
    assert plan.counts == {REFLECTIONS: 2, INVITATIONS: 2, CONSENTS: 2}
    assert plan.waiting == 2  # their open round's invitations wait
    assert plan.unknown_day == 1
    done = retention_services.purge(actor=hill["head"], today=TODAY)
    assert done.counts == {REFLECTIONS: 2, INVITATIONS: 2, CONSENTS: 2}
    for key, student in hill["students"].items():
        purged = student.pk in due
        assert Review.objects.filter(person=student).exists() is not purged, key
        assert PulseConsent.objects.filter(student=student).exists() is not purged, key
        assert (
            Invitation.objects.filter(round=hill["closed"], person=student).exists() is not purged
        ), key
        # an open round is left alone until it closes
        assert Invitation.objects.filter(round=hill["open"], person=student).exists(), key
    assert not Reply.objects.filter(review__person_id__in=due).exists()
    assert AuditEvent.objects.filter(action="privacy.purged").count() == 1
    # the next day, the one a day short is due too
    later = retention_services.purge(actor=hill["head"], today=TODAY + dt.timedelta(days=1))
    assert later.counts == {REFLECTIONS: 1, INVITATIONS: 1, CONSENTS: 1}


def test_the_dry_run_writes_nothing(hill: dict[str, Any]) -> None:
    _policy(hill)
    before, audit = _rows(), AuditEvent.objects.count()
    plan = retention_services.dry_run(actor=hill["head"], today=TODAY)
    assert plan.total == 6
    call_command("classroom", "retention", "--dry-run", "--date", TODAY.isoformat())
    assert _rows() == before
    assert AuditEvent.objects.count() == audit


def test_a_closed_round_keeps_every_count_its_results_read(hill: dict[str, Any]) -> None:
    """Invitations lose the person, never the round, group or "used": participation, the
    anonymity minimum and the differencing rule read the same numbers as before."""
    _policy(hill)
    closed = hill["closed"]

    def counts() -> tuple[int, int, list[int], int]:
        invited = Invitation.objects.filter(round=closed)
        return (
            invited.count(),
            invited.filter(used=True).count(),
            sorted(invited.values_list("group_id", flat=True)),
            Response.objects.filter(round=closed).count(),
        )

    before = counts()
    retention_services.purge(actor=hill["head"], today=TODAY)
    assert counts() == before
    assert Invitation.objects.filter(round=closed, person__isnull=True).count() == 2


def test_no_policy_purges_nothing(hill: dict[str, Any]) -> None:
    before = _rows()
    plan = retention_services.purge(actor=hill["head"], today=TODAY + dt.timedelta(days=3650))
    assert plan.months is None
    assert plan.due == []
    assert plan.total == 0
    assert _rows() == before


def test_only_a_head_teacher_of_a_school_purges(
    hill: dict[str, Any], admin_actor: Actor, actor_of: Callable[[Person], Actor]
) -> None:
    with pytest.raises(NotAllowed):
        retention_services.dry_run(actor=hill["tara"], today=TODAY)
    with pytest.raises(NotAllowed):
        retention_services.purge(actor=actor_of(hill["students"]["here"]), today=TODAY)
    with pytest.raises(NotFound):
        retention_services.purge(actor=admin_actor, today=TODAY)


def test_the_command_purges_every_school(hill: dict[str, Any], capsys: Any) -> None:
    _policy(hill)
    call_command("classroom", "retention", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "hill: 2 students who left 12 months ago or more; purged: 2 reflections" in out
    assert "2 invitations wait until their rounds close" in out
    assert "1 students left before leaving days were recorded" in out
    assert Review.objects.count() == 2


def test_the_command_says_when_there_is_no_policy(hill: dict[str, Any], capsys: Any) -> None:
    call_command("classroom", "retention", "--org", "hill")
    assert "hill: no retention policy: nothing purged." in capsys.readouterr().out


# ---------------------------------------------------------------- when they left


def test_deactivating_a_person_records_when_and_reactivating_clears_it(
    hill: dict[str, Any],
) -> None:
    student = hill["students"]["here"]
    core_services.update_person(actor=hill["head"], person=student, active=False)
    student.refresh_from_db()
    assert student.left_at is not None
    core_services.update_person(actor=hill["head"], person=student, name="Here Still")
    student.refresh_from_db()
    assert student.left_at is not None  # other changes leave it as it was
    core_services.update_person(actor=hill["head"], person=student, active=True)
    student.refresh_from_db()
    assert student.left_at is None


def test_a_roster_import_records_when_a_student_left_and_clears_it_when_back(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    head = actor_of(make_person(school, Role.ADMIN))
    services.import_roster(actor=head, files=bundle.files())
    services.import_roster(actor=head, files=bundle.files(bundle.rows(students=3)))
    leaver = Person.objects.get(organisation=school, email="student4@hillside.example")
    assert leaver.active is False
    assert leaver.left_at is not None
    assert not Person.objects.filter(organisation=school, active=True, left_at__isnull=False)
    services.import_roster(actor=head, files=bundle.files())
    leaver.refresh_from_db()
    assert leaver.active is True
    assert leaver.left_at is None
