"""Which language a person reads ampwork in (pages, emails, notifications, chat).

Their own choice (Person.language) first; else, on a page, the language their browser asks
for when ampwork speaks it (core/middleware.py LanguageMiddleware); else their
organisation's default. Emails and notifications have no browser to ask: the choice, then
the organisation's default.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from .models import Organisation, Person

SUPPORTED = tuple(code for code, _name in settings.LANGUAGES)


def supported(code: str | None) -> str | None:
    """A language code ampwork speaks ("de", "en-gb"), or None; "de-AT" reads as "de"."""
    if not code:
        return None
    code = code.lower()
    if code in SUPPORTED:
        return code
    base = code.split("-")[0]
    for candidate in SUPPORTED:
        if candidate == base or candidate.split("-")[0] == base:
            return candidate
    return None


def organisation_language(organisation: Organisation | None) -> str:
    if organisation is not None:
        return supported(organisation.default_language) or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def language_of(person: Person | None) -> str:
    """The language to write to ``person`` in when no browser is there to ask: their
    choice, else their organisation's default."""
    if person is None:
        return settings.LANGUAGE_CODE
    return supported(person.language) or organisation_language(person.organisation)


@contextmanager
def speaking_to(person: Person | None) -> Iterator[str]:
    """``with speaking_to(person): render the email`` — everything translated inside is in
    ``person``'s language (and its dates and numbers are written their way)."""
    language = language_of(person)
    with translation.override(language):
        yield language
