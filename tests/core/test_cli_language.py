"""The command line speaks the operator's language (ampwork.cli.cli_language): its helps
are translated, and what it writes for machines is the same in every language."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class
from django.db import transaction
from django.utils import translation

from ampwork import cli
from ampwork.core.cli import BASE_OPTIONS, TranslatedCommand, walk_parsers

LANGUAGES = ["en-gb", "de", "fr", "es"]
LOCALE_VARIABLES = ("AMPWORK_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
SRC = Path(cli.__file__).resolve().parents[1]


def language(**environ: str) -> str:
    return cli.cli_language(environ, LANGUAGES, "en-gb")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en-gb"),  # nothing set: English
        ({"LANG": ""}, "en-gb"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_AT"}, "de"),  # a region ampwork has no catalogue of: its language
        ({"LANG": "de"}, "de"),
        ({"LANG": "fr_FR.UTF-8@euro"}, "fr"),  # encoding and modifier dropped
        ({"LANG": "es-MX"}, "es"),
        ({"LANG": "en_GB.UTF-8"}, "en-gb"),
        ({"LANG": "en_US.UTF-8"}, "en-gb"),  # English is English
        ({"LANG": "C"}, "en-gb"),
        ({"LANG": "C.UTF-8"}, "en-gb"),
        ({"LANG": "POSIX"}, "en-gb"),
        ({"LANG": "pt_BR.UTF-8"}, "en-gb"),  # a language ampwork does not have
        ({"LANG": "de_DE", "LC_MESSAGES": "fr_FR"}, "fr"),  # LC_MESSAGES before LANG
        ({"LANG": "de_DE", "LC_MESSAGES": "fr_FR", "LC_ALL": "es_ES"}, "es"),  # LC_ALL first
        ({"LANG": "de_DE", "LC_ALL": "C"}, "en-gb"),  # LC_ALL=C overrides LANG
        ({"LANG": "de_DE", "LC_ALL": "pt_PT"}, "de"),  # the first one ampwork has
        ({"LANG": "de_DE", "LANGUAGE": "fr"}, "fr"),  # LANGUAGE before the locale
        ({"LANG": "de_DE", "LANGUAGE": "pt:it:es"}, "es"),  # its first one ampwork has
        ({"LANG": "de_DE", "LANGUAGE": "pt:it"}, "de"),  # none: the locale's
        ({"LANG": "de_DE", "LANGUAGE": "::fr:"}, "fr"),  # empty entries skipped
        ({"LANG": "es_ES", "LANGUAGE": "pt:C:fr"}, "en-gb"),  # C in the list ends it
        ({"LANG": "C", "LANGUAGE": "de"}, "en-gb"),  # gettext ignores LANGUAGE under C
        ({"LC_ALL": "POSIX", "LANGUAGE": "de"}, "en-gb"),
        ({"LANGUAGE": "de"}, "de"),  # no locale set (not C): LANGUAGE counts
        ({"AMPWORK_LANGUAGE": "fr", "LANG": "de_DE"}, "fr"),  # ampwork's own wins
        ({"AMPWORK_LANGUAGE": "es", "LC_ALL": "C"}, "es"),  # even over C
        ({"AMPWORK_LANGUAGE": "en", "LANGUAGE": "de"}, "en-gb"),
        ({"AMPWORK_LANGUAGE": "de_CH.UTF-8"}, "de"),
        ({"AMPWORK_LANGUAGE": "it", "LANG": "de_DE"}, "en-gb"),  # decides alone
        ({"AMPWORK_LANGUAGE": " ", "LANG": "de_DE"}, "de"),  # blank: not set
        ({"AMPWORK_LANGUAGE": "FR"}, "fr"),  # case does not matter
    ],
)
def test_the_language_comes_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert language(**environ) == expected


def test_the_default_is_the_one_given() -> None:
    assert cli.cli_language({"LANG": "it_IT"}, ["en-gb", "it"], "en-gb") == "it"
    assert cli.cli_language({"LANG": "nl_NL"}, ["en-gb", "de"], "de") == "de"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No locale variable of the machine running the tests."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with translation.override(settings.LANGUAGE_CODE):  # main() activates one: undone after
        yield


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, **env: str
) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


@pytest.mark.usefixtures("environment")
def test_help_of_a_command_in_german(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_main(monkeypatch, capsys, "help", "demo", LANG="de_DE.UTF-8")
    assert "Erstellt die Demo-Daten" in out, out
    assert "Legt die Demo-Organisationen an" in out  # the command's own help
    assert "Create the demo data" not in out
    assert "Aufruf: ampwork demo" in out
    assert "Optionen:" in out
    assert "usage:" not in out
    assert "Zeigt diese Hilfe" in out  # -h, argparse's


@pytest.mark.usefixtures("environment")
def test_help_under_the_c_locale_is_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = " ".join(run_main(monkeypatch, capsys, "help", "demo", LANG="C", LANGUAGE="de").split())
    assert "Create the demo data and print the sign-ins, then stop." in out
    assert "usage: ampwork demo" in out


@pytest.mark.usefixtures("environment")
def test_ampwork_language_and_the_top_level_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    english = run_main(monkeypatch, capsys, "--help")
    assert "ampwork demo" in english
    assert "Main commands:" in english
    french = run_main(monkeypatch, capsys, "--help", AMPWORK_LANGUAGE="fr", LANG="de_DE.UTF-8")
    assert "Commandes principales" in french
    assert "Main commands" not in french


def test_the_console_script_speaks_lang(tmp_path: Path) -> None:
    """`LANG=es_ES.UTF-8 ampwork help token`, as an operator runs it."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env |= {"AMPWORK_DATA_DIR": str(tmp_path), "PYTHONPATH": str(SRC), "LANG": "es_ES.UTF-8"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "ampwork", "help", "token"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Tokens personales de la API" in result.stdout
    assert "Personal API tokens" not in result.stdout


