"""A school's retention policy (issue 20): students who left a set time ago lose their
reflections, who they were in closed pulse rounds and their consent records — on the day
the months are up, not a day before; a dry run counts the same and writes nothing; a
closed round's results stay as they were published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ampwork.classroom import privacy_services, retention_services, services
from ampwork.classroom.models import PulseConsent
from ampwork.core import services as core_services
from ampwork.core.errors import NotAllowed, NotFound
from ampwork.core.models import AuditEvent, Organisation, Person, Role, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.mastery.models import Reply, Review
from ampwork.notifications.models import Notification
from ampwork.pulse import selectors as pulse_selectors
from ampwork.pulse import services as pulse_services
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
        if day is None:  # those who left left their class (the roster drops them from it)
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


# ---------------------------------------------------------------- review fixes


def test_a_purge_leaves_no_old_link_and_no_pulse_notice_and_the_same_results(
    hill: dict[str, Any],
) -> None:
    """A forgotten student cannot be traced: their old one-time link finds nothing, their
    "a pulse is open" notices are gone; the closed round's results read the same numbers."""
    _policy(hill)
    closed, school = hill["closed"], hill["school"]
    leaver, here = hill["students"]["exactly"], hill["students"]["here"]
    Invitation.objects.filter(round=closed, person=leaver).update(
        digest=pulse_services.digest("old-link")
    )
    assert pulse_services.find_invitation("old-link")[1] is not None
    for person in (leaver, here):
        for kind in ("pulse_open", "recognition"):
            Notification.objects.create(
                organisation=school, recipient=person, kind=kind, title="t", url="/pulse/"
            )
    minimum = closed.minimum or school.anonymity_min_group

    def figures() -> tuple[Any, ...]:
        found = pulse_selectors._closed(closed, None, minimum)  # uncached: what results read
        return found.invited, found.responses, found.groups

    before = figures()
    retention_services.purge(actor=hill["head"], today=TODAY)
    with pytest.raises(NotFound):
        pulse_services.find_invitation("old-link")
    assert not Invitation.objects.filter(digest=pulse_services.digest("old-link")).exists()
    assert not Notification.objects.filter(recipient=leaver, kind="pulse_open").exists()
    assert Notification.objects.filter(recipient=leaver, kind="recognition").exists()
    assert Notification.objects.filter(recipient=here, kind="pulse_open").exists()  # not due
    assert figures() == before
    # the open round's invitations wait, link and all
    assert Invitation.objects.filter(round=hill["open"], person=leaver, digest="exactly-1")


def test_an_empty_night_leaves_no_audit_entry(hill: dict[str, Any]) -> None:
    _policy(hill)
    retention_services.purge(actor=hill["head"], today=TODAY - dt.timedelta(days=1))  # due: one
    assert AuditEvent.objects.filter(action="privacy.purged").count() == 1
    nothing = retention_services.purge(actor=hill["head"], today=TODAY - dt.timedelta(days=1))
    assert nothing.total == 0
    assert AuditEvent.objects.filter(action="privacy.purged").count() == 1
    call_command("classroom", "retention", "--date", (TODAY - dt.timedelta(days=1)).isoformat())
    assert AuditEvent.objects.filter(action="privacy.purged").count() == 1


def test_consent_records_of_draft_and_open_rounds_are_kept(hill: dict[str, Any]) -> None:
    _policy(hill)
    leaver = hill["students"]["exactly"]
    draft = RoundFactory(organisation=hill["school"], status=Round.Status.DRAFT)
    for round in (draft, hill["open"]):
        PulseConsent.objects.create(
            organisation=hill["school"], round=round, student=leaver, status="consented"
        )
    plan = retention_services.dry_run(actor=hill["head"], today=TODAY)
    assert plan.counts[CONSENTS] == 2  # the closed round's, of the two due
    retention_services.purge(actor=hill["head"], today=TODAY)
    assert set(PulseConsent.objects.filter(student=leaver).values_list("round", flat=True)) == {
        draft.pk,
        hill["open"].pk,
    }


def test_the_command_refuses_a_company(hill: dict[str, Any], org: Organisation) -> None:
    with pytest.raises(CommandError, match="'acme' is not a school"):
        call_command("classroom", "retention", "--org", "acme")
    with pytest.raises(CommandError, match="'acme' is not a school"):
        call_command("classroom", "retention", "--org", "acme", "--dry-run")


