"""Writes for languages: the language a person reads ampwork in, and their
organisation's default (core/languages.py says how a page picks its language)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor, require

from .audit import record

CODES = frozenset(code for code, _name in settings.LANGUAGES)


@transaction.atomic
def set_my_language(*, actor: Actor, language: str) -> Person:
    """The acting person's own language ("" follows their browser, then their
    organisation's default)."""
    person = actor.person
    require(actor, "language.choose", person)
    if person is None:  # pragma: no cover - the rule above needs a person
        raise ValidationFailed.single("language", "needs a person")
    if language and language not in CODES:
        raise ValidationFailed.single("language", "is not a language ampwork speaks")
    before = person.language
    if before != language:
        person.language = language
        person.save(update_fields=["language"])
        record(
            actor,
            actor.organisation,
            "person.language_changed",
            person,
            language=[before, language],
        )
    return person


@transaction.atomic
def set_organisation_language(*, actor: Actor, language: str) -> Organisation:
    """The organisation's default language: for whoever chose none and whose browser
    asks for none ampwork speaks, and for their emails."""
    org = actor.organisation
    require(actor, "organisation.language", org)
    if language not in CODES:
        raise ValidationFailed.single("default_language", "is not a language ampwork speaks")
    before = org.default_language
    if before != language:
        org.default_language = language
        org.save(update_fields=["default_language"])
        record(actor, org, "organisation.language_changed", org, language=[before, language])
    return org