def test_demo_language_is_the_demos_not_the_clis() -> None:
    """`ampwork demo --language X` names the demo data's language; the command line's is
    the environment's."""
    parser = load_command_class("ampwork.demo", "demo").create_parser("ampwork", "demo")
    options = parser.parse_args(["--language", "fr", "--no-serve"])
    assert options.language == "fr"
    assert translation.get_language() == settings.LANGUAGE_CODE


def ampwork_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("ampwork.")}


def test_every_ampwork_command_is_translated() -> None:
    commands = ampwork_commands()
    assert {"demo", "serve", "okrs", "fairness", "import", "worker"} <= set(commands)
    for name, app in commands.items():
        assert isinstance(load_command_class(app, name), TranslatedCommand), name


def helps(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """(where, text) of every help, description and heading of a parser and its subparsers."""
    for one in walk_parsers(parser):
        if one.description:
            yield one.prog, str(one.description)
        for group in one._action_groups:
            if group.title:
                yield f"{one.prog} heading", str(group.title)
        for action in one._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                yield (
                    f"{one.prog} {'/'.join(action.option_strings) or action.dest}",
                    str(action.help),
                )
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.help:
                        yield f"{one.prog} {choice.dest}", str(choice.help)


# the same words in English and the language (checked by a person, not left over)
SAME_IN = {
    "de": set[str](),
    "fr": {"options"},
    "es": set[str](),
}


@pytest.mark.parametrize("code", ["de", "fr", "es"])
def test_no_english_help_is_left(code: str) -> None:
    """Every help text of every ampwork command differs from its English (or is listed)."""
    left: list[str] = []
    for name, app in sorted(ampwork_commands().items()):
        with translation.override("en-gb"):
            english = dict(helps(load_command_class(app, name).create_parser("ampwork", name)))
        with translation.override(code):
            translated = dict(helps(load_command_class(app, name).create_parser("ampwork", name)))
        assert english.keys() == translated.keys()
        left += [
            f"{where}: {text}"
            for where, text in translated.items()
            if text == english[where] and text not in SAME_IN[code]
        ]
        with translation.override(code):
            parser = load_command_class(app, name).create_parser("ampwork", name)
            parser.format_help()  # the formatter takes the lazy helps (and their %%)
            for sub in walk_parsers(parser):
                sub.format_help()
    assert not left, "\n".join(left)


def test_lazy_helps_keep_argparse_formatting() -> None:
    """argparse formats each help with % (%(default)s): lazy strings work with it, and a
    literal per cent sign written %% comes out as one."""
    from ampwork.core.cli import gettext_lazy

    parser = argparse.ArgumentParser(prog="x")
    parser.add_argument("--n", default=5, help=gettext_lazy("up to 100%% (default %(default)s)"))
    assert "up to 100% (default 5)" in parser.format_help()
    for option, text in BASE_OPTIONS.items():  # Django's own options, translated by ampwork
        with translation.override("en-gb"):
            english = str(text)
        with translation.override("de"):
            assert str(text) != english, option


# ---- output for machines: the same bytes in every language --------------------------------


def run_in(code: str, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    with translation.override(code):
        call_command(*args)
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ("export",),
        ("advisor", "findings", "--org", "brightwater", "--format", "json"),
        ("purpose", "themes", "--org", "brightwater", "--format", "json"),
        ("feedback", "requests", "--org", "brightwater", "--format", "json"),
        ("one-on-ones", "list", "--org", "brightwater", "--format", "json"),
        ("okrs", "export", "--org", "brightwater"),
        ("autonomy", "export", "--org", "brightwater"),
        ("autonomy", "export", "--org", "brightwater", "--history"),
        ("backup", "--counts"),
    ],
)
@pytest.mark.usefixtures("demo")
def test_machine_output_is_the_same_in_every_language(
    args: tuple[str, ...], capfd: pytest.CaptureFixture[str]
) -> None:
    outputs = {}
    for code in LANGUAGES:
        capfd.readouterr()
        # each run on the same data (export records that it ran: undone)
        with transaction.atomic(), translation.override(code):
            call_command(*args)
            transaction.set_rollback(True)
        outputs[code] = capfd.readouterr().out
    assert outputs["en-gb"].strip()
    for code in ("de", "fr", "es"):
        differ = [
            (e, o)
            for e, o in zip(outputs["en-gb"].splitlines(), outputs[code].splitlines(), strict=False)
            if e != o
        ]
        assert outputs[code] == outputs["en-gb"], (args, code, differ[:3])


@pytest.mark.usefixtures("demo")
def test_advisor_findings_in_json_are_english_and_in_text_german(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with translation.override("en-gb"):
        call_command("advisor", "findings", "--org", "brightwater", "--format", "json")
    english = json.loads(capfd.readouterr().out)
    assert english["findings"], "the demo company has findings"
    with translation.override("de"):
        call_command("advisor", "findings", "--org", "brightwater")
    text = capfd.readouterr().out
    assert "nächster Schritt" in text or "Befund" in text, text
    assert english["findings"][0]["title"] not in text


def test_fairness_json_is_the_same_in_every_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["employee_id,gender,role,level,location,base_pay,band_min,band_max"]
    rows += [f"m{i},male,dev,2,x,{50000 + i * 900},40000,70000" for i in range(12)]
    rows += [f"f{i},female,dev,2,x,{41000 + i * 900},40000,70000" for i in range(12)]
    path = tmp_path / "pay.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outputs = {
        code: run_in(code, capsys, "fairness", "audit", str(path), "--format", "json")
        for code in LANGUAGES
    }
    assert json.loads(outputs["en-gb"])["n"] == 24
    assert len(set(outputs.values())) == 1
