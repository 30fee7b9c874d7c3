"""The notification centre's reads: a person's own notifications, their unread count (one
query, whatever their number) and their choices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ampwork.core.models import Person

from . import kinds
from .models import Notification, Preference, QuietHours

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def mine(person: Person) -> QuerySet[Notification]:
    """Newest first."""
    return Notification.objects.filter(
        recipient=person, organisation_id=person.organisation_id
    ).order_by("-created_at", "-id")


def unread_count(person: Person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


@dataclass(frozen=True)
class Row:
    kind: kinds.Kind
    cells: list[tuple[str, StrOrPromise, bool]]  # (channel code, channel label, on)
    label: StrOrPromise  # the kind's name and help in the person's organisation's words
    help: StrOrPromise


@dataclass(frozen=True)
class Choices:
    rows: list[Row]
    quiet: QuietHours | None

    def enabled(self) -> list[tuple[str, str]]:
        return [(r.kind.code, code) for r in self.rows for code, _, on in r.cells if on]


# chat channel → whether a person can be reached there (ampwork.chat registers them)
REACHES: dict[str, Callable[[Person], bool]] = {}


def offered(person: Person) -> tuple[tuple[str, StrOrPromise], ...]:
    """The channels this person's grid shows: in the app, email, and each chat they linked."""
    return tuple(
        (code, label)
        for code, label in kinds.CHANNELS
        if code not in kinds.CHATS or (code in REACHES and REACHES[code](person))
    )


def choices(
    person: Person, channels: tuple[tuple[str, StrOrPromise], ...] = kinds.CHANNELS
) -> Choices:
    """The grid kind × channel as this person has it (their choice, else the default)."""
    chosen = {(p.kind, p.channel): p.enabled for p in Preference.objects.filter(person=person)}
    school = person.organisation.is_school
    rows = [
        Row(
            kind,
            [
                (code, label, chosen.get((kind.code, code), kinds.default(kind.code, code)))
                for code, label in channels
            ],
            kind.label_for(school),
            kind.help_for(school),
        )
        for kind in kinds.KINDS
    ]
    return Choices(rows, QuietHours.objects.filter(person=person).first())
