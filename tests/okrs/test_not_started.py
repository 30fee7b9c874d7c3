"""'Not started' (issue 18, item 9): a key result with no check-in yet is not judged on pace
for its first 14 days, and a child not started never drags its parent down.

The cycle runs 100 days from START; a key result added on day a is not started on day
a + 13 (one day before the grace ends), judged on day a + 14 (exactly on the end) and on
day a + 15 (one day after). Expected answers are worked out by hand from docs/methods.md.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ampwork.okrs import progress as p

START = dt.date(2026, 10, 1)
END = START + dt.timedelta(days=100)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def kr(
    pk: int,
    objective: int,
    current: float | None,
    *,
    added: int = 0,
    checked: int | None = None,
    weight: float = 1.0,
) -> p.KRInput:
    """A numeric key result from 0 to 1, added on day ``added``, last checked in on day
    ``checked`` (never when None)."""
    return p.KRInput(
        id=pk,
        objective_id=objective,
        kind="numeric",
        start=0.0,
        target=1.0,
        current=current,
        done=False,
        low=None,
        high=None,
        weight=weight,
        last_check_in=day(checked) if checked is not None else None,
        created=day(added),
    )


def objective(pk: int, added: int = 0) -> p.ObjectiveInput:
    return p.ObjectiveInput(pk, START, END, day(added))


# ---------------------------------------------------------------- the rule


def test_grace_is_the_stale_window() -> None:
    assert p.GRACE_DAYS == p.STALE_DAYS == 14


@pytest.mark.parametrize(
    ("today", "expected"),
    [(13, True), (14, False), (15, False)],  # one day before, exactly on, one day after
)
def test_not_started_until_the_grace_ends(today: int, expected: bool) -> None:
    assert p.not_started(None, day(0), day(today)) is expected


@pytest.mark.parametrize("today", [0, 1, 13])
def test_a_check_in_starts_it_at_once(today: int) -> None:
    assert p.not_started(day(0), day(0), day(today)) is False


def test_not_started_and_stale_never_overlap_and_always_meet() -> None:
    """Without a check-in, a key result is either not started or stale, never both: the
    grace ends the day staleness begins."""
    for n in range(40):
        assert p.not_started(None, day(0), day(n)) != p.is_stale(None, day(0), day(n))


# ---------------------------------------------------------------- a key result


@pytest.mark.parametrize(
    ("today", "status"), [(49, p.NOT_STARTED), (50, p.OFF_TRACK), (51, p.OFF_TRACK)]
)
def test_a_new_key_result_is_not_started_then_judged(today: int, status: str) -> None:
    """Added on day 36, no check-in: not started on day 49, judged (0 of expected 0.5,
    off track) from day 50."""
    _, krs = p.evaluate([objective(1)], [kr(10, 1, None, added=36)], [], day(today))
    assert krs[10].started is (today >= 50)
    assert krs[10].pacing == status
    assert krs[10].progress.value == 0.0


def test_not_started_says_why() -> None:
    _, krs = p.evaluate([objective(1)], [kr(10, 1, None, added=40)], [], day(45))
    assert krs[10].pacing == p.NOT_STARTED
    assert "no check-in yet" in krs[10].expected.how
    assert krs[10].expected.value == pytest.approx(0.45)


def test_before_the_cycle_everything_waits_for_the_cycle() -> None:
    results, krs = p.evaluate([objective(1)], [kr(10, 1, 0.9, checked=-3)], [], day(-2))
    assert krs[10].pacing == p.NOT_STARTED
    assert krs[10].expected.how == "the cycle has not started"
    assert results[1].pacing == p.NOT_STARTED


# ---------------------------------------------------------------- objectives


def test_a_new_key_result_does_not_drag_its_objective_down() -> None:
    """Day 50 (expected 0.5): a key result at 0.6 and a new one (day 45, no check-in). The
    shown progress is the plain mean, 0.3; pacing is judged on the started one: on track."""
    results, _ = p.evaluate(
        [objective(1)], [kr(10, 1, 0.6, checked=49), kr(11, 1, None, added=45)], [], day(50)
    )
    assert results[1].progress.value == pytest.approx(0.3)
    assert results[1].judged is not None
    assert results[1].judged.value == pytest.approx(0.6)
    assert results[1].pacing == p.ON_TRACK
    assert "judged on the 1 started of 2 (0.60): 1 not started yet" in results[1].expected.how


@pytest.mark.parametrize(
    ("today", "status"), [(58, p.ON_TRACK), (59, p.OFF_TRACK), (60, p.OFF_TRACK)]
)
def test_once_its_grace_ends_the_new_key_result_counts(today: int, status: str) -> None:
    """The same objective: the new key result (day 45) counts from day 59 on; the mean
    0.3 against expected 0.59 is off track (below 0.34)."""
    results, _ = p.evaluate(
        [objective(1)], [kr(10, 1, 0.6, checked=49), kr(11, 1, None, added=45)], [], day(today)
    )
    assert results[1].pacing == status


def test_an_objective_with_no_check_in_yet_is_not_started() -> None:
    results, _ = p.evaluate(
        [objective(1)], [kr(10, 1, None, added=40), kr(11, 1, None, added=41)], [], day(50)
    )
    assert results[1].pacing == p.NOT_STARTED
    assert results[1].judged is None
    assert "no check-in yet on any of its key results" in results[1].expected.how


@pytest.mark.parametrize(
    ("today", "status"), [(53, p.NOT_STARTED), (54, p.OFF_TRACK), (55, p.OFF_TRACK)]
)
def test_an_objective_without_key_results_has_the_same_grace(today: int, status: str) -> None:
    results, _ = p.evaluate([objective(1, added=40)], [], [], day(today))
    assert results[1].pacing == status
    if status == p.NOT_STARTED:
        assert "no key result yet" in results[1].expected.how


def test_a_new_child_objective_does_not_drag_its_parent_down() -> None:
    """The parent has a key result at 0.6; a contributing child was added on day 45 with a
    key result not checked in yet. Shown: (0.6 + 0) / 2 = 0.3. Judged: 0.6, on track."""
    results, _ = p.evaluate(
        [objective(1), objective(2, added=45)],
        [kr(10, 1, 0.6, checked=49), kr(20, 2, None, added=45)],
        [(2, 1)],
        day(50),
    )
    assert results[2].pacing == p.NOT_STARTED
    assert results[1].progress.value == pytest.approx(0.3)
    assert results[1].pacing == p.ON_TRACK


def test_a_started_child_counts_with_what_it_is_judged_on() -> None:
    """Child: one key result at 0.2 and one new → judged 0.2. Parent: no key results of
    its own, only the child → judged 0.2 against expected 0.5: off track."""
    results, _ = p.evaluate(
        [objective(1), objective(2)],
        [kr(20, 2, 0.2, checked=49), kr(21, 2, None, added=45)],
        [(2, 1)],
        day(50),
    )
    assert results[2].judged is not None
    assert results[2].judged.value == pytest.approx(0.2)
    assert results[1].pacing == p.OFF_TRACK


def test_weights_count_among_the_started() -> None:
    """Judged = (0.9 × 3 + 0.1 × 1) / 4 = 0.7 (the new key result, weight 5, aside)."""
    results, _ = p.evaluate(
        [objective(1)],
        [
            kr(10, 1, 0.9, checked=49, weight=3),
            kr(11, 1, 0.1, checked=49),
            kr(12, 1, None, added=45, weight=5),
        ],
        [],
        day(50),
    )
    assert results[1].judged is not None
    assert results[1].judged.value == pytest.approx(0.7)
    assert results[1].progress.value == pytest.approx((2.7 + 0.1) / 9)


def test_judging_is_exact_on_the_boundary() -> None:
    """Judged 0.4 exactly on expected 0.5 − 0.10 (day 50): on track, as every boundary."""
    results, _ = p.evaluate(
        [objective(1)],
        [kr(10, 1, 0.3, checked=49), kr(11, 1, 0.5, checked=49), kr(12, 1, None, added=45)],
        [],
        day(50),
    )
    assert results[1].pacing == p.ON_TRACK


# ---------------------------------------------------------------- teams


def result(progress: float, judged: float | None) -> p.ObjectiveResult:
    return p.ObjectiveResult(
        progress=p.Explained(progress, ""),
        lowest=None,
        pacing="",
        expected=p.Explained(0.0, ""),
        score=None,
        band=None,
        judged=p.Explained(judged, "") if judged is not None else None,
    )


def test_a_team_is_judged_on_its_started_objectives() -> None:
    shown, status = p.team_rollup([result(0.6, 0.6), result(0.0, None)], START, END, day(50))
    assert shown is not None
    assert shown.value == pytest.approx(0.3)  # shown: the mean of all
    assert status == p.ON_TRACK  # judged: 0.6 against expected 0.5


def test_a_team_with_nothing_started_is_not_started() -> None:
    assert p.team_rollup([result(0.0, None)], START, END, day(50))[1] == p.NOT_STARTED
    assert p.team_rollup([], START, END, day(50)) == (None, p.NOT_STARTED)


# ---------------------------------------------------------------- properties


progress_values = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(
    started=st.lists(progress_values, min_size=1, max_size=5),
    waiting=st.integers(min_value=1, max_value=4),
    today=st.integers(min_value=14, max_value=100),
)
def test_adding_new_key_results_never_changes_the_status(
    started: list[float], waiting: int, today: int
) -> None:
    """Whatever the started key results, new ones (no check-in, within their grace) leave
    the objective's pacing exactly as it was without them."""
    krs = [kr(i, 1, v, checked=today) for i, v in enumerate(started)]
    new = [kr(100 + i, 1, None, added=today - 13 + (i % 14)) for i in range(waiting)]
    before, _ = p.evaluate([objective(1)], krs, [], day(today))
    after, _ = p.evaluate([objective(1)], krs + new, [], day(today))
    assert after[1].pacing == before[1].pacing
    assert after[1].progress.value <= before[1].progress.value + 1e-12  # 0s only pull down


