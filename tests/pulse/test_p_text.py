"""A p-value is never shown as "p = 0.000" (issue 18, item 13): below 0.001 it reads
"p < 0.001", on the threshold and above it three decimals."""

from __future__ import annotations

import numpy as np
import pytest

from ampwork.pulse import scoring


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0, "p < 0.001"),
        (1e-12, "p < 0.001"),
        (0.000999, "p < 0.001"),  # just below
        (0.001, "p = 0.001"),  # on the threshold
        (0.00101, "p = 0.001"),  # just above
        (0.0234, "p = 0.023"),
    ],
)
def test_p_text(p: float, text: str) -> None:
    assert scoring.p_text(p) == text


def test_a_large_significant_change_says_p_below_one_in_a_thousand() -> None:
    before = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2] * 3
    after = [4, 5, 4, 5, 4, 5, 4, 5, 4, 5] * 3
    change = scoring.change_in_mean(before, after, minimum=5, populations=(None, None))
    assert change.flagged
    assert change.p is not None
    assert change.p < 0.001
    assert change.reason.endswith("p < 0.001")
    assert "0.000" not in change.reason
    assert np.isfinite(change.delta)


def test_a_change_with_no_spread_is_not_shown_as_p_equals_zero() -> None:
    # every answer unfavourable before, favourable after: no variance, p is taken as 0
    before = [(0, 0)] * 8
    after = [(1, 1)] * 8
    change = scoring.change_in_favourable(before, after, minimum=5)
    assert change.flagged
    assert change.p == 0.0
    assert change.reason == "+100.0 points, p < 0.001"