def test_an_inactive_student_still_in_a_class_is_never_purged(
    hill: dict[str, Any], capsys: Any
) -> None:
    """Someone with a leaving day (an older release set one for enabledUser=false) who is
    still in a class has not left."""
    _policy(hill)
    seven = TeamFactory(organisation=hill["school"], name="7B")
    still = PersonFactory(
        organisation=hill["school"], active=False, left_at=_left(dt.date(2020, 1, 1))
    )
    MembershipFactory(team=seven, person=still)
    plan = retention_services.dry_run(actor=hill["head"], today=TODAY)
    assert still.pk not in plan.due
    assert plan.in_class == 1
    call_command("classroom", "retention", "--date", TODAY.isoformat())
    assert "1 inactive students are still in a class: kept" in capsys.readouterr().out
    # out of the class, they are a leaver like any other
    TeamMembership.objects.filter(person=still).delete()
    assert still.pk in retention_services.dry_run(actor=hill["head"], today=TODAY).due


# ---------------------------------------------------------------- leaving days from the roster


def _delta(*users: dict[str, Any]) -> dict[str, bytes]:
    records = {"users.csv": list(users)}
    return bundle.files(records, modes={"users.csv": "delta"}, demographics=False)


def _student(school: Organisation, n: int) -> Person:
    return Person.objects.get(organisation=school, email=f"student{n}@hillside.example")


def test_a_disabled_sign_in_is_no_leaving(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    """enabledUser=false (bulk or delta) deactivates, with no leaving day; tobedeleted in a
    delta, or missing from a bulk file, is leaving."""
    head = actor_of(make_person(school, Role.ADMIN))
    services.import_roster(actor=head, files=bundle.files())
    privacy_services.set_school_privacy(actor=head, recognition=False, retention_months=1)
    far = TODAY + dt.timedelta(days=3650)
    # a bulk file: student 2's sign-in disabled, student 4 missing (left)
    records = bundle.rows(students=3)
    for user in records["users.csv"]:
        if user["sourcedId"] == "st-2":
            user["enabledUser"] = "false"
    services.import_roster(actor=head, files=bundle.files(records))
    # a delta: student 3's sign-in disabled, then student 1 leaves (tobedeleted)
    services.import_roster(actor=head, files=_delta({**bundle.student(3), "enabledUser": "false"}))
    for n in (2, 3):
        disabled = _student(school, n)
        assert (disabled.active, disabled.left_at) == (False, None), n
    assert _student(school, 4).left_at is not None
    assert retention_services.dry_run(actor=head, today=far).due == [_student(school, 4).pk]
    services.import_roster(actor=head, files=_delta({**bundle.student(1), "status": "tobedeleted"}))
    assert _student(school, 1).left_at is not None
    assert (_student(school, 2).left_at, _student(school, 3).left_at) == (None, None)
    # 4 left its classes (bulk enrollments); 1's enrollment was never deleted, and 2 and 3
    # are still in theirs: kept
    plan = retention_services.dry_run(actor=head, today=far)
    assert plan.due == [_student(school, 4).pk]
    assert plan.in_class == 3  # students 1, 2 and 3


def test_leaving_again_starts_the_clock_again(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    """A stale leaving day (kept by an older release on someone reactivated) never brings a
    purge forward: going inactive again records today."""
    head = actor_of(make_person(school, Role.ADMIN))
    services.import_roster(actor=head, files=bundle.files())
    stale = _left(dt.date(2020, 1, 1))
    Person.objects.filter(email__in=[f"student{n}@hillside.example" for n in (3, 4)]).update(
        left_at=stale
    )
    start = timezone.now()
    services.import_roster(actor=head, files=_delta({**bundle.student(3), "status": "tobedeleted"}))
    left_at = _student(school, 3).left_at
    assert left_at is not None
    assert left_at >= start
    # leaving again while gone keeps the first day
    services.import_roster(actor=head, files=_delta({**bundle.student(3), "status": "tobedeleted"}))
    assert _student(school, 3).left_at == left_at
    # a bulk file without student 4 (they left), with student 3 again (back)
    services.import_roster(actor=head, files=bundle.files(bundle.rows(students=3)))
    left_at = _student(school, 4).left_at
    assert left_at is not None
    assert left_at >= start
    assert _student(school, 3).left_at is None


def test_every_way_back_clears_the_leaving_day(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    head = actor_of(make_person(school, Role.ADMIN))
    services.import_roster(actor=head, files=bundle.files())
    services.import_roster(actor=head, files=_delta({**bundle.student(3), "status": "tobedeleted"}))
    assert _student(school, 3).left_at is not None
    # back through a delta that names them again, even with a disabled sign-in
    services.import_roster(actor=head, files=_delta({**bundle.student(3), "enabledUser": "false"}))
    assert _student(school, 3).left_at is None
    # back as a head teacher through the command line's createadmin
    gone = PersonFactory(organisation=school, email="back@hill.example", active=False)
    Person.objects.filter(pk=gone.pk).update(left_at=_left(dt.date(2020, 1, 1)))
    core_services.create_admin(
        email="back@hill.example", password="a long pass phrase 1", organisation=school
    )
    gone.refresh_from_db()
    assert (gone.active, gone.left_at) == (True, None)
