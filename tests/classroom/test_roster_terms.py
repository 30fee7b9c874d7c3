"""Terms from a OneRoster roster (issue 20): each academic session of type term or semester
becomes an OKR cycle, matched by its sourcedId — a re-import or a delta updates the same
cycle, a delta's tobedeleted closes it only while it holds no objective; bad dates are
refused with file, line and column and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ampwork.classroom import services
from ampwork.classroom.models import Guardian, GuardianOf, RosterRecord
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.okrs.models import Cycle, Objective

from . import bundle


@pytest.fixture
def head_actor(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> Actor:
    return actor_of(make_person(school, Role.ADMIN, name="Hana Head"))


def _snapshot() -> tuple[int, ...]:
    models: tuple[Any, ...] = (
        Person,
        Team,
        TeamMembership,
        RosterRecord,
        Guardian,
        GuardianOf,
        AuditEvent,
        Cycle,
    )
    return tuple(m.objects.count() for m in models)


def _refused(actor: Actor, files: dict[str, bytes]) -> list[tuple[str | None, int | None, str]]:
    before = _snapshot()
    with pytest.raises(ValidationFailed) as caught:
        services.import_roster(actor=actor, files=files)
    assert _snapshot() == before, "a refused roster wrote something"
    return [(e.file, e.line, e.field) for e in caught.value.errors]


def _session(sid: str, title: str, kind: str, start: str, end: str) -> dict[str, str]:
    return {
        "sourcedId": sid,
        "title": title,
        "type": kind,
        "startDate": start,
        "endDate": end,
        "parentSourcedId": "year-2026",
        "schoolYear": "2026",
    }


def _term(school: Organisation) -> Cycle:
    record = RosterRecord.objects.get(organisation=school, kind="session", sourced_id="term-1")
    assert record.cycle is not None
    return record.cycle


def test_a_bulk_roster_makes_each_term_and_semester_a_cycle(
    head_actor: Actor, school: Organisation
) -> None:
    records = bundle.rows()
    records["academicSessions.csv"] += [
        _session("sem-2", "Spring semester", "semester", "2026-01-05", "2026-07-20"),
        _session("gp-1", "First half of autumn", "gradingPeriod", "2025-09-01", "2025-10-24"),
    ]
    result = services.import_roster(actor=head_actor, files=bundle.files(records))
    assert result.counts["terms"]["created"] == 2
    cycles = {c.name: (c.start, c.end, c.status) for c in Cycle.objects.filter(organisation=school)}
    assert cycles == {
        "Autumn term": (dt.date(2025, 9, 1), dt.date(2025, 12, 19), Cycle.Status.OPEN),
        "Spring semester": (dt.date(2026, 1, 5), dt.date(2026, 7, 20), Cycle.Status.OPEN),
    }  # the school year and the grading period are no cycles
    assert _term(school).name == "Autumn term"
    year = RosterRecord.objects.get(organisation=school, kind="session", sourced_id="year-2026")
    assert year.cycle is None
    assert any("school years and grading periods" in note for note in result.notes)


def test_the_preview_counts_terms_and_writes_none(head_actor: Actor, school: Organisation) -> None:
    result = services.check_roster(actor=head_actor, files=bundle.files())
    assert result.counts["terms"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "removed": 0,
    }
    assert not Cycle.objects.filter(organisation=school).exists()


def test_a_re_import_updates_the_same_cycle(head_actor: Actor, school: Organisation) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    cycle = _term(school)
    again = services.import_roster(actor=head_actor, files=bundle.files())
    assert again.counts["terms"]["unchanged"] == 1
    records = bundle.rows()
    records["academicSessions.csv"][1].update(
        title="Autumn term 2025", startDate="2025-09-03", endDate="2025-12-18"
    )
    result = services.import_roster(actor=head_actor, files=bundle.files(records))
    assert result.counts["terms"]["updated"] == 1
    assert Cycle.objects.filter(organisation=school).count() == 1
    cycle.refresh_from_db()
    assert (cycle.name, cycle.start, cycle.end) == (
        "Autumn term 2025",
        dt.date(2025, 9, 3),
        dt.date(2025, 12, 18),
    )


def test_a_closed_term_is_never_changed_by_a_later_roster(
    head_actor: Actor, school: Organisation
) -> None:
    """A closed cycle is a finished term's record (scored, reviewed): a roster that renames
    or re-dates its session leaves it as it was, and counts it unchanged."""
    services.import_roster(actor=head_actor, files=bundle.files())
    cycle = _term(school)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    records = bundle.rows()
    records["academicSessions.csv"][1].update(title="Autumn term, renamed", endDate="2025-12-18")
    result = services.import_roster(actor=head_actor, files=bundle.files(records))
    assert result.counts["terms"]["unchanged"] == 1
    assert result.counts["terms"]["updated"] == 0
    cycle.refresh_from_db()
    assert (cycle.name, cycle.end, cycle.status) == (
        "Autumn term",
        dt.date(2025, 12, 19),
        Cycle.Status.CLOSED,
    )


def test_a_cycle_the_school_made_is_never_taken_over(
    head_actor: Actor, school: Organisation
) -> None:
    own = Cycle.objects.create(
        organisation=school,
        name="Autumn term",
        start=dt.date(2024, 9, 1),
        end=dt.date(2024, 12, 20),
    )
    services.import_roster(actor=head_actor, files=bundle.files())
    assert _term(school).name == "Autumn term (2026)"
    own.refresh_from_db()
    assert (own.name, own.start) == ("Autumn term", dt.date(2024, 9, 1))


def _delta(*sessions: dict[str, str]) -> dict[str, bytes]:
    return bundle.files(
        {"academicSessions.csv": list(sessions)},
        modes={"academicSessions.csv": "delta"},
        demographics=False,
    )


def test_a_delta_updates_adds_and_closes_an_empty_term(
    head_actor: Actor, school: Organisation
) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    cycle = _term(school)
    moved = _session("term-1", "Autumn term", "term", "2025-09-01", "2025-12-20")
    spring = _session("term-2", "Spring term", "term", "2026-01-05", "2026-03-27")
    result = services.import_roster(actor=head_actor, files=_delta(moved, spring))
    assert (result.counts["terms"]["created"], result.counts["terms"]["updated"]) == (1, 1)
    cycle.refresh_from_db()
    assert cycle.end == dt.date(2025, 12, 20)
    assert Cycle.objects.get(organisation=school, name="Spring term").start == dt.date(2026, 1, 5)

    gone = {**moved, "status": "tobedeleted"}
    result = services.import_roster(actor=head_actor, files=_delta(gone))
    assert result.counts["terms"]["deactivated"] == 1
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.CLOSED
    assert cycle.closed_at is not None
    assert Cycle.objects.get(name="Spring term").is_open
    assert not RosterRecord.objects.get(kind="session", sourced_id="term-1").active


def test_a_delta_keeps_a_term_that_holds_goals_and_says_so(
    head_actor: Actor, school: Organisation, make_person: Callable[..., Person]
) -> None:
    services.import_roster(actor=head_actor, files=bundle.files())
    cycle = _term(school)
    student = Person.objects.get(organisation=school, email="student1@hillside.example")
    Objective.objects.create(
        organisation=school,
        cycle=cycle,
        owner_kind=Objective.OwnerKind.PERSON,
        owner_person=student,
        author=student,
        title="Read ten books",
    )
    gone = {**_session("term-1", "Autumn term", "term", "2025-09-01", "2025-12-19")}
    gone["status"] = "tobedeleted"
    preview = services.check_roster(actor=head_actor, files=_delta(gone))
    assert preview.counts["terms"]["deactivated"] == 0
    assert any(
        "line 2: Autumn term is to be deleted but its cycle holds 1 objective" in note
        for note in preview.notes
    )
    services.import_roster(actor=head_actor, files=_delta(gone))
    cycle.refresh_from_db()
    assert cycle.is_open


@pytest.mark.parametrize(
    ("start", "end", "column"),
    [
        ("2025-09-01", "2025-09-01", "endDate"),  # the same day: a cycle ends after it starts
        ("2025-09-01", "2025-08-31", "endDate"),
        ("2025-09-31", "2025-12-19", "startDate"),
        ("1 Sept 2025", "2025-12-19", "startDate"),
        ("2025-09-01", "2027-11-11", "endDate"),  # 801 days
    ],
)
def test_bad_term_dates_name_file_line_and_column_and_write_nothing(
    head_actor: Actor, start: str, end: str, column: str
) -> None:
    records = bundle.rows()
    records["academicSessions.csv"][1].update(startDate=start, endDate=end)
    assert ("academicSessions.csv", 3, column) in _refused(head_actor, bundle.files(records))


def test_the_day_after_and_800_days_are_accepted(head_actor: Actor, school: Organisation) -> None:
    records = bundle.rows()
    records["academicSessions.csv"][1].update(startDate="2025-09-01", endDate="2025-09-02")
    records["academicSessions.csv"].append(
        _session("sem-1", "Long semester", "semester", "2025-09-01", "2027-11-10")
    )
    services.import_roster(actor=head_actor, files=bundle.files(records))
    assert _term(school).end == dt.date(2025, 9, 2)
    assert Cycle.objects.get(organisation=school, name="Long semester").end == dt.date(2027, 11, 10)


def test_a_one_day_school_year_or_grading_period_is_no_error(head_actor: Actor) -> None:
    records = bundle.rows()
    records["academicSessions.csv"].append(
        _session("gp-9", "Exam day", "gradingPeriod", "2025-12-19", "2025-12-19")
    )
    services.import_roster(actor=head_actor, files=bundle.files(records))
    assert not Cycle.objects.filter(name="Exam day").exists()
