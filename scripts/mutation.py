#!/usr/bin/env python3
"""Mutation testing of the pure maths modules with mutmut (not run in CI: it is slow).

    pip install mutmut          # 3.x
    python scripts/mutation.py                      # every module in MODULES
    python scripts/mutation.py okrs/progress.py     # one of them
    python scripts/mutation.py --keep --max-children 2

For each module, the repository is copied to a throwaway directory (sources, tests, docs;
never .git), mutmut is configured there to mutate only that module and to run only that
module's pure tests (``-x -q``; mutmut gives each mutant a timeout from the clean run's
timings), and the result is read back from mutmut's own statistics. mutmut mutates a
separate ``mutants/`` tree inside the copy, so the working tree is never modified — an
interrupt (Ctrl-C) stops mutmut and removes the copy, and nothing needs restoring.

Lines marked ``# pragma: no mutate`` are skipped by mutmut; they are kept for equivalent
mutants only (a tolerance that only decides how often an exact path runs).

mutmut shifts numbers (14 → 15) but not thresholds written as ``Decimal("0.3")``; a second
pass here makes those mutants itself — each ``Decimal("…")`` literal one unit of its last
digit up and down (0.3 → 0.4 and 0.2) — in the same throwaway copy, runs the same tests
(``-x -q``, with a timeout), and restores the file after each mutant (also on Ctrl-C).

Results and the command line: benchmarks/README.md, section "Mutation testing".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# the fairness modules' pure tests (no database): the audit's worked examples and
# statsmodels checks, the thresholds, who is compared, the EU and UK reports
FAIRNESS_TESTS = [
    "fairness/test_audit.py",
    "fairness/test_boundaries*.py",
    "fairness/test_population.py",
    "fairness/test_reports.py",
    "fairness/test_mutation_kills*.py",
]

# module (under src/ampwork) → its pure tests (globs under tests/)
MODULES: dict[str, list[str]] = {
    "okrs/progress.py": ["okrs/test_progress.py", "okrs/test_boundaries.py"],
    "fairness/audit.py": FAIRNESS_TESTS,
    "fairness/money.py": FAIRNESS_TESTS,
    "fairness/regression.py": FAIRNESS_TESTS,
    "fairness/gate.py": FAIRNESS_TESTS,
    "mastery/goldilocks.py": [
        "mastery/test_goldilocks.py",
        "mastery/test_goldilocks_boundaries.py",
    ],
    "pulse/anonymity.py": ["pulse/test_anonymity*.py"],
}
COPIED = ("src", "tests", "docs", "pyproject.toml")
IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".hypothesis", ".pytest_cache", "mutants", "*.sqlite3"
)


def mutmut_command() -> list[str]:
    found = shutil.which("mutmut", path=str(Path(sys.executable).parent))
    found = found or shutil.which("mutmut")
    if found is None:
        sys.exit("mutmut is not installed: pip install mutmut")
    return [found]


def copy_tree(into: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=IGNORED)
        elif source.exists():
            shutil.copy2(source, into / name)


def configure(into: Path, module: str, tests: list[str]) -> None:
    """mutmut reads [tool.mutmut] from pyproject.toml first, else setup.cfg's [mutmut]."""
    pyproject = into / "pyproject.toml"
    if "[tool.mutmut]" in pyproject.read_text():
        sys.exit("pyproject.toml has a [tool.mutmut] section: remove it (this script configures)")
    selected = sorted(
        str(path.relative_to(into)) for pattern in tests for path in (into / "tests").glob(pattern)
    )
    if not selected:
        sys.exit(f"no tests found for {module}: {tests}")
    lines = [
        "[mutmut]",
        "source_paths=",
        "    src/ampwork",
        "only_mutate=",
        f"    src/ampwork/{module}",
        "pytest_add_cli_args_test_selection=",
        *(f"    {path}" for path in selected),
        "pytest_add_cli_args=",
        "    -p",
        "    no:cacheprovider",
    ]
    (into / "setup.cfg").write_text("\n".join(lines) + "\n")


def run(command: list[str], cwd: Path, timeout: float, log: Path) -> int:
    """Run in its own process group, so that an interrupt or a timeout stops all of it."""
    with log.open("a") as out:
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            return process.wait(timeout=timeout)
        except BaseException:  # timeout, Ctrl-C: stop mutmut and its workers
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            raise


