"""Errors raised by services and shown to every caller in its own way.

The web shows them beside the field, the API answers 422 with a field-level body, the
CLI prints ``file:line: field: message`` and exits non-zero. Nothing is written when one
is raised: services run inside a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    line: int | None = None
    # the file of a bundle of several (a OneRoster zip); None for a single file's import,
    # whose name the ValidationFailed's ``source`` gives
    file: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        inside = f"{self.file}: " if self.file else ""
        return f"{inside}{where}{self.field}: {self.message}"


class ValidationFailed(Exception):
    """One or more fields are wrong. ``errors`` says which and why."""

    def __init__(self, errors: Iterable[FieldError], source: str | None = None) -> None:
        self.errors = list(errors)
        self.source = source
        super().__init__("; ".join(str(e) for e in self.errors))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])

    def lines(self) -> list[str]:
        """Human lines, each naming the file (when known), line and field."""
        prefix = f"{self.source}: " if self.source else ""
        return [f"{prefix}{error}" for error in self.errors]


def only(changes: dict[str, object], allowed: Iterable[str]) -> None:
    """Refuse changes to fields a service does not change, naming each."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationFailed(FieldError(f, _("cannot be changed")) for f in sorted(unknown))


def clean_text(value: str | None, field: str, limit: int, *, required: bool = True) -> str:
    """``value`` stripped, or a ValidationFailed naming ``field`` if it is missing (when
    required) or longer than ``limit`` characters."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed.single(field, _("is required"))
    if len(value) > limit:
        raise ValidationFailed.single(
            field, _("is at most %(limit)d characters") % {"limit": limit}
        )
    return value


class NotAllowed(Exception):
    """The actor may not do this. Web and API answer 403."""


class TwoFactorRequired(NotAllowed):
    """The actor's role may do this, but their organisation requires two-factor sign-in of
    them first and they have not set it up. The web explains and links to the set-up; the
    API answers 403 with this message."""


class NotFound(Exception):
    """No such object in the actor's organisation. Web and API answer 404."""
