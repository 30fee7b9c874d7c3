"""Survey scoring against worked examples and an independent implementation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.surveys import scoring


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


def test_change_rule() -> None:
    # 40% → 70% favourable with 100 answers each, 20 respondents each: flagged
    flagged = scoring.change_in_favourable((40, 100), (70, 100), minimum=5, respondents=(20, 20))
    assert flagged.flagged and flagged.delta == pytest.approx(30)
    # the same change with a round below the minimum: never flagged
    small = scoring.change_in_favourable((40, 100), (70, 100), minimum=5, respondents=(4, 20))
    assert not small.flagged and "minimum" in small.reason
    # a 3-point change is not flagged however significant
    assert not scoring.change_in_favourable((400, 1000), (430, 1000), minimum=5).flagged
    # the finite-population correction shrinks the error: everyone answered → no error
    everyone = scoring.change_in_favourable(
        (10, 20), (12, 20), minimum=5, populations=(20, 20), respondents=(20, 20)
    )
    assert everyone.p in (0.0, None) or everyone.p < 1e-6


def test_change_in_means() -> None:
    before = [3.0, 3.2, 2.8, 3.1, 2.9, 3.0, 3.3, 2.7]
    after = [4.0, 4.2, 3.8, 4.1, 3.9, 4.0, 4.3, 3.7]
    assert scoring.change_in_mean(before, after, minimum=5).flagged
    assert not scoring.change_in_mean(before, before, minimum=5).flagged
