"""Writes of a school's privacy settings: a class's age band (the wording of the AMP Pulse
its students see)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Team
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.pulse import instrument

from .models import ClassSetting, SchoolPrivacy


def _school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("these settings are for schools")


@transaction.atomic
def set_class(
    *, actor: Actor, team: Team, age_band: str | None = None, recognition: bool | None = None
) -> ClassSetting:
    """Set a class's age band ("" for none: the school wording) and whether its students
    see the recognition feed; None leaves a setting as it is."""
    _school(actor)
    require(actor, "class.settings", team)
    changes: dict[str, object] = {}
    if age_band is not None:
        try:
            changes["age_band"] = instrument.clean_band(age_band)
        except ValueError as exc:
            raise ValidationFailed.single("age_band", str(exc)) from None
    if recognition is not None:
        changes["recognition"] = recognition
    found, _ = ClassSetting.objects.update_or_create(
        organisation=actor.organisation,
        team=team,
        defaults={**changes, "set_by": actor.person, "set_at": timezone.now()},
    )
    record(actor, actor.organisation, "class.settings", team, **changes)
    return found


MAX_RETENTION_MONTHS = 120  # ten years: a longer policy is a typing mistake


@transaction.atomic
def set_school_privacy(
    *, actor: Actor, recognition: bool, retention_months: int | None
) -> SchoolPrivacy:
    """The school-wide recognition opt-in and the retention policy (months after a student
    leaves; None: kept)."""
    _school(actor)
    require(actor, "privacy.school", actor.organisation)
    if retention_months is not None and not 1 <= retention_months <= MAX_RETENTION_MONTHS:
        raise ValidationFailed.single(
            "retention_months",
            gettext("must be between 1 and %(max)d months, or empty")
            % {"max": MAX_RETENTION_MONTHS},
        )
    found, _ = SchoolPrivacy.objects.update_or_create(
        organisation=actor.organisation,
        defaults={
            "recognition": recognition,
            "retention_months": retention_months,
            "set_by": actor.person,
            "set_at": timezone.now(),
        },
    )
    record(
        actor,
        actor.organisation,
        "privacy.school",
        found,
        recognition=recognition,
        retention_months=retention_months,
    )
    return found
