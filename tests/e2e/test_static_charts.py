"""Chart pages as `ampwork serve` delivers them: static files collected (hashed names,
gzip and brotli copies) and served by whitenoise, plotly.js fetched without blocking the
page, each chart drawn when it comes into view, with its numbers in a table beside it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from playwright.sync_api import expect

from ampwork.core.staticfiles import collect_if_changed
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

# Static files, plotly's loading and the charts' drawing and tables: the front end, the same
# on every database, so CI runs these on SQLite only.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.same_on_every_database,
]

HASHED = re.compile(r"/static/.+\.[0-9a-f]{12}\.[a-z]+$")
YEAR = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static files collected as `ampwork serve` does, once for this module."""
    root = tmp_path_factory.mktemp("collected") / "static"
    root.mkdir()
    with override_settings(STATIC_ROOT=root):
        assert collect_if_changed()
        assert not collect_if_changed()  # nothing changed: not collected again
    return root


@pytest.fixture(scope="module")
def served(django_db_setup: Any, collected: Path) -> Iterator[str]:
    """A server thread as `ampwork serve` runs: the collected static files, served by the
    application's own whitenoise middleware (not the test server's finder-based handler)."""
    with override_settings(STATIC_ROOT=collected):
        thread = LiveServerThread("localhost", static_handler=lambda app: app)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
        thread.terminate()


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def _figure(chart: Any) -> dict[str, Any]:
    return json.loads(chart.get_attribute("data-figure"))  # type: ignore[no-any-return]


def test_plotly_comes_late_compressed_and_cached_for_good(page: Any, served: str) -> None:
    ensure_demo()
    _sign_in(page, served, "people@brightwater.example")
    responses: dict[str, Any] = {}
    page.on("response", lambda r: responses.__setitem__(r.url, r))
    # whether plotly.js had run when the document was parsed
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded',"
        " () => { window.plotlyAtDomReady = typeof window.Plotly; });"
    )
    html = page.goto(f"{served}/fairness/").text()
    assert not re.search(r"<script[^>]*plotly", html)  # no script tag to block the page
    chart = page.locator(".chart .js-chart")
    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert page.evaluate("window.plotlyAtDomReady") == "undefined"
    script = page.locator("script[src*='/vendor/plotly']")
    assert script.evaluate("s => s.async")
    src = script.get_attribute("src")
    assert src == chart.get_attribute("data-plotly")
    assert HASHED.search(src)

    static = {url: r for url, r in responses.items() if "/static/" in url}
    assert any("/vendor/plotly" in url for url in static)
    assert len(static) >= 4  # the stylesheet, htmx, ampwork.js, plotly.js
    for url, response in static.items():
        assert HASHED.search(url), url
        headers = response.all_headers()
        assert headers.get("content-encoding") in {"br", "gzip"}, url
        cache = headers["cache-control"]
        assert "immutable" in cache, url
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= YEAR  # type: ignore[union-attr]


def test_charts_are_drawn_as_they_come_into_view(page: Any, served: str) -> None:
    ensure_demo()
    _sign_in(page, served, "admin@brightwater.example")
    trend, sizes = page.locator("#health-h ~ .grid-2 .js-chart"), page.locator(".js-chart").last
    # the pulse trend, at the top, is drawn at once, inside its own column
    expect(trend.locator("svg.main-svg").first).to_be_visible()
    drawn = trend.locator("svg.main-svg").first.bounding_box()
    column = trend.locator("xpath=ancestor::div[1]").bounding_box()
    assert drawn["x"] + drawn["width"] <= column["x"] + column["width"] + 1
    # the people-per-team chart, far below, waits until it is scrolled to
    page.wait_for_load_state("networkidle")
    assert sizes.get_attribute("data-drawn") is None
    assert sizes.locator("svg").count() == 0
    sizes.scroll_into_view_if_needed()
    expect(sizes.locator("svg.main-svg").first).to_be_visible()
    expect(sizes).to_have_attribute("data-drawn", "1")
    # narrower window: the drawn chart follows its box
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_timeout(500)
    assert trend.locator("svg.main-svg").first.bounding_box()["width"] <= 700


