"""Helpers shared by the management commands (the ``ampwork`` CLI).

The command line speaks the operator's language (``ampwork.cli.cli_language``): every
command's help and its argument's helps are marked with ``gettext_lazy`` below and the
commands derive from ``TranslatedCommand``; what a command writes for machines (JSON, CSV)
it writes inside ``machine_readable()``, the same in every language."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

from django.conf import settings
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _gettext_lazy

from . import selectors, worker
from .errors import NotFound, ValidationFailed
from .models import Organisation


def organisation(slug: str | None) -> Organisation:
    """The organisation named by --org, or the only one there is."""
    if slug:
        try:
            return selectors.organisation_by_slug(slug)
        except NotFound as exc:
            raise CommandError(str(exc)) from None
    orgs = list(Organisation.objects.order_by("slug")[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise CommandError(
            _(
                "there is no organisation yet: create one with "
                "'ampwork createadmin --email E --org NAME'"
            )
        )
    slugs = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True)[:20])
    raise CommandError(
        _("several organisations exist: name one with --org (%(slugs)s)") % {"slugs": slugs}
    )


def organisations(slug: str | None) -> list[Organisation]:
    """The organisation named by --org, or every one (for jobs cron runs for all)."""
    if slug:
        return [organisation(slug)]
    return list(Organisation.objects.order_by("slug"))


def day_option(raw: str, option: str = "--date") -> dt.date | None:
    """A command's day option (YYYY-MM-DD), None when not given; CommandError otherwise."""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            _("%(option)s: '%(raw)s' is not a date like 2026-03-31")
            % {"option": option, "raw": raw}
        ) from None


def fail(exc: ValidationFailed) -> CommandError:
    return CommandError("\n".join(exc.lines()))


def queued_note() -> str:
    """What a command that queued work says about who does it."""
    if worker.defers():
        return _("The background worker sends them: keep 'ampwork worker' running.")
    return _("Sent now (AMPWORK_TASKS=immediate: no background worker).")


def gettext_lazy(message: str) -> str:
    """Django's ``gettext_lazy``, typed as the ``str`` that ``BaseCommand.help`` and
    argparse's ``help=`` are declared to take: translated when the help is printed, in the
    language active then. argparse formats each argument's help with ``%``
    (``%(default)s``): a literal per cent sign is written ``%%``."""
    return cast(str, _gettext_lazy(message))


def machine_readable(when: bool = True) -> translation.override:
    """``with machine_readable():`` output for machines (JSON, CSV, tab-separated lists) —
    written the same in every language the command line speaks: in the source language.
    ``machine_readable(options["format"] == "json")`` around what both formats compute
    changes nothing for people's text."""
    return translation.override(settings.LANGUAGE_CODE if when else translation.get_language())


# Django's own options of every command, whose helps Django does not mark for translation
BASE_OPTIONS = {
    "--version": gettext_lazy("Show program's version number and exit."),
    "--verbosity": gettext_lazy(
        "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, "
        "3=very verbose output"
    ),
    "--settings": gettext_lazy(
        'The Python path to a settings module, e.g. "myproject.settings.main". If this '
        "isn't provided, the DJANGO_SETTINGS_MODULE environment variable will be used."
    ),
    "--pythonpath": gettext_lazy(
        'A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'
    ),
    "--traceback": gettext_lazy("Display a full stack trace on CommandError exceptions."),
    "--no-color": gettext_lazy("Don't colorize the command output."),
    "--force-color": gettext_lazy("Force colorization of the command output."),
    "--skip-checks": gettext_lazy("Skip system checks."),
    "--help": gettext_lazy("Show this help message and exit."),
}


class _Formatter(DjangoHelpFormatter):
    """argparse's help layout (Django's order: a command's own options first) with its
    one word of English, "usage:", translated."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def _translate(parser: argparse.ArgumentParser) -> None:
    """Put the translated helps and headings into ``parser`` and its subcommands' parsers."""
    parser.formatter_class = _Formatter
    parser._positionals.title = gettext_lazy("positional arguments")
    parser._optionals.title = gettext_lazy("options")
    for action in parser._actions:
        for option in action.option_strings:
            if option in BASE_OPTIONS:
                action.help = BASE_OPTIONS[option]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _translate(sub)


class TranslatedCommand(BaseCommand):
    """A management command whose ``--help`` is all in the command line's language: its
    own helps (marked with ``gettext_lazy``), Django's options and argparse's headings."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse wraps the description with re.sub, which takes a str, not a lazy one
        parser.description = str(self.help) if self.help else None
        _translate(parser)
        return parser


def walk_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and its subcommands' parsers, depth first (the tests read every help)."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from walk_parsers(sub)
