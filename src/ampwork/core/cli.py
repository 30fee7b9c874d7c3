"""Helpers shared by the management commands (the ``ampwork`` CLI)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

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
