"""Chart pages in Chromium: bytes on a first and a repeat visit, DOMContentLoaded and
Largest Contentful Paint with the CPU slowed 4×, each against the same page with its
charts' script blocked.

    python benchmarks/static_pages.py                 # starts its own demo on port 8765
    python benchmarks/static_pages.py --url http://127.0.0.1:8765   # an already running one

Without ``--url`` it runs ``ampwork demo --port PORT`` in a throwaway data directory (so
the first start builds the demo and collects the static files) and stops it at the end.
Debian's Chromium through Playwright (never ``playwright install``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

CHROMIUM = os.environ.get("AMPWORK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "ampwork-demo"
CHARTS_SCRIPT = re.compile(r"/static/vendor/plotly[^/]*\.js")

# LCP is final once the page is idle; read it after the charts had time to be drawn.
LCP_JS = """() => new Promise((resolve) => {
  let last = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) last = e.renderTime || e.loadTime || e.startTime;
  }).observe({type: "largest-contentful-paint", buffered: true});
  setTimeout(() => resolve(last), 50);
})"""
DCL_JS = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


@dataclass
class Visit:
    kb: float
    requests: int
    dcl: float
    lcp: float


@contextmanager
def demo_server(port: int) -> Iterator[str]:
    data = tempfile.mkdtemp(prefix="ampwork-bench-static-")
    env = {**os.environ, "AMPWORK_DATA_DIR": data}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ampwork", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{url}/sign-in/", timeout=2)
                break
            except OSError as error:
                if proc.poll() is not None:
                    output = proc.stdout.read() if proc.stdout else "demo stopped"
                    raise SystemExit(output) from error
                time.sleep(0.5)
        print(f"demo ready in {time.perf_counter() - started:.1f} s ({data})", file=sys.stderr)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def sign_in(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")
    # the home page (charts) finishes, then leaves: nothing of it may count in a measurement
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


def first_link(page: Any, url: str, start: str, pattern: str) -> str | None:
    page.goto(url + start)
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        if re.fullmatch(pattern, href or ""):
            return str(href)
    return None


def visit(page: Any, cdp: Any, url: str) -> Visit:
    """One navigation: bytes over the wire (headers included), requests that reached the
    server, DOMContentLoaded and LCP in ms after navigation start."""
    sizes: dict[str, float] = {}
    reached: set[str] = set()

    def finished(event: dict[str, Any]) -> None:
        sizes[event["requestId"]] = event["encodedDataLength"]

    def response(event: dict[str, Any]) -> None:
        if not event["response"].get("fromDiskCache") and not event["response"].get(
            "fromMemoryCache"
        ):
            reached.add(event["requestId"])

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", response)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    dcl = page.evaluate(DCL_JS)
    lcp = page.evaluate(LCP_JS)
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.responseReceived", response)
    return Visit(sum(sizes.values()) / 1024, len(reached), dcl, lcp)


def measure(browser: Any, base: str, email: str, path: str, block: bool, runs: int) -> dict:
    firsts: list[Visit] = []
    repeats: list[Visit] = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, base, email)
        if block:
            page.route(CHARTS_SCRIPT, lambda route: route.abort())
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        firsts.append(visit(page, cdp, base + path))
        page.goto("about:blank")
        repeats.append(visit(page, cdp, base + path))
        context.close()

    def med(visits: list[Visit], field: str) -> float:
        return statistics.median(getattr(v, field) for v in visits)

    return {
        "first_kb": med(firsts, "kb"),
        "repeat_kb": med(repeats, "kb"),
        "repeat_requests": med(repeats, "requests"),
        "dcl": med(firsts, "dcl"),
        "lcp": med(firsts, "lcp"),
        "repeat_dcl": med(repeats, "dcl"),
        "repeat_lcp": med(repeats, "lcp"),
    }


def pages(browser: Any, base: str) -> list[tuple[str, str, str]]:
    """(name, email, path) of each chart page of the demo, found by following its links."""
    context = browser.new_context()
    page = context.new_page()
    admin = "admin@brightwater.example"
    sign_in(page, base, admin)
    found = [("home", admin, "/"), ("fairness overview", admin, "/fairness/")]
    found.append(("my progress (mastery)", "member@brightwater.example", "/mastery/"))
    if person := first_link(page, base, "/mastery/", r"/mastery/people/\d+/"):
        found.append(("a person's progress (mastery)", admin, person))
    if cycle := first_link(page, base, "/okrs/cycles/", r"/okrs/cycles/\d+/"):
        found.append(("OKR cycle dashboard", admin, cycle))
    if objective := first_link(page, base, "/okrs/", r"/okrs/objectives/\d+/"):
        found.append(("an objective (key-result charts)", admin, objective))
    if rnd := first_link(page, base, "/pulse/", r"/pulse/rounds/\d+/"):
        found.append(("pulse results", admin, rnd))
    found.append(("advisor", admin, "/advisor/"))
    context.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running ampwork demo (else one is started)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with (
        demo_server(args.port) if args.url is None else _given(args.url) as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print(
            "| page | first visit KB | repeat visit KB (requests to the server) "
            "| DCL ms | LCP ms | without charts: first KB | DCL ms | LCP ms |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, email, path in pages(browser, base):
            with_charts = measure(browser, base, email, path, block=False, runs=args.runs)
            without = measure(browser, base, email, path, block=True, runs=args.runs)
            shown = re.sub(r"/\d+/", "/…/", path)
            print(
                f"| {name} `{shown}` | {with_charts['first_kb']:,.0f} "
                f"| {with_charts['repeat_kb']:,.0f} ({with_charts['repeat_requests']:.0f}) "
                f"| {with_charts['dcl']:,.0f} | {with_charts['lcp']:,.0f} "
                f"| {without['first_kb']:,.0f} | {without['dcl']:,.0f} | {without['lcp']:,.0f} |",
                flush=True,
            )
        browser.close()


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url.rstrip("/")


if __name__ == "__main__":
    main()
