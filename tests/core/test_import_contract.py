"""The import contract ([tool.importlinter] in pyproject.toml), inside the suite: core imports
no other app, apps read each other only through their front doors, apps are layered, pure
modules import no Django. CI runs the same check with `lint-imports`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"
# `lint-imports` of this interpreter's environment
LINT = [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]


def lint(src: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the package in ``src`` (no cache written anywhere)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [*LINT, "--config", str(CONFIG), "--no-cache"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_code_keeps_the_contract() -> None:
    done = lint(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "src" / "ampwork",
        tmp_path / "ampwork",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "*.md"),
    )
    return tmp_path


def test_a_cross_app_models_import_breaks_the_contract(tmp_path: Path) -> None:
    """The check can fail: the advisor reading OKRs' models behind their front door."""
    src = copy_of_the_package(tmp_path)
    data = src / "ampwork" / "advisor" / "data.py"
    data.write_text(data.read_text() + "\nfrom ampwork.okrs.models import KeyResult  # noqa\n")
    done = lint(src)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Apps talk through their front doors" in done.stdout
    assert "ampwork.advisor.data -> ampwork.okrs.models" in done.stdout, done.stdout
    assert "1 broken" in done.stdout, done.stdout


def test_core_importing_an_app_breaks_the_contract(tmp_path: Path) -> None:
    src = copy_of_the_package(tmp_path)
    perf = src / "ampwork" / "core" / "perf.py"
    perf.write_text(perf.read_text() + "\nfrom ampwork.okrs import progress  # noqa\n")
    done = lint(src)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "core imports no other app BROKEN" in done.stdout, done.stdout
