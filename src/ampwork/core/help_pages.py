"""The documentation pages the application shows itself (``ampwork/help/*.md``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

HELP_DIR = Path(__file__).resolve().parent.parent / "help"


@cache
def render(
    name: str, headings: tuple[tuple[str, str], ...] = (), language: str | None = None
) -> str:
    """A help page as HTML. The text is the project's own, so its HTML anchors are kept.

    A link to another file of docs/ (``[privacy](privacy.md)``) leads nowhere in the
    application, which serves only these pages: it is shown as its text alone.
    ``headings``: pairs (English, translated); a heading whose whole text is one of the
    English ones is shown translated (the body stays as written), marked with its
    ``language`` (the page's body declares itself English: core/methods.html)."""
    text = (HELP_DIR / f"{name}.md").read_text(encoding="utf-8")
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    tokens = md.parse(text)
    _translate_headings(tokens, dict(headings), language)
    _name_tables(tokens)
    for block in tokens:
        if block.children:
            block.children = _without_file_links(block.children)
    return str(md.renderer.render(tokens, md.options, {}))


def _translate_headings(
    tokens: list[Token], headings: dict[str, str], language: str | None
) -> None:
    if not headings:
        return
    for previous, block in pairwise(tokens):
        if previous.type != "heading_open" or block.type != "inline":
            continue
        translated = headings.get(block.content)
        if translated and block.children and all(c.type == "text" for c in block.children):
            block.content = translated
            if language:
                previous.attrSet("lang", language)
            block.children[0].content = translated
            block.children[1:] = []


def _without_file_links(inline: list[Token]) -> list[Token]:
    kept: list[Token] = []
    dropped: list[bool] = []  # for each link open here: was its link_open dropped?
    for token in inline:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            dropped.append(not href.startswith(("#", "/", "http://", "https://", "mailto:")))
            if dropped[-1]:
                continue
        elif token.type == "link_close" and dropped and dropped.pop():
            continue
        kept.append(token)
    return kept


def _name_tables(tokens: list[Token]) -> None:
    """Each table is named after the heading above it (its scrolling box is a region)."""
    heading = ""
    for previous, block in pairwise(tokens):
        if previous.type == "heading_open" and block.type == "inline":
            heading = block.content
        elif block.type == "table_open":
            block.meta["label"] = heading


def _table_open(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """A table in a box that scrolls sideways by itself (a keyboard reaches it): on a phone
    the page never does (``.table-wrap`` in ampwork.css)."""
    label = escapeHtml(str(tokens[idx].meta.get("label") or "Table"))
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">'
        + renderer.renderToken(tokens, idx, options, env)
    )


def _table_close(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return renderer.renderToken(tokens, idx, options, env) + "</div>\n"
