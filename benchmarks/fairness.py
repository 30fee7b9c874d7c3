"""Pay audit at scale: 100,000 records with about ten controls, against numpy's least
squares on the same design matrix (the floor). Time and peak memory.

    python benchmarks/fairness.py --records 100000
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    from ampwork.fairness import audit
    from fairness.test_audit import population  # the tests' synthetic population

    records = population(args.records, gap=-0.04, seed=1)
    x, y, controls = audit.design(records, "female")
    print(
        f"{args.records:,} records, design {x.shape[0]:,} × {x.shape[1]} "
        f"({len(controls)} controls: {', '.join(controls)})"
    )

    def measure(name: str, fn: object) -> float:
        tracemalloc.start()
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        seconds = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{name:<36} {seconds * 1000:>9.0f} ms {peak / 2**20:>8.1f} MiB")
        return seconds

    floor = measure("floor: numpy lstsq on the matrix", lambda: np.linalg.lstsq(x, y, rcond=None))
    estimator = measure("OLS with standard errors (ours)", lambda: audit.ols(x, y))
    regression = measure(
        "adjusted gap (design + OLS + SE)", lambda: audit.adjusted_gap(records, "female")
    )
    whole = measure(
        "whole audit (people, gaps, reports)", lambda: audit.audit(records, "male", "female")
    )
    print(
        f"estimator / floor: {estimator / floor:.1f}×; adjusted gap with its design / "
        f"floor: {regression / floor:.1f}×; whole audit / floor: {whole / floor:.1f}×"
    )


if __name__ == "__main__":
    main()
