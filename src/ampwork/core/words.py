"""The pure modules' door to translation (docs/translating.md, "Pure modules"): they mark
their words for people with these and touch nothing else of Django — no database, no
request, no settings but the active language. The import contract (pyproject.toml) lets
only this module and core/l10n.py reach Django on their behalf."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import (
    get_language,
    gettext,
    gettext_lazy,
    gettext_noop,
    ngettext,
    pgettext,
    pgettext_lazy,
)

__all__ = [
    "Promise",
    "get_language",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "label",
    "ngettext",
    "pgettext",
    "pgettext_lazy",
]


def label(labels: Mapping[str, str | Promise], value: object) -> str:
    """A stored value (a status, a kind, a data category) in the reader's language, looked
    up in ``labels``; a value the table does not know (an organisation's own category) as
    it was written, and nothing for None."""
    if value is None:
        return ""
    return str(labels.get(str(value), value))
