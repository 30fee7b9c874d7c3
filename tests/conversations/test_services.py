"""1:1 services: starting a series, the agenda, action items, holding a meeting (carry-over
exactly once, a second and a concurrent close), and the dates."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ampwork.conversations import schedule, selectors, services
from ampwork.conversations.models import ActionItem, Meeting, OneOnOne, TalkingPoint
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor

pytestmark = pytest.mark.django_db


def _agenda(pair: dict[str, Any], actor_of: Callable[[Person], Actor]) -> Meeting:
    """Each adds a point; one point discussed; two action items, one done."""
    lead, report = actor_of(pair["lead"]), actor_of(pair["report"])
    meeting = pair["meeting"]
    services.add_point(actor=report, meeting=meeting, text="My on-call load")
    talked = services.add_point(actor=lead, meeting=meeting, text="Team offsite")
    services.mark_point(actor=report, point=talked, discussed=True)
    services.add_action(actor=lead, meeting=meeting, text="Book the room", owner_id=lead.person.pk)
    done = services.add_action(
        actor=lead, meeting=meeting, text="Send the draft", owner_id=report.person.pk
    )
    services.tick_action(actor=report, item=done, done=True)
    return meeting


def test_holding_carries_over_what_is_left_once(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    meeting = _agenda(pair, actor_of)
    following = services.hold(actor=actor_of(pair["lead"]), meeting=meeting)
    assert following.pk != meeting.pk
    assert following.is_open
    assert [p.text for p in selectors.points_of(following)] == ["My on-call load"]
    carried = [row.item for row in selectors.actions_of(following, timezone.localdate())]
    assert [a.text for a in carried] == ["Book the room"]
    assert carried[0].carried_from_id is not None
    # the second close (the other participant, a moment later) changes nothing
    again = services.hold(actor=actor_of(pair["report"]), meeting=meeting)
    assert again.pk == following.pk
    assert Meeting.objects.filter(one_on_one=pair["series"]).count() == 2
    assert TalkingPoint.objects.filter(meeting=following).count() == 1
    assert ActionItem.objects.filter(meeting=following).count() == 1


def test_an_undone_item_travels_until_it_is_done(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    lead = actor_of(pair["lead"])
    meeting = pair["meeting"]
    first = services.add_action(
        actor=lead, meeting=meeting, text="Fix the flaky test", owner_id=pair["report"].pk
    )
    second = services.hold(actor=lead, meeting=meeting)
    third = services.hold(actor=lead, meeting=second)
    (travelled,) = ActionItem.objects.filter(meeting=third)
    assert travelled.carried_from.carried_from_id == first.pk  # type: ignore[union-attr]
    services.tick_action(actor=actor_of(pair["report"]), item=travelled, done=True)
    fourth = services.hold(actor=lead, meeting=third)
    assert not ActionItem.objects.filter(meeting=fourth).exists()
    # each row was carried once: no row is the source of two
    sources = list(
        ActionItem.objects.exclude(carried_from=None).values_list("carried_from", flat=True)
    )
    assert len(sources) == len(set(sources)) == 2


def test_a_held_meeting_takes_no_more_agenda(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    lead = actor_of(pair["lead"])
    meeting = pair["meeting"]
    point = services.add_point(actor=lead, meeting=meeting, text="Before")
    services.hold(actor=lead, meeting=meeting)
    meeting.refresh_from_db()
    with pytest.raises(ValidationFailed, match="held"):
        services.add_point(actor=lead, meeting=meeting, text="After")
    point.refresh_from_db()
    with pytest.raises(ValidationFailed, match="held"):
        services.mark_point(actor=lead, point=point, discussed=True)


@pytest.mark.django_db(transaction=True)
def test_closes_at_the_same_moment_open_one_next_meeting(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    """Both participants (each twice) press "hold" at once: one next meeting, every point
    carried once."""
    lead = make_person(org, Role.MANAGER)
    report = make_person(org, manager=lead)
    series = services.start(actor=actor_of(lead), with_id=report.pk, relationship="report")
    meeting = services.open_meeting_of(series)
    for i in range(3):
        services.add_point(actor=actor_of(report), meeting=meeting, text=f"point {i}")
    headers = [bearer(lead), bearer(report)] * 2
    barrier = threading.Barrier(len(headers))
    statuses: list[int] = []

    def post(auth: dict[str, str]) -> None:
        barrier.wait()
        response = Client().post(
            f"/api/v1/one-on-ones/meetings/{meeting.pk}/hold", "{}", "application/json", **auth
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=post, args=(h,)) for h in headers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 4
    assert Meeting.objects.filter(one_on_one=series).count() == 2
    following = Meeting.objects.get(one_on_one=series, held_at=None)
    assert sorted(
        TalkingPoint.objects.filter(meeting=following).values_list("text", flat=True)
    ) == [
        "point 0",
        "point 1",
        "point 2",
    ]


def test_who_may_start_what(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    lead = make_person(org, Role.MANAGER)
    report = make_person(org, manager=lead)
    stranger = make_person(org)
    # a manager 1:1 needs the reporting line, either way round
    with pytest.raises(ValidationFailed, match=r"not .*manager"):
        services.start(actor=actor_of(report), with_id=stranger.pk, relationship="manager")
    with pytest.raises(ValidationFailed, match=r"not .*manager"):
        services.start(actor=actor_of(stranger), with_id=report.pk, relationship="report")
    # a mentor may be anyone in the organisation
    mentoring = services.start(actor=actor_of(stranger), with_id=report.pk, relationship="mentee")
    assert (mentoring.person, mentoring.lead, mentoring.kind) == (report, stranger, "mentor")
    with pytest.raises(ValidationFailed, match="already"):
        services.start(actor=actor_of(report), with_id=stranger.pk, relationship="mentor")
    with pytest.raises(ValidationFailed, match="two people"):
        services.start(actor=actor_of(report), with_id=report.pk, relationship="mentor")
    # never a 1:1 between two other people: the actor is always one of the two
    assert OneOnOne.objects.filter(person=report, lead=lead).count() == 0
    started = services.start(actor=actor_of(lead), with_id=report.pk, relationship="report")
    assert (started.person, started.lead, started.started_by) == (report, lead, lead)


def test_someone_else_cannot_touch_the_agenda(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    for outsider in ("colleague", "ops", "admin"):
        with pytest.raises(NotAllowed):
            services.add_point(actor=actor_of(pair[outsider]), meeting=pair["meeting"], text="x")
        with pytest.raises(NotAllowed):
            services.hold(actor=actor_of(pair[outsider]), meeting=pair["meeting"])


def test_an_action_item_is_one_of_the_two_peoples(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    with pytest.raises(ValidationFailed, match="one of the two"):
        services.add_action(
            actor=actor_of(pair["lead"]),
            meeting=pair["meeting"],
            text="x",
            owner_id=pair["colleague"].pk,
        )


def test_overdue_is_yesterday_not_today(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    today = dt.date(2026, 12, 1)
    assert schedule.is_overdue(today - dt.timedelta(days=1), False, today)
    assert not schedule.is_overdue(today, False, today)
    assert not schedule.is_overdue(today + dt.timedelta(days=1), False, today)
    assert not schedule.is_overdue(today - dt.timedelta(days=1), True, today)
    assert not schedule.is_overdue(None, False, today)
    # through the page's rows: an item due today shows no "overdue" until tomorrow
    item = services.add_action(
        actor=actor_of(pair["lead"]),
        meeting=pair["meeting"],
        text="Due today",
        owner_id=pair["lead"].pk,
        due=timezone.localdate(),
    )
    (row,) = selectors.actions_of(pair["meeting"], timezone.localdate())
    assert row.item.pk == item.pk
    assert not row.overdue
    (row,) = selectors.actions_of(pair["meeting"], timezone.localdate() + dt.timedelta(days=1))
    assert row.overdue


def test_next_meeting_dates() -> None:
    assert schedule.add_cadence(dt.date(2026, 12, 1), "weekly") == dt.date(2026, 12, 8)
    assert schedule.add_cadence(dt.date(2026, 12, 1), "fortnightly") == dt.date(2026, 12, 15)
    assert schedule.add_cadence(dt.date(2026, 12, 31), "monthly") == dt.date(2027, 1, 31)
    assert schedule.add_cadence(dt.date(2027, 1, 31), "monthly") == dt.date(2027, 2, 28)
    assert schedule.add_cadence(dt.date(2028, 1, 31), "monthly") == dt.date(2028, 2, 29)
    # held late: a cadence after the day it was held, not after the day planned
    assert schedule.next_meeting(dt.date(2026, 12, 1), dt.date(2026, 12, 3), "weekly") == (
        dt.date(2026, 12, 10)
    )
    assert schedule.next_meeting(dt.date(2026, 12, 1), dt.date(2026, 11, 30), "weekly") == (
        dt.date(2026, 12, 8)
    )
    with pytest.raises(ValueError):
        schedule.add_cadence(dt.date(2026, 12, 1), "daily")


def test_first_meeting_not_in_the_past(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    lead = make_person(org, Role.MANAGER)
    report = make_person(org, manager=lead)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="past"):
        services.start(
            actor=actor_of(lead), with_id=report.pk, relationship="report", first_meeting=yesterday
        )
    series = services.start(
        actor=actor_of(lead),
        with_id=report.pk,
        relationship="report",
        first_meeting=timezone.localdate(),
    )
    assert services.open_meeting_of(series).date == timezone.localdate()
