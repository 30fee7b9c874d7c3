"""The documentation pages the application shows itself (``ampwork/help/*.md``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt

HELP_DIR = Path(__file__).resolve().parent.parent / "help"


@cache
def render(name: str) -> str:
    """A help page as HTML. The text is the project's own, so its HTML anchors are kept."""
    text = (HELP_DIR / f"{name}.md").read_text(encoding="utf-8")
    return str(MarkdownIt("commonmark", {"html": True}).enable("table").render(text))
