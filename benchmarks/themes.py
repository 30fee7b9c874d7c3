"""Purpose themes at scale: 10,000 statements recombined from the tests' hand-written ones
(each a statement plus a sentence from another statement of the same theme, and a word of
its own), timed with the machine's clock and with this process's CPU time.

    python benchmarks/themes.py --statements 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.purpose.statements import COMPANY

from ampwork.purpose import themes


def corpus(n: int, seed: int = 0) -> list[themes.Statement]:
    rng = random.Random(seed)
    names = sorted(COMPANY)
    out = []
    for i in range(n):
        first, second = rng.sample(COMPANY[rng.choice(names)], 2)
        extra = second.split(".")[0].split(";")[0]
        out.append(themes.Statement(i, f"{first} {extra}. Note {i}.", quotable=i % 2 == 0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    statements = corpus(args.statements)
    themes.find(statements[:50], minimum=5)  # imports and caches warm
    walls, cpus = [], []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        found = themes.find(statements, minimum=5)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"{args.statements} statements: median {statistics.median(walls):.2f} s wall, ", end="")
    print(f"{statistics.median(cpus):.2f} s CPU; {len(found.themes)} themes:")
    for theme in found.themes:
        print(f"  {theme.share:>4.0%}  {theme.label}")


if __name__ == "__main__":
    main()
