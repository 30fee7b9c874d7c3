"""Take the README's screenshots from the running demo.

    python scripts/screenshots.py            # writes docs/screenshots/*.png

Starts ``ampwork demo`` on a free port with a data directory of its own (a fresh demo,
never yours), signs in as the roles below in Debian's Chromium (Playwright, never
``playwright install``) at laptop size, writes each page's image, and stops the demo.
Needs the test dependencies (``pip install -e ".[test]"``) and ``/usr/bin/chromium``
(``AMPWORK_CHROMIUM`` names another). ``--data-dir DIR`` reuses a demo built there before
(faster); ``--out DIR`` writes the images elsewhere.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("AMPWORK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
LAPTOP = (1280, 800)  # width, height
PASSWORD = "ampwork-demo"

# (file name, who signs in, path, what it shows: the README's caption)
SHOTS = [
    (
        "home.png",
        "manager@brightwater.example",
        "/",
        "A manager's home page: the team's week, its pulse results, reviews waiting for an answer",
    ),
    (
        "okrs.png",
        "manager@brightwater.example",
        "/okrs/",
        "The OKR alignment tree: progress rolled up by team, coloured by pacing",
    ),
    (
        "advisor.png",
        "admin@brightwater.example",
        "/advisor/",
        "The advisor: readiness, and the framework's classic mistakes caught in the demo's data",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_demo(port: int, data_dir: Path, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AMPWORK_DATA_DIR": str(data_dir),
        # this checkout's ampwork, whatever is installed
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    command = [sys.executable, "-m", "ampwork", "demo", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the demo stopped (exit {process.returncode}): see its log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    raise SystemExit(f"the demo did not answer at {url} within {seconds:.0f} s")


def take(url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, email, path, _ in SHOTS:
                context = browser.new_context(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
                page = context.new_page()
                page.goto(f"{url}/sign-in/")
                page.get_by_label("Email").fill(email)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{url}/")
                page.goto(f"{url}{path}")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)  # charts are drawn when seen
                target = out / name
                page.screenshot(path=str(target))
                written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--data-dir", type=Path, help="the demo's data directory (kept)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ampwork-shots-") as scratch:
        data_dir = args.data_dir or Path(scratch) / "data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = Path(scratch) / "demo.log"
        with log_path.open("wb") as log:
            demo = start_demo(port, data_dir, log)
            try:
                wait_until_up(url, demo)
                written = take(url, args.out)
            except BaseException:
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                demo.terminate()
                try:
                    demo.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    demo.kill()
                    demo.wait()
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
