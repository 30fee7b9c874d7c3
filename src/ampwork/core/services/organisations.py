"""Writes for organisations: creating one and changing its settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed, only
from ampwork.core.models import MIN_ANONYMITY, Organisation
from ampwork.core.permissions import Actor, require

from .audit import record

# Apps that rely on the anonymity minimum say here when it may not change (an open pulse).
ANONYMITY_LOCKS: list[Callable[[Organisation], str | None]] = []


def _check_anonymity(value: int) -> None:
    if value < MIN_ANONYMITY:
        raise ValidationFailed.single(
            "anonymity_min_group",
            _("must be at least %(min)d to keep answers anonymous") % {"min": MIN_ANONYMITY},
        )


@transaction.atomic
def create_organisation(
    *,
    name: str,
    kind: str = Organisation.Kind.COMPANY,
    slug: str = "",
    anonymity_min_group: int = 5,
    autonomy_policy: str = Organisation.AutonomyPolicy.TOGETHER,
    okr_cadence: str = Organisation.Cadence.QUARTERLY,
) -> Organisation:
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", _("is required"))
    if kind not in Organisation.Kind.values:
        raise ValidationFailed.single(
            "kind",
            _("must be one of %(allowed)s") % {"allowed": ", ".join(Organisation.Kind.values)},
        )
    _check_anonymity(anonymity_min_group)
    slug = slugify(slug or name)[:60] or "organisation"
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationFailed.single("slug", _("'%(slug)s' is already taken") % {"slug": slug})
    return Organisation.objects.create(
        name=name,
        slug=slug,
        kind=kind,
        anonymity_min_group=anonymity_min_group,
        autonomy_policy=autonomy_policy,
        okr_cadence=okr_cadence,
    )


ORGANISATION_FIELDS = (
    "name",
    "anonymity_min_group",
    "autonomy_policy",
    "okr_cadence",
    "require_two_factor",
)


@transaction.atomic
def update_organisation(*, actor: Actor, **changes: Any) -> Organisation:
    org = actor.organisation
    require(actor, "organisation.edit", org)
    only(changes, ORGANISATION_FIELDS)
    if "require_two_factor" in changes and bool(changes["require_two_factor"]) != (
        org.require_two_factor
    ):
        # an admin the policy holds back may not switch it off (nor anyone on, unenrolled)
        require(actor, "organisation.two_factor_policy", org)
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationFailed.single("name", _("is required"))
    if "anonymity_min_group" in changes:
        _check_anonymity(int(changes["anonymity_min_group"]))
        if int(changes["anonymity_min_group"]) != org.anonymity_min_group:
            for lock in ANONYMITY_LOCKS:
                if reason := lock(org):
                    raise ValidationFailed.single("anonymity_min_group", reason)
    if "autonomy_policy" in changes and (
        changes["autonomy_policy"] not in Organisation.AutonomyPolicy.values
    ):
        raise ValidationFailed.single("autonomy_policy", _("is not a known policy"))
    if "okr_cadence" in changes and changes["okr_cadence"] not in Organisation.Cadence.values:
        raise ValidationFailed.single("okr_cadence", _("is not a known cadence"))
    before = {f: getattr(org, f) for f in changes}
    for field, value in changes.items():
        setattr(org, field, value)
    org.save(update_fields=list(changes))
    record(
        actor,
        org,
        "organisation.updated",
        org,
        changes={f: [before[f], changes[f]] for f in changes if before[f] != changes[f]},
    )
    return org
