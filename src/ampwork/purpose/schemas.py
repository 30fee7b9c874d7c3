"""The purpose API's input and output schemas (the shared purpose, themes, statements,
impact stories)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Day, Id, InSchema


class AdviceOut(Schema):
    warn: bool
    reasons: list[str]


class VersionOut(Schema):
    version: int
    text: str
    published_at: dt.datetime
    participants: int
    authenticity: AdviceOut


class DraftOut(Schema):
    id: int
    text: str
    endorsements: int
    authenticity: AdviceOut


class PurposeOut(Schema):
    prompt: str
    current: VersionOut | None
    versions: list[VersionOut]
    drafts: list[DraftOut]


class ThemeOut(Schema):
    label: str
    terms: list[str]
    share: float
    authors: int
    quotes: list[str]


class ThemesOut(Schema):
    authors: int
    themes: list[ThemeOut]
    suppressed: str | None


class StatementOut(Schema):
    person_id: int | None
    name: str | None
    text: str
    visibility: str
    mine: bool


class StatementIn(InSchema):
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    # left out: a revision keeps what its author chose; a new statement starts "themes",
    # but "private" for a school's student (high-privacy defaults), and not quotable
    visibility: Literal["private", "themes", "named"] | None = None
    quotable: bool | None = None


class StoryOut(Schema):
    id: int
    title: str
    helped: str
    named: str
    what_changed: str
    happened_on: dt.date | None
    source: str
    objective_ids: list[int]


class StoryIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    helped: Annotated[str, Field(min_length=1, max_length=200)]
    what_changed: Annotated[str, Field(min_length=1, max_length=4000)]
    named: Annotated[str, Field(max_length=200)] = ""
    consent: bool = False
    happened_on: Day | None = None
    source: Annotated[str, Field(max_length=300)] = ""
    objective_ids: Annotated[list[Id], Field(max_length=50)] = []
    key_result_ids: Annotated[list[Id], Field(max_length=50)] = []
