"""The README's set-up commands, tour and screenshots match the demo (issue 18, item 6): each
path the tour names is a page, each sign-in it names is a demo account, and each image is
one that scripts/screenshots.py takes, with its caption."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.urls import Resolver404, resolve

from ampwork.demo import outbox
from ampwork.demo.services import DEMO_PASSWORD, demo_sign_ins

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"the README has no section {title!r}"
    return match.group(1)


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"^```\n(.*?)^```", text, re.S | re.M)]


def _screenshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOUR = _section("A five-minute tour")
PATHS = re.findall(r"`(/[^`\s]*)`", TOUR)
EMAILS = re.findall(r"`([\w.+-]+@[\w.-]+)`", TOUR)


def test_the_demo_is_one_command_line_in_a_virtual_environment() -> None:
    assert _blocks(_section("Try the demo")) == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && ampwork demo"
    ]


def test_the_tests_are_one_command() -> None:
    assert _blocks(_section("Run the tests")) == ["bash scripts/test.sh"]


def test_the_readme_says_which_python_and_where_the_data_lives() -> None:
    demo = _section("Try the demo")
    assert "Python 3.11 or newer" in demo
    assert "ampwork demo --reset" in demo
    assert "~/.local/share/ampwork" in demo


def test_the_python_it_names_is_the_one_the_package_requires() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in pyproject


def test_the_tour_names_pages() -> None:
    assert len(PATHS) >= 6


@pytest.mark.parametrize("path", PATHS)
def test_each_path_of_the_tour_is_a_page(path: str) -> None:
    try:
        resolve(path)
    except Resolver404:
        pytest.fail(f"the tour names {path}, which is no page")


def test_the_tour_signs_in_as_each_company_role_and_the_school() -> None:
    assert {
        "member@brightwater.example",
        "manager@brightwater.example",
        "admin@brightwater.example",
        "teacher@hillside.example",
    } <= set(EMAILS)


@pytest.mark.parametrize("email", EMAILS)
def test_each_sign_in_of_the_tour_is_a_demo_account(email: str) -> None:
    assert email in {e for e, _, _ in demo_sign_ins()}


def test_the_tour_gives_the_demo_password() -> None:
    assert f"`{DEMO_PASSWORD}`" in TOUR


def test_the_terminal_line_it_quotes_is_the_one_the_demo_prints() -> None:
    line = outbox.batch_line(
        ["Spring pulse: two minutes, anonymous"] * 59, "http://127.0.0.1:8000/demo/outbox/"
    )
    assert f"`{line}`" in _section("Try the demo")


def test_each_image_is_one_the_screenshot_script_takes_with_its_caption() -> None:
    images = re.findall(r"!\[([^\]]*)\]\((docs/screenshots/[^)]+)\)", README)
    taken = {f"docs/screenshots/{name}": caption for name, _, _, caption in _screenshots().SHOTS}
    assert dict((path, caption) for caption, path in images) == taken
    for path in taken:
        assert (ROOT / path).is_file(), f"{path} is missing: run python scripts/screenshots.py"


def test_the_screenshots_sign_in_as_demo_accounts_and_open_pages() -> None:
    accounts = {e for e, _, _ in demo_sign_ins()}
    for name, email, path, _ in _screenshots().SHOTS:
        assert email in accounts, name
        resolve(path)
