"""REST routes: /purpose, /purpose/themes, /purpose-statements, /impact-stories.

Statements follow their authors' choices: "only me" is returned to its author alone;
"themes" statements are never returned, only counted (and quoted without names if allowed);
"named" statements are returned with their author's name.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ampwork.apitools import ERRORS, Day, Id, InSchema, Pages, actor

from . import authenticity, selectors, services

router = Router(tags=["purpose"])


def _responses(ok: int, schema: Any) -> dict[int, Any]:
    return {ok: schema, **ERRORS}


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
    visibility: Literal["private", "themes", "named"] = "themes"
    quotable: bool = False


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


def _advice(text: str) -> dict[str, Any]:
    found = authenticity.check(text)
    return {"warn": found.warn, "reasons": found.reasons}


@router.get("/purpose", response=_responses(200, PurposeOut))
def purpose(request: HttpRequest) -> dict[str, Any]:
    who = actor(request)
    versions = [
        {
            "version": v.version,
            "text": v.text,
            "published_at": v.published_at,
            "participants": len(v.participants),
            "authenticity": _advice(v.text),
        }
        for v in selectors.published(who)
    ]
    return {
        "prompt": services.settings_of(who).prompt,
        "current": versions[0] if versions else None,
        "versions": versions,
        "drafts": [
            {
                "id": d.pk,
                "text": d.text,
                "endorsements": len(d.endorsements.all()),
                "authenticity": _advice(d.text),
            }
            for d in selectors.drafts(who)[:50]
        ],
    }


@router.get("/purpose/themes", response=_responses(200, ThemesOut))
def purpose_themes(request: HttpRequest) -> dict[str, Any]:
    found = selectors.organisation_themes(actor(request))
    return {
        "authors": found.authors,
        "suppressed": found.suppressed,
        "themes": [t.__dict__ for t in found.themes],
    }


@router.get("/purpose-statements", response=_responses(200, list[StatementOut]))
@paginate(Pages)
def statements(request: HttpRequest) -> list[dict[str, Any]]:
    """Statements shared by name, and your own whatever its visibility."""
    who = actor(request)
    out = []
    mine = selectors.my_statement(who)
    if mine is not None:
        out.append(
            {
                "person_id": mine.person_id,
                "name": who.person.name if who.person else None,
                "text": mine.text,
                "visibility": mine.visibility,
                "mine": True,
            }
        )
    out += [
        {
            "person_id": s.person_id,
            "name": s.person.name,
            "text": s.text,
            "visibility": s.visibility,
            "mine": False,
        }
        for s in selectors.named_statements(who)
        if not (mine and s.pk == mine.pk)
    ]
    return out


@router.post("/purpose-statements", response=_responses(201, StatementOut))
def write_statement(request: HttpRequest, payload: StatementIn) -> Status[dict[str, Any]]:
    """Write or revise your own statement."""
    who = actor(request)
    found = services.write_statement(actor=who, **payload.model_dump())
    return Status(
        201,
        {
            "person_id": found.person_id,
            "name": who.person.name if who.person else None,
            "text": found.text,
            "visibility": found.visibility,
            "mine": True,
        },
    )


def _story(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "title": s.title,
        "helped": s.helped,
        "named": s.named if s.consent else "",
        "what_changed": s.what_changed,
        "happened_on": s.happened_on,
        "source": s.source,
        "objective_ids": [
            o.pk
            for o in (s.shown_objectives if hasattr(s, "shown_objectives") else s.objectives.all())
        ],
    }


@router.get("/impact-stories", response=_responses(200, list[StoryOut]))
@paginate(Pages)
def stories(request: HttpRequest) -> list[dict[str, Any]]:
    return [_story(s) for s in selectors.story_list(actor(request), 500)]


@router.post("/impact-stories", response=_responses(201, StoryOut))
def add_story(request: HttpRequest, payload: StoryIn) -> Status[dict[str, Any]]:
    """A specific person or group the work helped; a name only with their consent."""
    return Status(201, _story(services.add_story(actor=actor(request), **payload.model_dump())))
