"""Survey scoring against worked examples and an independent implementation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ampwork.pulse import scoring


def test_reverse_keyed_items_and_subscale() -> None:
    items = {"a": False, "b": True}
    responses = [{"a": 5, "b": 1}, {"a": 4, "b": 2}, {"a": 2}]
    result = scoring.subscale(responses, items)
    # scored: (5, 5), (4, 4), (2) → respondent means 5, 4, 2 → 11/3
    assert result.mean == pytest.approx(11 / 3)
    assert result.favourable == pytest.approx(4 / 5)
    assert result.distribution == {1: 0, 2: 1, 3: 0, 4: 2, 5: 2}


def test_enps_worked_example() -> None:
    # 4 promoters (9, 10, 9, 10), 3 passives (7, 8, 8), 3 detractors (0, 5, 6): 40% − 30%
    assert scoring.enps([9, 10, 9, 10, 7, 8, 8, 0, 5, 6]) == pytest.approx(10.0)
    assert scoring.enps([]) is None


def test_cronbach_alpha_worked_example() -> None:
    # five people, three items: item variances 1.3, 0.7, 1.2 (sum 3.2); totals 4, 7, 9, 10,
    # 11 with variance 7.7 → α = 3/2 · (1 − 3.2/7.7) ≈ 0.877
    rows = [(1, 2, 1), (2, 2, 3), (3, 3, 3), (3, 4, 3), (4, 3, 4)]
    responses = [dict(zip("abc", r, strict=True)) for r in rows]
    result = scoring.cronbach_alpha(responses, dict.fromkeys("abc", False))
    data = np.array(rows, dtype=float)
    expected = 3 / 2 * (1 - data.var(axis=0, ddof=1).sum() / data.sum(axis=1).var(ddof=1))
    assert result.alpha == pytest.approx(expected)
    assert result.alpha == pytest.approx(3 / 2 * (1 - 3.2 / 7.7))


def independent_alpha(data: np.ndarray) -> float:
    """α from the covariance matrix: k/(k−1) · (1 − trace(C) / sum(C))."""
    c = np.cov(data, rowvar=False)
    k = data.shape[1]
    return float(k / (k - 1) * (1 - np.trace(c) / c.sum()))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(2, 6), st.integers(5, 80))
def test_alpha_agrees_with_the_covariance_form(seed: int, k: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=n)
    data = np.clip(np.rint(3 + trait[:, None] + rng.normal(size=(n, k))), 1, 5)
    if np.cov(data, rowvar=False).sum() == 0:
        return
    responses = [{f"i{j}": int(v) for j, v in enumerate(row)} for row in data]
    ours = scoring.cronbach_alpha(responses, {f"i{j}": False for j in range(k)})
    if ours.alpha is None:
        return
    assert ours.alpha == pytest.approx(independent_alpha(data), abs=1e-9)


def test_item_total_correlation_is_corrected() -> None:
    rows = [(1, 1, 5), (2, 2, 4), (3, 3, 3), (4, 4, 2), (5, 5, 1)]
    responses = [dict(zip("abc", r, strict=True)) for r in rows]
    result = scoring.cronbach_alpha(responses, dict.fromkeys("abc", False))
    assert result.item_total["c"] == pytest.approx(-1.0)  # against a + b only
    assert result.item_total["a"] is None  # b + c is constant: no correlation to speak of


def marks(favourable: int, total: int, items: int = 1) -> list[tuple[int, ...]]:
    """Respondents answering ``items`` items each: ``favourable`` of ``total`` answers are
    favourable, packed into as few respondents as possible."""
    out = []
    for start in range(0, total, items):
        out.append(tuple(int(start + j < favourable) for j in range(items)))
    return out


def test_change_rule() -> None:
    # 40% → 70% favourable, 100 respondents of one item each: flagged
    flagged = scoring.change_in_favourable(marks(40, 100), marks(70, 100), minimum=5)
    assert flagged.flagged
    assert flagged.delta == pytest.approx(30)
    # the same change with a round below the minimum: never flagged
    small = scoring.change_in_favourable(marks(8, 20, 5), marks(70, 100, 5), minimum=5)
    assert not small.flagged
    assert "minimum" in small.reason
    # a 3-point change is not flagged however significant
    assert not scoring.change_in_favourable(marks(400, 1000), marks(430, 1000), minimum=5).flagged


def test_minimum_respondents_boundary() -> None:
    # both rounds need the minimum number of respondents: 5 and 5 flag, 4 and 5 do not
    at = scoring.change_in_favourable([(0, 0, 0)] * 5, [(1, 1, 1)] * 5, minimum=5)
    assert at.flagged
    under = scoring.change_in_favourable([(0, 0, 0)] * 4, [(1, 1, 1)] * 5, minimum=5)
    assert not under.flagged
    assert under.p is None
    under = scoring.change_in_favourable([(0, 0, 0)] * 5, [(1, 1, 1)] * 4, minimum=5)
    assert not under.flagged
    assert under.p is None
    above = scoring.change_in_favourable([(0, 0, 0)] * 6, [(1, 1, 1)] * 6, minimum=5)
    assert above.flagged


def test_the_respondent_is_the_unit_not_the_answer() -> None:
    """Old code: 10 people of 10 items each, all-or-nothing, 40% → 70% favourable was a
    two-proportion test on 100 answers a round (z ≈ 4.3, flagged). The information is ten
    people a round: Welch on their shares gives p ≈ 0.19, not flagged."""
    before = [(1,) * 10] * 4 + [(0,) * 10] * 6
    after = [(1,) * 10] * 7 + [(0,) * 10] * 3
    change = scoring.change_in_favourable(before, after, minimum=5)
    assert change.delta == pytest.approx(30)
    expected = stats.ttest_ind([1] * 7 + [0] * 3, [1] * 4 + [0] * 6, equal_var=False)
    assert change.p == pytest.approx(expected.pvalue, rel=1e-12)
    assert not change.flagged


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5), st.integers(5, 60), st.integers(5, 60))
def test_welch_on_shares_agrees_with_scipy(seed: int, k: int, n1: int, n2: int) -> None:
    """With no finite population (N unknown) the test is Welch's t-test on respondents'
    favourable shares, as scipy.stats.ttest_ind(equal_var=False) computes it."""
    rng = np.random.default_rng(seed)
    one = rng.binomial(1, rng.uniform(0.2, 0.8), size=(n1, k))
    two = rng.binomial(1, rng.uniform(0.2, 0.8), size=(n2, k))
    s1, s2 = one.mean(axis=1), two.mean(axis=1)
    if s1.var() == 0 or s2.var() == 0:
        return
    ours = scoring.change_in_favourable(one.tolist(), two.tolist(), minimum=5)
    theirs = stats.ttest_ind(s2, s1, equal_var=False)
    assert ours.delta == pytest.approx((s2.mean() - s1.mean()) * 100, abs=1e-9)
    assert ours.p == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-15)
    one_round = scoring._round_of(one.tolist(), None)
    two_round = scoring._round_of(two.tolist(), None)
    t, df, _ = scoring.welch(
        one_round.variance, n1, two_round.variance, n2, float(two_round.share - one_round.share)
    )
    assert t == pytest.approx(theirs.statistic, rel=1e-9)
    assert df == pytest.approx(theirs.df, rel=1e-9)


def test_skipped_items_use_the_ratio_of_answers() -> None:
    # respondents who skip items: the share is favourable answers ÷ answers, as on the page
    before = [(1, -1, 0), (0, 0, 0), (1, 1, -1), (0, -1, -1), (1, 0, 0)]
    after = [(1, 1, 1), (1, -1, 1), (1, 1, 0), (0, 1, -1), (1, 1, 1)]
    change = scoring.change_in_favourable(before, after, minimum=5)
    assert change.delta == pytest.approx((11 / 13 - 4 / 11) * 100)
    # the linearised variance of a ratio (Cochran 1977, ch. 6): Σ(fᵢ − p·mᵢ)² / (n − 1)
    # / n / m̄², here written out with numpy
    f = np.array([1, 0, 2, 0, 1])
    m = np.array([2, 3, 2, 1, 3])
    v = ((f - 4 / 11 * m) ** 2).sum() / 4 / 5 / m.mean() ** 2
    one = scoring._round_of(before, None)
    assert one.variance == pytest.approx(v, rel=1e-12)
    # someone who answered none of the subscale's items is not a respondent to it
    again = scoring.change_in_favourable([*before, (-1, -1, -1)], after, minimum=5)
    assert (again.delta, again.p) == (change.delta, change.p)


def test_finite_population_correction_shrinks_only_the_between_person_part() -> None:
    rng = np.random.default_rng(3)
    theta = rng.normal(size=40)
    data = (theta[:, None] + rng.normal(scale=0.8, size=(40, 3)) > 0).astype(int)
    everyone = scoring._round_of(data.tolist(), 40)  # a census: n = N
    unknown = scoring._round_of(data.tolist(), None)
    rel = scoring._alpha(data.astype(float))
    assert rel is not None
    assert 0 < rel < 1
    # (fpc² · reliability + 1 − reliability) times the uncorrected variance; fpc = 0 here
    assert everyone.variance == pytest.approx(unknown.variance * (1 - rel), rel=1e-12)
    half = scoring._round_of(data.tolist(), 79)
    correction = rel * (79 - 40) / 78 + 1 - rel
    assert half.variance == pytest.approx(unknown.variance * correction, rel=1e-12)
    # one-item subscales: no reliability to estimate, so no correction at all
    single = [row[:1] for row in data.tolist()]
    assert scoring._round_of(single, 40).variance == scoring._round_of(single, None).variance


def big_rounds(before: int, after: int) -> scoring.Change:
    """2,000 one-item respondents a round, ``before`` and ``after`` of them favourable:
    p is far below 0.05 for any change of 4 points or more."""
    return scoring.change_in_favourable(marks(before, 2000), marks(after, 2000), minimum=5)


def test_five_points_exactly() -> None:
    # 55% → 60% is exactly 5 points, although (0.60 − 0.55) · 100 = 4.999999999999993 in
    # floats: flagged, as are −5 points; 4.95 points is not, 5.05 is
    assert (0.6 - 0.55) * 100 < 5
    exactly = big_rounds(1100, 1200)
    assert exactly.flagged
    assert exactly.p is not None
    assert exactly.p < 0.01
    assert big_rounds(1200, 1100).flagged
    assert not big_rounds(1101, 1200).flagged
    assert "under 5" in big_rounds(1101, 1200).reason
    assert big_rounds(1099, 1200).flagged
    assert not big_rounds(1200, 1101).flagged


def test_significance_boundary() -> None:
    # the rule itself, at p exactly 0.05 (not significant) and either side of it
    assert scoring.change_rule(Fraction(5), 0.049999) == (True, "+5.0 points, p = 0.050")
    assert not scoring.change_rule(Fraction(5), 0.05)[0]
    assert not scoring.change_rule(Fraction(5), 0.050001)[0]
    assert not scoring.change_rule(Fraction(5), None)[0]
    assert scoring.change_rule(Fraction(-5), 0.01)[0]
    assert not scoring.change_rule(Fraction(499, 100), 0.0)[0]
    assert not scoring.change_rule(Fraction(-499, 100), 0.0)[0]


def test_a_census_still_allows_for_answers_varying_within_a_person() -> None:
    # everyone invited answered both rounds (n = N = 20), shares 10/20 → 12/20, one item:
    # the old code (finite-population corrected to zero) called any change certain
    census = scoring.change_in_favourable(
        marks(10, 20), marks(12, 20), minimum=5, populations=(20, 20)
    )
    assert census.p is not None
    assert census.p > 0.05
    assert not census.flagged
    # no variation at all: certain
    same = scoring.change_in_favourable([(1, 1)] * 6, [(0, 0)] * 6, minimum=5)
    assert same.p == 0.0
    assert same.flagged
    nothing = scoring.change_in_favourable([(1, 1)] * 6, [(1, 1)] * 6, minimum=5)
    assert nothing.p == 1.0
    assert not nothing.flagged


def test_change_in_means() -> None:
    before = [3.0, 3.2, 2.8, 3.1, 2.9, 3.0, 3.3, 2.7]
    after = [4.0, 4.2, 3.8, 4.1, 3.9, 4.0, 4.3, 3.7]
    assert scoring.change_in_mean(before, after, minimum=5).flagged
    assert not scoring.change_in_mean(before, before, minimum=5).flagged


def feldt_by_hand(alpha: float, n: int, k: int) -> tuple[float, float]:
    """Feldt (1965): (1 − α̂)/(1 − α) ~ F(n − 1, (n − 1)(k − 1)); the 95% bounds put the
    quantiles of that F in, written here from the quantile function directly."""
    f = stats.f(n - 1, (n - 1) * (k - 1))
    return 1 - (1 - alpha) * f.ppf(0.975), 1 - (1 - alpha) * f.ppf(0.025)


def test_alpha_interval_worked_example() -> None:
    # the five-person example above: α = 0.8766…, n = 5, k = 3, F(4, 8)
    rows = [(1, 2, 1), (2, 2, 3), (3, 3, 3), (3, 4, 3), (4, 3, 4)]
    result = scoring.cronbach_alpha(
        [dict(zip("abc", r, strict=True)) for r in rows], dict.fromkeys("abc", False)
    )
    assert result.alpha is not None
    assert result.ci is not None
    lower, upper = feldt_by_hand(result.alpha, 5, 3)
    assert result.ci == pytest.approx((lower, upper), abs=1e-12)
    assert result.ci[0] < result.alpha < result.ci[1] < 1
    # F(4, 8) quantiles from tables: 0.975 → 5.0526, 0.025 → 0.1122
    assert result.ci == pytest.approx(
        (1 - (1 - result.alpha) * 5.0526, 1 - (1 - result.alpha) * 0.1122), abs=2e-4
    )


def test_alpha_interval_matches_pingouin() -> None:
    """pingouin's own documented example (its cronbach_alpha dataset, 15 people × 10
    items): α = 0.592, 95% interval 0.195 to 0.840 (pingouin rounds to 3 decimals)."""
    pg = pytest.importorskip("pingouin")
    wide = pg.read_dataset("cronbach_alpha").pivot(index="Subj", columns="Items", values="Scores")
    ours = scoring.cronbach_alpha_matrix(wide.to_numpy(dtype=float), list(wide.columns))
    alpha, ci = pg.cronbach_alpha(data=wide)
    assert ours.alpha == pytest.approx(alpha, abs=1e-12) == pytest.approx(0.5917, abs=1e-4)
    assert ours.ci is not None
    assert ours.ci == pytest.approx(tuple(ci), abs=5e-4)
    assert ours.ci == pytest.approx((0.195, 0.840), abs=5e-4)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(2, 6), st.integers(5, 80))
def test_alpha_interval_agrees_with_pingouin(seed: int, k: int, n: int) -> None:
    pg = pytest.importorskip("pingouin")
    import pandas as pd

    rng = np.random.default_rng(seed)
    trait = rng.normal(size=n)
    data = np.clip(np.rint(3 + trait[:, None] + rng.normal(size=(n, k))), 1, 5)
    ours = scoring.cronbach_alpha_matrix(data, [f"i{j}" for j in range(k)])
    if ours.alpha is None:
        return
    alpha, ci = pg.cronbach_alpha(data=pd.DataFrame(data))
    assert ours.alpha == pytest.approx(alpha, abs=1e-9)
    assert ours.ci is not None
    assert ours.ci == pytest.approx(tuple(ci), abs=5e-4 + 1e-9)
    assert ours.ci == pytest.approx(feldt_by_hand(ours.alpha, n, k), abs=1e-9)


def test_no_interval_without_alpha() -> None:
    assert scoring.cronbach_alpha([{"a": 3, "b": 3}] * 4, {"a": False, "b": False}).ci is None
    assert scoring.cronbach_alpha([{"a": 3, "b": 4}] * 2, {"a": False, "b": False}).ci is None


@pytest.mark.parametrize(("value", "favourable"), [(3, False), (4, True), (5, True)])
def test_top_two_boxes(value: int, favourable: bool) -> None:
    from ampwork.pulse.instrument import Item
    from ampwork.pulse.results import ResponseData, compute, compute_reference

    result = scoring.subscale([{"a": value}], {"a": False})
    assert result.favourable == (1.0 if favourable else 0.0)
    # reverse-keyed: 6 − x, so an answer of 3 stays unfavourable and 2 becomes 4
    reverse = scoring.subscale([{"a": 6 - value}], {"a": True})
    assert reverse.favourable == (1.0 if favourable else 0.0)
    assert scoring.favourable_counts([{"a": value}], {"a": False}) == [(int(favourable),)]
    items = [Item("a", "x", "text", "text", False)]
    data = [ResponseData(0, {"a": value})] * 5
    for compute_ in (compute, compute_reference):
        root = compute_(data, items, {}, 5)[0]
        assert root["subscales"]["x"]["favourable"] == (1.0 if favourable else 0.0)


@pytest.mark.parametrize(
    ("value", "promoter", "detractor"),
    [(0, 0, 1), (6, 0, 1), (7, 0, 0), (8, 0, 0), (9, 1, 0), (10, 1, 0)],
)
def test_enps_boundaries(value: int, promoter: int, detractor: int) -> None:
    from ampwork.pulse.instrument import Item
    from ampwork.pulse.results import ResponseData, compute, compute_reference

    # one answer of ``value`` beside a passive 8: (promoters − detractors) / 2 · 100
    expected = (promoter - detractor) * 50.0
    assert scoring.enps([value, 8]) == expected
    items = [Item("a", "x", "text", "text", False)]
    data = [ResponseData(0, {"a": 3}, value)] + [ResponseData(0, {"a": 3}, 8)] * 4
    for compute_ in (compute, compute_reference):
        assert compute_(data, items, {}, 5)[0]["enps"] == pytest.approx(
            (promoter - detractor) * 20.0
        )


def test_alpha_needs_three_people_and_two_items() -> None:
    rows = [(1, 2, 1), (2, 2, 3), (3, 3, 3)]
    items = dict.fromkeys("abc", False)
    three = scoring.cronbach_alpha([dict(zip("abc", r, strict=True)) for r in rows], items)
    assert three.alpha is not None
    assert three.n == 3
    assert three.ci is not None
    two = scoring.cronbach_alpha([dict(zip("abc", r, strict=True)) for r in rows[:2]], items)
    assert two.alpha is None
    assert two.n == 2
    one_item = scoring.cronbach_alpha([{"a": v} for v in (1, 2, 3, 4)], {"a": False})
    assert one_item.alpha is None


def test_alpha_of_two_items() -> None:
    # two items, four people: α = 2 · (1 − (var a + var b) / var(a + b))
    rows = [(1, 2), (2, 2), (3, 4), (4, 5)]
    result = scoring.cronbach_alpha(
        [dict(zip("ab", r, strict=True)) for r in rows], dict.fromkeys("ab", False)
    )
    data = np.array(rows, dtype=float)
    assert result.alpha == pytest.approx(independent_alpha(data), abs=1e-12)
    assert result.item_total["a"] == pytest.approx(np.corrcoef(data[:, 0], data[:, 1])[0, 1])


@pytest.mark.parametrize(
    ("n", "population", "expected"),
    [(4, 5, 0.5), (5, 5, 0.0), (6, 5, 0.0), (1, 1, 0.0), (0, 1, 1.0), (3, None, 1.0)],
)
def test_finite_population_correction(n: int, population: int | None, expected: float) -> None:
    assert scoring.fpc(n, population) == pytest.approx(expected)


def test_the_correction_needs_two_items_and_three_complete_answers() -> None:
    # two items, three people who answered both: the reliability is estimated and the
    # census (n = N = 3) shrinks the variance; with two people it cannot be, so no shrinking
    three = [(1, 1), (0, 1), (0, 0)]
    rel = scoring._alpha(np.array(three, dtype=float))
    assert rel is not None
    assert 0 < rel < 1
    unknown = scoring._round_of(three, None).variance
    assert scoring._round_of(three, 3).variance == pytest.approx(unknown * (1 - rel))
    two = [(1, 1), (0, 1), (0, -1)]  # only two complete
    assert scoring._round_of(two, 3).variance == scoring._round_of(two, None).variance


def test_change_in_mean_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    # exactly 0.2 SD: [0, 5, 10] → [1, 6, 11] moves the mean by 1, SD 5 — not "under"
    at = scoring.change_in_mean([0.0, 5.0, 10.0], [1.0, 6.0, 11.0], minimum=3)
    assert at.delta == 1.0
    assert "not significant" in at.reason
    under = scoring.change_in_mean([0.0, 5.0, 10.0], [0.99, 5.99, 10.99], minimum=3)
    assert "under 0.2 SD" in under.reason
    # both rounds need the minimum (and two values at least)
    assert "minimum" in scoring.change_in_mean([1.0, 2.0], [1.0, 2.0, 3.0], minimum=3).reason
    assert "minimum" in scoring.change_in_mean([1.0, 2.0, 3.0], [1.0, 2.0], minimum=3).reason
    assert "minimum" in scoring.change_in_mean([1.0], [2.0], minimum=1).reason
    assert scoring.change_in_mean([1.0, 2.0], [5.0, 6.0], minimum=1).p is not None
    # p exactly 0.05 is not significant; just under is
    before, after = [3.0, 3.2, 2.8, 3.1, 2.9], [4.0, 4.2, 3.8, 4.1, 3.9]
    for p, flagged in ((0.05, False), (0.0499, True), (0.0501, False)):
        monkeypatch.setattr(scoring, "welch", lambda *args, p=p: (0.0, 1.0, p))
        assert scoring.change_in_mean(before, after, minimum=5).flagged is flagged
        got = scoring.change_in_favourable([(0,)] * 5, [(1,)] * 4 + [(0,)], minimum=5)
        assert got.p == p
        assert got.flagged is flagged


def test_change_in_means_against_scipy() -> None:
    before = [3.0, 3.2, 2.8, 3.1, 2.9, 3.0, 3.3, 2.7]
    after = [3.4, 4.2, 2.8, 4.1, 3.9, 3.0, 4.3, 3.7]
    ours = scoring.change_in_mean(before, after, minimum=5)
    assert ours.p == pytest.approx(stats.ttest_ind(after, before, equal_var=False).pvalue)
