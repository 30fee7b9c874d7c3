"""A team's roll-up adds its objectives' floats left to right, one rounding per step, on
every Python: ``sum()`` corrects rounding from Python 3.12 on, numpy's ``bincount`` (the
columns of okrs/columns.py) never does, and the two must give the same bits."""

from __future__ import annotations

import numpy as np

from ampwork.okrs import progress


def test_left_to_right_on_every_python() -> None:
    tenths = [0.1] * 10
    assert progress._added(tenths) == 0.9999999999999999
    assert float(np.bincount(np.zeros(10, dtype=np.intp), weights=tenths)[0]) == 0.9999999999999999
