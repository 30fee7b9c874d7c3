"""REST routes: /purpose, /purpose/themes, /purpose-statements, /impact-stories.

Statements follow their authors' choices: "only me" is returned to its author alone;
"themes" statements are never returned, only counted (and quoted without names if allowed);
"named" statements are returned with their author's name.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from ampwork.apitools import Pages, actor, responses

from . import authenticity, selectors, services
from .schemas import (
    AdviceOut,
    DraftOut,
    PurposeOut,
    StatementIn,
    StatementOut,
    StoryIn,
    StoryOut,
    ThemeOut,
    ThemesOut,
    VersionOut,
)

router = Router(tags=["purpose"])


def _advice(text: str, language: str) -> AdviceOut:
    found = authenticity.check(text, language)
    return AdviceOut(
        warn=found.warn,
        reasons=found.reasons,
    )


@router.get("/purpose", response=responses(200, PurposeOut))
def purpose(request: HttpRequest) -> PurposeOut:
    who = actor(request)
    versions = [
        VersionOut(
            version=v.version,
            text=v.text,
            published_at=v.published_at,
            participants=len(v.participants),
            authenticity=_advice(v.text, who.organisation.default_language),
        )
        for v in selectors.published(who)
    ]
    return PurposeOut(
        prompt=services.settings_of(who).prompt,
        current=versions[0] if versions else None,
        versions=versions,
        drafts=[
            DraftOut(
                id=d.pk,
                text=d.text,
                endorsements=len(d.endorsements.all()),
                authenticity=_advice(d.text, who.organisation.default_language),
            )
            for d in selectors.drafts(who)[:50]
        ],
    )


@router.get("/purpose/themes", response=responses(200, ThemesOut))
def purpose_themes(request: HttpRequest) -> ThemesOut:
    found = selectors.organisation_themes(actor(request))
    return ThemesOut(
        authors=found.authors,
        suppressed=found.suppressed,
        themes=[ThemeOut.model_validate(t) for t in found.themes],
    )


@router.get("/purpose-statements", response=responses(200, list[StatementOut]))
@paginate(Pages)
def statements(request: HttpRequest) -> list[StatementOut]:
    """Statements shared by name, and your own whatever its visibility."""
    who = actor(request)
    out = []
    mine = selectors.my_statement(who)
    if mine is not None:
        out.append(
            StatementOut(
                person_id=mine.person_id,
                name=who.person.name if who.person else None,
                text=mine.text,
                visibility=mine.visibility,
                mine=True,
            )
        )
    out += [
        StatementOut(
            person_id=s.person_id,
            name=s.person.name,
            text=s.text,
            visibility=s.visibility,
            mine=False,
        )
        for s in selectors.named_statements(who)
        if not (mine and s.pk == mine.pk)
    ]
    return out


@router.post("/purpose-statements", response=responses(201, StatementOut))
def write_statement(request: HttpRequest, payload: StatementIn) -> Status[StatementOut]:
    """Write or revise your own statement."""
    who = actor(request)
    found = services.write_statement(actor=who, **payload.model_dump())
    return Status(
        201,
        StatementOut(
            person_id=found.person_id,
            name=who.person.name if who.person else None,
            text=found.text,
            visibility=found.visibility,
            mine=True,
        ),
    )


def _story(s: Any) -> StoryOut:
    return StoryOut(
        id=s.pk,
        title=s.title,
        helped=s.helped,
        named=s.named if s.consent else "",
        what_changed=s.what_changed,
        happened_on=s.happened_on,
        source=s.source,
        objective_ids=[
            o.pk
            for o in (s.shown_objectives if hasattr(s, "shown_objectives") else s.objectives.all())
        ],
    )


@router.get("/impact-stories", response=responses(200, list[StoryOut]))
@paginate(Pages)
def stories(request: HttpRequest) -> list[StoryOut]:
    return [_story(s) for s in selectors.story_list(actor(request), 500)]


@router.post("/impact-stories", response=responses(201, StoryOut))
def add_story(request: HttpRequest, payload: StoryIn) -> Status[StoryOut]:
    """A specific person or group the work helped; a name only with their consent."""
    return Status(201, _story(services.add_story(actor=actor(request), **payload.model_dump())))
