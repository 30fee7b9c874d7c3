"""The package build compiles the translation catalogues (.po → .mo) into the wheel:
scripts/compile_messages.py, with Babel (a build requirement in pyproject.toml)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):  # type: ignore[misc]
    def run(self) -> None:
        super().run()
        script = HERE / "scripts" / "compile_messages.py"
        spec = importlib.util.spec_from_file_location("compile_messages", script)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.compile_catalogues(Path(self.build_lib) / "ampwork")


setup(cmdclass={"build_py": BuildWithCatalogues})
