"""Summaries computed once per change of their data (ampwork.core.summaries): every kind of
write moves the version of the app it touches — the ORM, bulk, queryset updates, raw SQL,
deletes — and nothing else does; a summary is read back until then; a slow one may be
served late for at most two minutes and says so, but never to the person who changed it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from ampwork.core import summaries
from ampwork.core.models import AuditEvent, Organisation, Person, Team, TeamMembership
from ampwork.okrs.models import Cycle

pytestmark = pytest.mark.django_db


def _moved(app: str, write: Callable[[], Any]) -> bool:
    before = summaries.versions([app])
    write()
    return summaries.versions([app]) != before


def test_every_kind_of_write_moves_its_apps_version(org: Organisation) -> None:
    team = Team.objects.create(organisation=org, name="A")
    assert _moved("core", lambda: Team.objects.create(organisation=org, name="B"))
    assert _moved("core", lambda: Team.objects.filter(pk=team.pk).update(name="A2"))
    assert _moved("core", lambda: Team.objects.bulk_create([Team(organisation=org, name="C")]))
    assert _moved("core", lambda: Team.objects.filter(name="C").delete())

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_team SET name = %s WHERE id = %s", ["A3", team.pk])

    assert _moved("core", raw)
    today = timezone.localdate()
    made = lambda: Cycle.objects.create(  # noqa: E731
        organisation=org, name="Q", start=today, end=today + dt.timedelta(days=90)
    )
    assert _moved("okrs", made)


def test_reads_and_untracked_writes_move_nothing(org: Organisation) -> None:
    everything = summaries.EVERYTHING
    before = summaries.versions(everything)
    list(Person.objects.filter(organisation=org))
    AuditEvent.objects.create(organisation=org, action="pay.viewed")  # logged on each view
    assert summaries.versions(everything) == before
    # a write to one app leaves the others' versions alone
    Team.objects.create(organisation=org, name="T")
    after = dict((app, rest) for app, *rest in summaries.versions(everything))
    was = dict((app, rest) for app, *rest in before)
    assert [app for app in everything if after[app] != was[app]] == ["core"]


def test_a_rolled_back_write_leaves_the_version_as_it_was(org: Organisation) -> None:
    before = summaries.versions(["core"])
    with pytest.raises(RuntimeError), transaction.atomic():
        Team.objects.create(organisation=org, name="gone")
        assert summaries.versions(["core"]) != before  # seen inside the transaction
        raise RuntimeError
    assert summaries.versions(["core"]) == before


def _counter() -> tuple[list[int], Callable[[], int]]:
    made: list[int] = []

    def compute() -> int:
        made.append(len(made) + 1)
        return made[-1]

    return made, compute


def test_computed_once_until_its_data_changes(org: Organisation) -> None:
    made, compute = _counter()
    first = summaries.summary("t", [org.pk], ["core"], compute)
    again = summaries.summary("t", [org.pk], ["core"], compute)
    assert (first.value, again.value, made) == (1, 1, [1])
    assert not again.stale
    assert summaries.summary("t", [org.pk], ["okrs"], compute).value == 2  # other data
    assert summaries.summary("t", [org.pk + 1], ["core"], compute).value == 3  # other key
    Organisation.objects.filter(pk=org.pk).update(name="Renamed")
    changed = summaries.summary("t", [org.pk], ["core"], compute)
    assert changed.value == 4
    assert not changed.stale


def _planted(org: Organisation, took: float, age: dt.timedelta) -> dt.datetime:
    """A cached value of the OKR data before a change, that took ``took`` s, ``age`` ago."""
    old = summaries.versions(["okrs"])
    at = timezone.now() - age
    cache.set(summaries.cache_key("t", [org.pk]), (old, at, took, "old"), 60)
    today = timezone.localdate()
    Cycle.objects.create(
        organisation=org,
        name=f"Q{Cycle.objects.count()}",
        start=today,
        end=today + dt.timedelta(days=1),
    )
    return at


def _late(org: Organisation) -> summaries.Fresh[str]:
    return summaries.summary("t", [org.pk], ["okrs"], lambda: "new")


SLOW = summaries.SLOW.total_seconds()
AGE = summaries.MAX_AGE
SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("took", "age", "late"),
    [
        (SLOW, dt.timedelta(0), True),  # slow: exactly on the threshold
        (SLOW - 0.001, dt.timedelta(0), False),  # just below: computed again
        (SLOW + 0.001, dt.timedelta(0), True),
        (SLOW, AGE - SECOND, True),  # just younger than the longest wait
        (SLOW, AGE, False),  # exactly as old: computed again
        (SLOW, AGE + SECOND, False),
    ],
)
def test_a_slow_summary_is_served_late_for_at_most_two_minutes(
    org: Organisation, took: float, age: dt.timedelta, late: bool
) -> None:
    at = _planted(org, took, age)
    fresh = _late(org)
    assert (fresh.value, fresh.stale) == (("old", True) if late else ("new", False))
    if late:
        assert abs(fresh.computed_at - at) < SECOND


def test_never_late_for_the_person_who_changed_it(org: Organisation) -> None:
    reader = SimpleNamespace(session={})
    token = summaries._request.set(reader)  # type: ignore[arg-type]
    try:
        at = _planted(org, SLOW * 5, dt.timedelta(seconds=10))
        reader.session[summaries.WROTE] = at.timestamp() + 1  # they wrote after it
        assert _late(org).value == "new"
        at = _planted(org, SLOW * 5, dt.timedelta(seconds=10))
        reader.session[summaries.WROTE] = at.timestamp() - 1  # before: served late
        assert _late(org).stale
    finally:
        summaries._request.reset(token)


def test_never_late_once_people_or_teams_changed(org: Organisation) -> None:
    """Who may see what lives in core: a summary that reads it is never served late after
    it changed (a lead removed from a team must not go on seeing it)."""
    old = summaries.versions(["core", "okrs"])
    cache.set(
        summaries.cache_key("t", [org.pk]),
        (old, timezone.now(), SLOW * 5, "old"),
        60,
    )
    Team.objects.create(organisation=org, name="moved")
    assert summaries.summary("t", [org.pk], ["core", "okrs"], lambda: "new").value == "new"


def test_never_late_inside_another_summary(org: Organisation) -> None:
    """An outer summary stores its value as exact: what it reads must be exact too."""
    _planted(org, SLOW * 5, dt.timedelta(seconds=10))
    assert _late(org).stale  # on its own: late, and says so
    _planted(org, SLOW * 5, dt.timedelta(seconds=10))
    outer = summaries.summary("outer", [org.pk], ["okrs"], lambda: _late(org).value)
    assert outer.value == "new"


def test_a_lead_removed_from_a_team_stops_seeing_it_at_once(
    crew: dict[str, Any], web: Callable[[Person], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack: a large organisation (every summary slow), a lead who is removed from
    their team reloads their home page within the two minutes a late summary may last."""
    monkeypatch.setattr(summaries, "SLOW", dt.timedelta(0))
    client = web(crew["lead"])
    assert "Your teams" in client.get("/").content.decode()  # Platform, Ann and Bob
    TeamMembership.objects.filter(person=crew["lead"], team=crew["team"]).delete()
    Person.objects.filter(manager=crew["lead"]).update(manager=None)
    assert "Your teams" not in client.get("/").content.decode()


def test_a_form_sent_marks_the_session(admin: Person, web: Callable[[Person], Any]) -> None:
    client = web(admin)
    client.get("/")
    assert summaries.WROTE not in client.session
    response = client.post("/teams/new/", {"name": "New team"})
    assert response.status_code in (200, 302)
    assert client.session[summaries.WROTE] > 0
