"""Which language a person reads ampwork in (pages, emails, notifications, chat).

Their own choice (Person.language) first; else, on a page, the language their browser asks
for when ampwork speaks it (core/middleware.py LanguageMiddleware); else their
organisation's default. Emails and notifications have no browser to ask: the choice, then
the organisation's default.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

if TYPE_CHECKING:
    from django.http import HttpRequest

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


# Emails are written where they are built (each app's services), often several in one loop
# to different people. Three small tools let a builder write each in its reader's language
# without moving its code about:
#   @addressed_to("person")  the whole function writes to the person in that argument
#   @keeps_language + speak_to(person) in a loop: each iteration in its reader's language,
#                            and the caller's language is back when the function returns

P = ParamSpec("P")
R = TypeVar("R")


def addressed_to(parameter: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the decorated function in the language of the person passed as ``parameter``."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            person = signature.bind_partial(*args, **kwargs).arguments.get(parameter)
            with speaking_to(person):
                return func(*args, **kwargs)

        return wrapper

    return decorate


def keeps_language(func: Callable[P, R]) -> Callable[P, R]:
    """The decorated function may switch language (``speak_to``): the caller's is back
    when it returns or raises."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(translation.get_language()):
            return func(*args, **kwargs)

    return wrapper


def speak_to(person: Person | None) -> str:
    """From here on (inside a ``@keeps_language`` function), write in ``person``'s
    language."""
    language = language_of(person)
    translation.activate(language)
    return language


def speak_in(language: str | None, organisation: Organisation | None = None) -> str:
    """As ``speak_to`` for a reader known by a language code only (a person's
    ``language`` read with ``values_list``), else ``organisation``'s default; a guardian,
    who has no person, reads their child's school's."""
    chosen = supported(language) or organisation_language(organisation)
    translation.activate(chosen)
    return chosen


@contextmanager
def chosen_or_current(person: Person | None) -> Iterator[str]:
    """A person's own choice, else the language already active (a password reset asked
    for from a browser: that browser's)."""
    language = supported(person.language if person else None) or translation.get_language()
    with translation.override(language):
        yield language or settings.LANGUAGE_CODE


# where a request's language came from (request.language_source), strongest first
PERSON, COOKIE, BROWSER, ORGANISATION, DEFAULT = (
    "person",
    "cookie",
    "browser",
    "organisation",
    "default",
)


def from_browser(header: str) -> str | None:
    """The first language of an Accept-Language header that ampwork speaks, or None."""
    for code, _quality in parse_accept_lang_header(header or ""):
        if code != "*" and (found := supported(code)):
            return found
    return None


def from_request(request: HttpRequest) -> tuple[str, str]:
    """A request's language and where it came from: the signed-in person's choice, the
    language cookie, the browser's Accept-Language, the current organisation's default,
    settings.LANGUAGE_CODE (core/middleware.py LanguageMiddleware)."""
    actor: Any = getattr(request, "actor", None)
    person = getattr(actor, "person", None)
    if person is not None and (chosen := supported(person.language)):
        return chosen, PERSON
    if cookie := supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        return cookie, COOKIE
    if browser := from_browser(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        return browser, BROWSER
    if actor is not None:
        return organisation_language(actor.organisation), ORGANISATION
    return settings.LANGUAGE_CODE, DEFAULT


def _activate(request: HttpRequest, language: str, source: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.language_source = source  # type: ignore[attr-defined]


def use_organisation(request: HttpRequest, organisation: Organisation | None) -> str:
    """A page that belongs to an organisation but is read signed out (a pulse answer link,
    an unsubscribe link) speaks that organisation's default language, unless the reader's
    own choice, their cookie or their browser said which one they read. Returns the
    request's language."""
    source = getattr(request, "language_source", DEFAULT)
    if organisation is not None and source in (DEFAULT, ORGANISATION):
        _activate(request, organisation_language(organisation), ORGANISATION)
    return translation.get_language() or settings.LANGUAGE_CODE


def use_person(request: HttpRequest, person: Person | None) -> str:
    """Once a request's person is known only late (an API token, authenticated inside the
    view), their own choice wins over the cookie and the browser; without one, their
    organisation's default applies where nothing else said more."""
    if person is not None and (chosen := supported(person.language)):
        _activate(request, chosen, PERSON)
    elif person is not None:
        use_organisation(request, person.organisation)
    return translation.get_language() or settings.LANGUAGE_CODE


def current() -> str:
    """The active language (to go back to after ``speak_to``/``speak_in``)."""
    return translation.get_language() or settings.LANGUAGE_CODE


def chosen_in(organisation: Organisation) -> dict[int, str]:
    """Each person of ``organisation`` who chose a language: person id → its code (for
    ``speak_in`` in a loop over ids, one query)."""
    from .models import Person

    return dict(
        Person.objects.filter(organisation=organisation)
        .exclude(language="")
        .values_list("id", "language")
    )
