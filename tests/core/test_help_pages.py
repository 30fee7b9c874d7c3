"""The methods page shows docs/methods.md: a link to another file of docs/ leads nowhere in
the application (issue 18, item 4: /methods/privacy.md was a 404), so it is shown as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ampwork.core import help_pages


@pytest.fixture
def page(tmp_path: Path, monkeypatch: Any) -> Any:
    def render(text: str) -> str:
        (tmp_path / "sample.md").write_text(text, encoding="utf-8")
        monkeypatch.setattr(help_pages, "HELP_DIR", tmp_path)
        help_pages.render.cache_clear()
        try:
            return help_pages.render("sample")
        finally:
            help_pages.render.cache_clear()

    return render


def test_a_link_to_another_doc_is_shown_as_its_text(page: Any) -> None:
    html = page("results count the pool too ([privacy](privacy.md)) and [*more*](api.md#x).")
    assert "<a" not in html
    assert "(privacy)" in html
    assert "<em>more</em>" in html


def test_anchors_pages_and_web_links_stay_links(page: Any) -> None:
    html = page('[a](#okr-pacing) [b](/okrs/) [c](https://example.org/) <a id="x"></a>')
    assert '<a href="#okr-pacing">a</a>' in html
    assert '<a href="/okrs/">b</a>' in html
    assert '<a href="https://example.org/">c</a>' in html
    assert '<a id="x"></a>' in html


def test_the_methods_page_links_only_to_what_the_application_serves() -> None:
    html = help_pages.render("methods")
    hrefs = [h for h in html.split('href="')[1:]]
    assert hrefs  # it has links: its own anchors
    assert all(h.startswith(("#", "/", "http")) for h in hrefs)


def test_a_table_scrolls_in_its_own_named_box(page: Any) -> None:
    """On a phone a wide table scrolls inside its box, never the page (issue 21): the box is
    a region the keyboard reaches, named after the heading above it."""
    html = page("# Bands & ages\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n| c |\n| --- |\n| 3 |\n")
    label = 'aria-label="Bands &amp; ages"'
    opening = f'<div class="table-wrap" role="region" tabindex="0" {label}><table>'
    assert html.count(opening) == 2
    assert html.count("</table>\n</div>") == 2
    first = page("| c |\n| --- |\n| 3 |\n")
    assert 'aria-label="Table"' in first
