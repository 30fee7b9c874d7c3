"""The ``ampwork`` command: Django's management commands under the project's settings.

``ampwork demo``, ``ampwork serve``, ``ampwork import people FILE.csv`` … are management
commands in the apps' ``management/commands``; this points Django at the settings and
speaks the operator's language (``cli_language``: ``AMPWORK_LANGUAGE``, else the locale the
way gettext reads it, else English). Output for machines (JSON, CSV, exports) stays in
English whatever the language: the commands write it inside ``core.cli.machine_readable``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping

# The locale variables in gettext's order: LANGUAGE (a colon-separated list of preferences)
# first, then the locale itself (LC_ALL overrides LC_MESSAGES overrides LANG).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
# the locales that mean "no translation" (POSIX); "C.UTF-8" is one too
UNTRANSLATED = frozenset({"c", "posix"})


def _language_of(name: str, languages: Iterable[str]) -> str | None:
    """The one of ``languages`` a locale name names ("de_DE.UTF-8@euro" → "de",
    "en_GB" → "en-gb", "en_US" → "en-gb" when only that English is there), or None."""
    code = name.split(".", 1)[0].split("@", 1)[0].strip().lower().replace("_", "-")
    if not code:
        return None
    known = list(languages)
    if code in known:
        return code
    base = code.split("-", 1)[0]
    for candidate in known:
        if candidate.split("-", 1)[0] == base:
            return candidate
    return None


def _untranslated(name: str) -> bool:
    return name.split(".", 1)[0].split("@", 1)[0].strip().lower() in UNTRANSLATED


def cli_language(environ: Mapping[str, str], languages: Iterable[str], default: str) -> str:
    """The language the command line speaks, from the environment (pure: no Django).

    ``AMPWORK_LANGUAGE``, when set, decides alone (a language ampwork does not have → the
    default). Otherwise as gettext does: the effective locale is the first set of LC_ALL,
    LC_MESSAGES, LANG; when it is "C" or "POSIX" the answer is the default (gettext then
    ignores LANGUAGE too); else the first entry of LANGUAGE (a colon-separated list), then
    the locale variables, that names one of ``languages``; else the default.
    """
    known = list(languages)
    chosen = environ.get("AMPWORK_LANGUAGE", "").strip()
    if chosen:
        return _language_of(chosen, known) or default
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    if locale and _untranslated(locale):
        return default
    candidates = [*environ.get("LANGUAGE", "").split(":")]
    candidates += [environ.get(name, "") for name in LOCALE_VARIABLES]
    for name in candidates:
        if not name.strip():
            continue
        if _untranslated(name):
            return default
        found = _language_of(name, known)
        if found:
            return found
    return default


def _top_help() -> str:
    from django.utils.translation import gettext as _

    return _(
        "The ampwork command: Django's management commands under ampwork's settings.\n"
        "\n"
        "'ampwork demo', 'ampwork serve', 'ampwork import people FILE.csv' … are management "
        "commands of ampwork's apps; the command line speaks your language (AMPWORK_LANGUAGE, "
        "else LANGUAGE, LC_ALL, LC_MESSAGES or LANG).\n"
        "\n"
        "Main commands: demo, serve, worker, migrate, createadmin, token create, backup, "
        "import people|teams FILE.csv, export, generate --people N.\n"
        "Run 'ampwork help' for every command, 'ampwork help COMMAND' for one."
    )


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ampwork.settings")
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line
    from django.utils import translation

    # translations need the apps loaded; execute_from_command_line's own django.setup()
    # then finds them ready and changes nothing
    django.setup()
    codes = [code for code, _name in settings.LANGUAGES]
    translation.activate(cli_language(os.environ, codes, settings.LANGUAGE_CODE))
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(_top_help())
        return 0
    execute_from_command_line(["ampwork", *args])
    return 0
