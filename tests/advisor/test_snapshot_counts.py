"""The advisor's snapshot counts in the database what it once read row by row (issue 19):
reviews per person and window, key results per owner and team, the organisation's purpose
coverage, everyone's autonomy levels. Each count is checked here against the plain rule
applied to the rows themselves — the way the snapshot computed it before — at the edges of
every window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from ampwork.advisor.data import RECENT_WEEKS, WINDOW, WINDOW_BEFORE, gather
from ampwork.autonomy import selectors as autonomy_selectors
from ampwork.autonomy.models import LedgerEntry
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.mastery.models import Review
from ampwork.mastery.selectors import week_of
from ampwork.okrs import progress
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs.models import KeyResult, Objective
from ampwork.okrs.services import derived
from ampwork.purpose import selectors as purpose_selectors
from ampwork.purpose.models import PurposeLink
from tests.factories import (
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
)


def _weeks_back(n: int) -> dt.date:
    return week_of(timezone.localdate()) - dt.timedelta(weeks=n)


@pytest.mark.django_db
def test_review_shares_and_completion_count_each_window_to_its_edges(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    """One person per week back, 0 to 10, each with a review of that week only, plus one who
    wrote every week: the recent share counts this week and the one before (not two back);
    completion counts the four full weeks ending one week back (1–4) and those ending
    WINDOW_BEFORE back (5–8), never week 0, 9 or 10."""
    assert (RECENT_WEEKS, WINDOW, WINDOW_BEFORE) == (2, 4, 5)
    people = {n: make_person(org, name=f"Week {n}") for n in range(11)}
    steady = make_person(org, name="Every week")
    make_person(org, name="Never")
    gone = make_person(org, name="Gone", active=False)
    pairs = [(people[n].pk, _weeks_back(n)) for n in range(11)]
    pairs += [(steady.pk, _weeks_back(n)) for n in range(11)]
    pairs += [(gone.pk, _weeks_back(n)) for n in range(11)]  # inactive: never counted
    for person, week in pairs:
        Review.objects.create(organisation=org, person_id=person, week=week, wins="w")
    data = gather(org)
    active = data.people
    assert len(active) == 13

    # the plain rule over the rows, as the snapshot computed it before
    this = _weeks_back(0)

    def share(weeks: int) -> float:
        since = this - dt.timedelta(weeks=weeks - 1)
        return len({p for p, w in pairs if p in active and w >= since}) / len(active)

    def completion(ago: int) -> float:
        last = this - dt.timedelta(weeks=ago)
        first = last - dt.timedelta(weeks=WINDOW - 1)
        done = sum(1 for p, w in pairs if p in active and first <= w <= last)
        return done / (len(active) * WINDOW)

    assert data.review_share() == share(2) == 3 / 13  # weeks 0 and 1, and the steady one
    assert data.completion(1) == completion(1) == (4 + 4) / (13 * 4)
    assert data.completion(WINDOW_BEFORE) == completion(5) == (4 + 4) / (13 * 4)
    assert [p for p in (*people.values(), steady) if data.wrote_this_week(p.pk)] == [
        people[0],
        steady,
    ]


@pytest.mark.django_db
def test_key_results_per_team_are_counted_once_and_stale_by_the_okr_rule(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    """A team's key results: its own objectives' and its members' — a member's key result
    in the team's own objective once, not twice. Staleness at 13, 14 and 15 days, and a key
    result with no check-in counted from its clock, agree with cycle_key_results (one row
    per key result, judged in Python)."""
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=org, start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=30)
    )
    team = TeamFactory(organisation=org, name="Crew")
    other = TeamFactory(organisation=org, name="Other")
    ann, bob, cy = (make_person(org, name=n) for n in ("Ann", "Bob", "Cy"))
    MembershipFactory(team=team, person=ann)
    MembershipFactory(team=team, person=bob)
    MembershipFactory(team=other, person=cy)
    own = ObjectiveFactory(cycle=cycle, owner_person=None, owner_team=team, owner_kind="team")
    anns = ObjectiveFactory(cycle=cycle, owner_person=ann, author=ann)
    cys = ObjectiveFactory(cycle=cycle, owner_person=cy, author=cy)
    for objective, owner, days in (
        (own, ann, 13),  # a member's key result in the team's objective
        (own, cy, 14),  # someone else's in the team's objective: the team's
        (anns, ann, 15),
        (anns, ann, None),  # never checked in: its clock, 20 days ago
        (cys, cy, 13),
    ):
        kr = KeyResultFactory(objective=objective, owner=owner)
        derived.refresh([objective.pk])  # the stored numbers, as the services keep them
        KeyResult.objects.filter(pk=kr.pk).update(  # then its dates, as weeks went by
            last_check_in=None if days is None else today - dt.timedelta(days=days),
            clock=today - dt.timedelta(days=20),
        )
    data = gather(org)
    ref = okr_selectors.started_open_cycle(org, today)
    assert ref is not None
    rows = okr_selectors.cycle_key_results(ref, today)  # one per key result

    def plain(team_id: int | None) -> tuple[int, int]:
        if team_id is None:
            chosen = rows
        else:
            people = data.scope(team_id)
            chosen = [r for r in rows if r.team_id == team_id or r.owner_id in people]
        return len(chosen), sum(1 for r in chosen if r.stale)

    assert plain(None) == (5, 3) == (data.key_result_count(), data.stale_count())
    assert plain(team.pk) == (4, 3) == (data.key_result_count(team.pk), data.stale_count(team.pk))
    other_counts = (data.key_result_count(other.pk), data.stale_count(other.pk))
    assert plain(other.pk) == (2, 1) == other_counts  # Cy's two, one of them in Crew's objective
    assert data.stale_share(team.pk) == 3 / 4
    assert data.checked_in_lately(team.pk)
    assert data.checked_in_lately(other.pk)
    # every one stale: nothing checked in lately
    assert progress.STALE_DAYS == 14
    KeyResult.objects.filter(objective=cys).update(last_check_in=today - dt.timedelta(days=14))
    assert not gather(org).checked_in_lately(other.pk)


@pytest.mark.django_db
def test_the_home_pages_coverage_share_is_the_coverage_pages_own(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    """The admin's home counts coverage in the database; the coverage page's organisation
    line counts the same objectives — for an admin (who sees a private one) and for a
    member (who does not), and with none linked, one linked, or all of them."""
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=org, start=today - dt.timedelta(days=10), end=today + dt.timedelta(days=80)
    )
    admin = make_person(org, role="admin", name="Ada")
    member = make_person(org, name="Mo")
    shared = ObjectiveFactory(cycle=cycle, owner_person=admin, author=admin)
    private = ObjectiveFactory(
        cycle=cycle, owner_person=admin, author=admin, visibility=Objective.Visibility.PRIVATE
    )
    ObjectiveFactory(cycle=cycle, owner_person=admin, author=admin, status="dropped")
    for who in (admin, member):
        actor = actor_of(who)
        expected = purpose_selectors.coverage(actor)[0]
        assert purpose_selectors.organisation_coverage(actor) == expected
    assert expected is not None
    assert (expected.objectives, expected.covered) == (1, 0)  # the member: the shared one
    for linked in (private, shared):
        PurposeLink.objects.create(organisation=org, objective=linked)
        for who in (admin, member):
            actor = actor_of(who)
            assert (
                purpose_selectors.organisation_coverage(actor)
                == purpose_selectors.coverage(actor)[0]
            )
    found = purpose_selectors.organisation_coverage(actor_of(admin))
    assert found is not None
    assert (found.objectives, found.covered) == (2, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("asked", [2, 3])  # FEW, just above it (FEW is 2 here)
def test_levels_for_many_people_are_those_for_each_alone(
    org: Organisation,
    make_person: Callable[..., Person],
    monkeypatch: pytest.MonkeyPatch,
    asked: int,
) -> None:
    """Above FEW people the memberships are read for the whole organisation, not by id: the
    levels are the same as asking for each person alone (own entries, a team default
    inherited from the team above, people outside the question ignored)."""
    monkeypatch.setattr(autonomy_selectors, "FEW", 2)
    top = TeamFactory(organisation=org, name="Top")
    inner = TeamFactory(organisation=org, name="Inner", parent=top)
    people = [make_person(org, name=f"P{i}") for i in range(4)]
    for person in people:
        MembershipFactory(team=inner, person=person)
    LedgerEntry.objects.create(organisation=org, team=top, t="time", level=2, why="team")
    LedgerEntry.objects.create(organisation=org, person=people[1], t="task", level=3, why="p")
    LedgerEntry.objects.create(organisation=org, person=people[3], t="team", level=1, why="p")
    ids = [p.pk for p in people[:asked]]
    together = autonomy_selectors.levels_for(org, ids)
    assert set(together) == set(ids)
    for pk in ids:
        monkeypatch.setattr(autonomy_selectors, "FEW", 100)
        alone = autonomy_selectors.levels_for(org, [pk])[pk]
        assert together[pk] == alone
    assert together[people[0].pk]["time"] == 2  # from the team above
    assert together[people[1].pk]["task"] == 3
