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
    from ampwork.fairness import audit, regression
    from fairness.test_audit import population  # the tests' synthetic population

    records = population(args.records, gap=-0.04, seed=1)
    rng = np.random.default_rng(2)
    roles = ["Engineer", "Designer", "Analyst"]
    sites = ["north", "south", "east", "west"]
    contracts = ["permanent", "fixed-term"]
    for r in records:  # ten controls in all
        r.role = roles[int(rng.integers(0, 3))]
        r.performance = float(rng.uniform(1, 5))
        r.factors.update(
            {
                "site": sites[int(rng.integers(0, 4))],
                "certified": float(rng.integers(0, 2)),
                "team_size": float(rng.integers(3, 12)),
                "contract": contracts[int(rng.integers(0, 2))],
            }
        )
    design = regression.design(records, "female")
    x, y, controls = design.x, design.y, design.controls
    print(
        f"{args.records:,} records, design {x.shape[0]:,} × {x.shape[1]} "
        f"({len(controls)} controls: {', '.join(controls)})"
    )

    def measure(name: str, fn: object) -> float:
        # time first (tracemalloc slows Python code down), then peak memory on a second run
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        seconds = time.perf_counter() - t0
        tracemalloc.start()
        fn()  # type: ignore[operator]
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{name:<36} {seconds * 1000:>9.0f} ms {peak / 2**20:>8.1f} MiB")
        return seconds

    floor = measure("floor: numpy lstsq on the matrix", lambda: np.linalg.lstsq(x, y, rcond=None))
    estimator = measure("OLS with standard errors (ours)", lambda: regression.ols(x, y))
    regression = measure(
        "adjusted gap (design + OLS + SE)", lambda: regression.adjusted_gap(records, "female")
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