def mutate(module: str, tests: list[str], work: Path, args: argparse.Namespace) -> dict:
    into = work / module.replace("/", "_").removesuffix(".py")
    into.mkdir(parents=True)
    copy_tree(into)
    configure(into, module, tests)
    log = into / "mutmut.log"
    started = time.monotonic()
    command = [*mutmut_command(), "run"]
    if args.max_children:
        command += ["--max-children", str(args.max_children)]
    run(command, into, args.timeout, log)
    run([*mutmut_command(), "export-cicd-stats"], into, 300, log)
    stats = json.loads((into / "mutants" / "mutmut-cicd-stats.json").read_text())
    listing = subprocess.run(
        [*mutmut_command(), "results"], cwd=into, capture_output=True, text=True, check=False
    ).stdout
    stats["survivors"] = [
        line.split(":")[0].strip() for line in listing.splitlines() if "survived" in line
    ]
    stats["decimal_shifts"] = decimal_pass(module, into, tests, args.test_timeout)
    stats["seconds"] = round(time.monotonic() - started)
    stats["copy"] = str(into)
    return stats


DECIMAL = re.compile(r'Decimal\("(-?\d+(?:\.\d+)?)"\)')


def shifted(literal: str) -> list[str]:
    """One unit of the last digit up and down: 0.25 → 0.26, 0.24; 14 → 15, 13."""
    from decimal import Decimal

    value = Decimal(literal)
    unit = Decimal(1).scaleb(value.as_tuple().exponent)  # type: ignore[arg-type]
    return [str(value + unit), str(value - unit)]


def decimal_pass(module: str, into: Path, tests: list[str], timeout: float) -> dict:
    """Shift every Decimal threshold of the module, run the tests, restore the file."""
    path = into / "src" / "ampwork" / module
    original = path.read_text()
    selected = sorted(
        str(p.relative_to(into)) for pattern in tests for p in (into / "tests").glob(pattern)
    )
    counts = {"killed": 0, "survived": 0}
    survivors: list[str] = []
    try:
        for match in DECIMAL.finditer(original):
            line = original.count("\n", 0, match.start()) + 1
            if "pragma: no mutate" in original.splitlines()[line - 1]:
                continue
            for value in shifted(match.group(1)):
                mutant = original[: match.start(1)] + value + original[match.end(1) :]
                path.write_text(mutant)
                try:
                    code = subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "pytest",
                            "-x",
                            "-q",
                            "-p",
                            "no:cacheprovider",
                            *selected,
                        ],
                        cwd=into,
                        capture_output=True,
                        timeout=timeout,
                        check=False,
                        env={**os.environ, "PYTHONPATH": str(into / "src")},
                    ).returncode
                except subprocess.TimeoutExpired:
                    code = -1  # a timeout counts as killed
                killed = code != 0
                counts["killed" if killed else "survived"] += 1
                if not killed:
                    survivors.append(f"line {line}: {match.group(0)} → {value}")
    finally:
        path.write_text(original)
    return {**counts, "survivors": survivors}


def rate(stats: dict) -> float:
    """Killed (or timed out) of all judged mutants: mutmut's and the Decimal shifts."""
    shifts = stats.get("decimal_shifts", {"killed": 0, "survived": 0})
    caught = stats["killed"] + stats["timeout"] + stats["segfault"] + shifts["killed"]
    judged = caught + stats["survived"] + stats["suspicious"] + shifts["survived"]
    return caught / judged if judged else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="under src/ampwork, e.g. okrs/progress.py")
    parser.add_argument("--workdir", type=Path, help="where to copy the tree (default: a tmp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the copies (to inspect)")
    parser.add_argument("--max-children", type=int, default=0, help="mutmut's parallel workers")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per module")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--test-timeout", type=float, default=300, help="seconds per Decimal-shift mutant"
    )
    args = parser.parse_args()
    chosen = args.modules or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        sys.exit(f"unknown module(s) {unknown}; choose from {list(MODULES)}")
    work = Path(tempfile.mkdtemp(prefix="ampwork-mutation-", dir=args.workdir))
    results: dict[str, dict] = {}
    try:
        for module in chosen:
            print(f"mutating {module} …", flush=True)
            results[module] = mutate(module, MODULES[module], work, args)
            stats = results[module]
            shifts = stats["decimal_shifts"]
            print(
                f"  mutmut: {stats['killed'] + stats['timeout']} of {stats['total']} killed, "
                f"{stats['survived']} survived; Decimal shifts: {shifts['killed']} killed, "
                f"{shifts['survived']} survived; {rate(stats):.1%} in all, {stats['seconds']} s",
                flush=True,
            )
    except KeyboardInterrupt:
        print("interrupted: the working tree was never modified", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(
        "\n| module | mutmut mutants | killed | timeout | survived | Decimal shifts killed "
        "| survived | killed % |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for module, s in results.items():
        d = s["decimal_shifts"]
        print(
            f"| {module} | {s['total']} | {s['killed']} | {s['timeout']} | {s['survived']} "
            f"| {d['killed']} | {d['survived']} | {rate(s):.1%} |"
        )
    for module, s in results.items():
        survivors = s["survivors"] + s["decimal_shifts"]["survivors"]
        if survivors:
            print(f"\nsurvivors in {module} (mutmut show NAME in {s['copy']}):")
            for name in survivors:
                print(f"  {name}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
