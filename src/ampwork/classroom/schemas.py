from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field

from ampwork.apitools import InSchema


class RosterIn(InSchema):
    """A OneRoster 1.2 CSV zip, base64-encoded (at most 20 MB before encoding)."""

    zip: Annotated[str, Field(min_length=1, max_length=28_000_000)]
    dry_run: bool = False
    # email each guardian of the roster with an email and no sign-in yet an invitation
    # (none is sent on a dry run or a refused import)
    invite_guardians: bool = False


class CountsOut(Schema):
    created: int
    updated: int
    unchanged: int
    deactivated: int
    removed: int


class RosterOut(Schema):
    dry_run: bool
    counts: dict[str, CountsOut]
    notes: list[str]
    invited: int = 0
