"""Serve plotly.js from the installed plotly wheel as ``vendor/plotly.min.js``.

plotly's wheel ships the browser bundle; this finder exposes that one file (not the rest of
plotly's package data) to ``collectstatic``, whitenoise and the test server. No CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PUBLIC_PATH = "vendor/plotly.min.js"


def plotly_js_path() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(plotly_js_path().parent))

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path == PUBLIC_PATH and plotly_js_path().exists():
            found = str(plotly_js_path())
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns: Any) -> Any:
        if plotly_js_path().exists():
            storage = _PrefixedStorage(location=str(plotly_js_path().parent))
            yield "plotly.min.js", storage


class _PrefixedStorage(FileSystemStorage):
    prefix = "vendor"
