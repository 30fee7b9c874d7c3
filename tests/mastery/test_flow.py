"""The flow map: worked examples, too little data, and properties of the z-scoring."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ampwork.mastery import flow

MONDAY = dt.date(2026, 9, 7)


def weeks(*pairs: tuple[int, int]) -> list[tuple[dt.date, int | None, int | None]]:
    return [(MONDAY + dt.timedelta(weeks=i), c, s) for i, (c, s) in enumerate(pairs)]


def test_quadrants_by_sign() -> None:
    assert flow.quadrant(1.0, 1.0) == "flow"
    assert flow.quadrant(1.0, -1.0) == "anxiety"
    assert flow.quadrant(-1.0, 1.0) == "boredom"
    assert flow.quadrant(-1.0, -1.0) == "apathy"
    assert flow.quadrant(0.0, 1.0) == "neutral"


def test_a_worked_example_is_placed_against_the_persons_own_means() -> None:
    # challenge mean 4.5, skill mean 4.5
    found = flow.flow_map(weeks((6, 6), (6, 3), (3, 6), (3, 3)))
    assert found.enough
    assert [p.quadrant for p in found.points] == ["flow", "anxiety", "boredom", "apathy"]
    assert found.mean_challenge == 4.5
    assert found.mean_skill == 4.5
    # z-scores use the sample standard deviation (sd = √3 here)
    assert abs(found.points[0].z_challenge - 1.5 / 3**0.5) < 1e-9


def test_high_raw_ratings_can_still_be_below_the_persons_average() -> None:
    # someone who always rates 6–7: a 6/6 week is *below* their own average
    found = flow.flow_map(weeks((7, 7), (7, 7), (6, 6), (7, 7)))
    assert found.points[2].quadrant == "apathy"


def test_lately_names_a_quadrant_only_when_recent_weeks_agree() -> None:
    calm = [(4, 5), (4, 4), (5, 5), (4, 5), (4, 4), (5, 5), (4, 5), (4, 4)]
    found = flow.flow_map(weeks(*calm, (7, 2), (7, 2), (6, 2), (7, 2)))
    assert found.recent == "anxiety"
    mixed = flow.flow_map(weeks(*calm, (7, 2), (2, 7), (6, 6), (1, 1)))
    assert mixed.recent is None
    assert mixed.enough


def test_fewer_than_four_rated_weeks_say_so_and_give_no_label() -> None:
    found = flow.flow_map([*weeks((6, 2), (7, 1), (6, 2)), (MONDAY, None, None)])
    assert not found.enough
    assert found.points == []
    assert found.recent is None
    assert "3 of 4 weeks rated" in found.message


def test_a_rating_that_never_varies_has_no_average_to_be_above() -> None:
    found = flow.flow_map(weeks((5, 3), (5, 4), (5, 5), (5, 6)))
    assert not found.enough
    assert found.points == []
    assert "challenge rating has been the same" in found.message


ratings = st.integers(min_value=1, max_value=7)


@given(st.lists(st.tuples(ratings, ratings), min_size=4, max_size=30))
def test_z_scores_centre_on_zero_and_keep_the_order(pairs: list[tuple[int, int]]) -> None:
    found = flow.flow_map(weeks(*pairs))
    if not found.enough:
        assert len({c for c, _ in pairs}) == 1 or len({s for _, s in pairs}) == 1
        return
    assert abs(sum(p.z_challenge for p in found.points)) < 1e-6
    assert abs(sum(p.z_skill for p in found.points)) < 1e-6
    for a in found.points:
        for b in found.points:
            if a.challenge > b.challenge:
                assert a.z_challenge > b.z_challenge
    for p in found.points:  # the quadrant agrees with the raw rating against the mean
        above = p.challenge > (found.mean_challenge or 0)
        if p.quadrant in ("flow", "anxiety"):
            assert above
        elif p.quadrant in ("boredom", "apathy"):
            assert not above