@given(
    values=st.lists(st.one_of(st.none(), progress_values), min_size=1, max_size=6),
    today=st.integers(min_value=0, max_value=100),
)
def test_not_started_exactly_when_nothing_started(values: list[float | None], today: int) -> None:
    """An objective is not started (in a running cycle) exactly when none of its key
    results has a check-in or an ended grace."""
    krs = [
        kr(i, 1, v, checked=today) if v is not None else kr(i, 1, None, added=today)
        for i, v in enumerate(values)
    ]
    results, _ = p.evaluate([objective(1)], krs, [], day(today))
    assert (results[1].pacing == p.NOT_STARTED) == all(v is None for v in values)


# ---------------------------------------------------------------- written before the cycle


@pytest.mark.parametrize(
    ("today", "started", "stale"),
    [(13, False, False), (14, True, True), (15, True, True)],
    ids=["cycle-day-13", "cycle-day-14", "cycle-day-15"],
)
def test_a_key_result_written_before_its_cycle_counts_from_the_first_day(
    today: int, started: bool, stale: bool
) -> None:
    """Drafting next quarter's OKRs three weeks early must not make them stale (and at
    risk) on the cycle's first day: the 14 days count from the cycle's start."""
    early = kr(1, 1, 0.0, added=-21)
    _, krs = p.evaluate([objective(1, added=-21)], [early], [], day(today))
    assert krs[1].started is started
    assert krs[1].stale is stale
    assert p.clock_from(day(-21), START) == START
    assert p.clock_from(day(3), START) == day(3)


def test_an_empty_objective_written_before_its_cycle_is_not_started_on_day_13() -> None:
    early = objective(1, added=-30)
    assert p.evaluate([early], [], [], day(13))[0][1].pacing == p.NOT_STARTED
    assert p.evaluate([early], [], [], day(14))[0][1].pacing != p.NOT_STARTED
