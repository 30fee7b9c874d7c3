"""REST route: POST /imports/oneroster (a roster zip, base64). Thin: decode, call, return."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Status

from ampwork.apitools import actor, responses
from ampwork.core.errors import FieldError, NotFound, ValidationFailed
from ampwork.core.permissions import require

from . import services
from .schemas import CountsOut, RosterIn, RosterOut

router = Router(tags=["imports"])


@router.post("/imports/oneroster", response=responses(201, RosterOut))
def import_oneroster(request: HttpRequest, payload: RosterIn) -> Status[RosterOut]:
    """Import a school's roster (a OneRoster 1.2 CSV zip, base64): all or nothing, every
    error with its file, line and column (422); ``dry_run`` says what would change;
    ``invite_guardians`` emails the roster's guardians without a sign-in an invitation."""
    who = actor(request)
    if not who.organisation.is_school:
        raise NotFound("rostering is for schools")
    require(who, "roster.import", who.organisation)
    try:
        data = base64.b64decode(payload.zip, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed([FieldError("zip", gettext("is not base64"))]) from None
    files = services.read_bundle(data, "roster.zip")
    result = (
        services.check_roster(actor=who, files=files)
        if payload.dry_run
        else services.import_roster(
            actor=who, files=files, invite_guardians=payload.invite_guardians
        )
    )
    return Status(
        201,
        RosterOut(
            dry_run=result.dry_run,
            counts={k: CountsOut(**v) for k, v in result.counts.items()},
            notes=result.notes,
            invited=result.invited,
        ),
    )
