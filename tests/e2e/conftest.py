"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Never `playwright install`: the browser is Debian's package (`apt-get install chromium`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

# `expect` waits as long as an action does (the contexts' 15 s, below), not its own 5 s: on
# CI's two busy cores Swagger UI once took longer than 5 s to draw (test_hardening)
expect.set_options(timeout=15_000)

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse
# to run beside it. The browser tests touch the database only from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AMPWORK_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("AMPWORK_SCREENSHOTS", "screenshots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set AMPWORK_CHROMIUM)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Any, str, str], None]:
    def go(page: Any, email: str, password: str) -> None:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")

    return go


@pytest.fixture
def shot() -> Callable[[Any, str], None]:
    """Keep a screenshot of what the test saw (CI keeps them as artefacts)."""

    def take(page: Any, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take