def test_every_chart_has_its_numbers_in_a_table(page: Any, served: str) -> None:
    ensure_demo()
    _sign_in(page, served, "admin@brightwater.example")
    # the pulse trend: each round's favourable shares, as in the chart
    trend = page.locator("#health-h ~ .grid-2 figure.chart")
    figure = _figure(trend.locator(".js-chart"))
    table = trend.get_by_role("table")
    expect(table).to_be_hidden()  # closed until asked for
    trend.get_by_text("Show the numbers as a table").click()
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(figure["data"][0]["x"]))
    for i, closes in enumerate(figure["data"][0]["x"]):
        cells = rows.nth(i).locator("td")
        expect(cells.nth(0)).to_have_text(closes)
        for j, trace in enumerate(figure["data"]):
            expect(cells.nth(j + 1)).to_have_text(f"{round(trace['y'][i] * 100)}%")
    # the drawing is hidden from screen readers; the table is what they read
    assert trend.locator(".js-chart").get_attribute("aria-hidden") == "true"

    # the cycle dashboard: objectives per team by pacing
    page.goto(f"{served}/okrs/cycles/")
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    dashboard = next(href for href in links if re.fullmatch(r"/okrs/cycles/\d+/", href or ""))
    page.goto(served + dashboard)
    status = page.locator("figure.chart").first
    figure = _figure(status.locator(".js-chart"))
    status.get_by_text("Show the numbers as a table").click()
    table = status.get_by_role("table")
    for trace in figure["data"]:  # each bar (team, count) is a cell of the table
        head = table.locator("thead th").filter(has_text=re.compile(f"^{trace['name']}$", re.I))
        index = head.evaluate("th => th.cellIndex")
        for team, count in zip(trace["y"], trace["x"], strict=True):
            row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=team))
            expect(row.locator("th, td").nth(index)).to_have_text(str(count))

    # every chart on these pages has a table beside it (on the home page, people per team
    # has the page's own table right below it)
    for path in ("/", "/fairness/", dashboard, "/mastery/"):
        page.goto(served + path)
        charts = page.locator("figure.chart").all()
        assert charts, path
        for chart in charts:
            inside = chart.locator("details table").count()
            below = chart.locator("xpath=following-sibling::table").count()
            assert inside + below == 1, path


def test_fairness_legend_shows_a_swatch_per_entry(page: Any, served: str) -> None:
    ensure_demo()
    _sign_in(page, served, "people@brightwater.example")
    page.goto(f"{served}/fairness/")
    chart = page.locator(".chart .js-chart")
    chart.scroll_into_view_if_needed()
    legend = chart.locator(".legend .traces")
    expect(legend).to_have_count(4)  # pay range, market median, and the two groups
    for i in range(4):
        entry = legend.nth(i)
        name = entry.locator(".legendtext").text_content()
        box = entry.locator(".legendpoints").bounding_box()
        assert box, name
        assert box["width"] > 4, name  # the median is a dash
        assert box["height"] >= 1, name
        painted = entry.locator(".legendpoints path").evaluate_all(PAINTED)
        assert painted, name
    # each group's swatch is the colour of its dots
    for trace in _figure(chart)["data"]:
        if trace["type"] == "scatter" and trace.get("legendgroup"):
            swatch = legend.filter(has_text=trace["name"]).locator(".legendpoints path").first
            r, g, b = (int(trace["marker"]["color"][k : k + 2], 16) for k in (1, 3, 5))
            assert swatch.evaluate("p => getComputedStyle(p).fill") == f"rgb({r}, {g}, {b})"


# some path of a legend swatch is painted: a fill or a stroke that is not transparent
PAINTED = r"""paths => paths.some(p => {
  const s = getComputedStyle(p);
  const seen = (colour, opacity) => colour !== 'none' && !/, 0\)$/.test(colour)
    && Number(opacity) > 0;
  return seen(s.fill, s.fillOpacity) || (seen(s.stroke, s.strokeOpacity)
    && parseFloat(s.strokeWidth) > 0);
})"""


def test_only_hashed_names_are_kept_with_their_compressed_copies(collected: Path) -> None:
    names = sorted(p.name for p in (collected / "vendor").iterdir())
    assert len(names) == 3, names
    assert all(re.fullmatch(r"plotly\.min\.[0-9a-f]{12}\.js(\.br|\.gz)?", n) for n in names)
    assert (collected / "staticfiles.json").exists()
