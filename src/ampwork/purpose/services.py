"""Writes for purpose: drafts, comments, endorsements, publishing, statements, stories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ampwork.core.errors import NotAllowed, ValidationFailed, clean_text
from ampwork.core.permissions import Actor, anywhere, require
from ampwork.core.services import record
from ampwork.okrs import selectors as okr_selectors

from .models import (
    COMPANY_PROMPT,
    SCHOOL_PROMPT,
    Draft,
    DraftComment,
    Endorsement,
    ImpactStory,
    PublishedPurpose,
    PurposeLink,
    PurposeSettings,
    Statement,
)

if TYPE_CHECKING:  # an objective handed over by OKRs' front door, for its type only
    from ampwork.okrs.models import Objective


def _me(actor: Actor) -> object:
    if actor.person is None:
        raise NotAllowed("only people of the organisation take part")
    return actor.person


def settings_of(actor: Actor) -> PurposeSettings:
    org = actor.organisation
    found, _ = PurposeSettings.objects.get_or_create(
        organisation=org, defaults={"prompt": SCHOOL_PROMPT if org.is_school else COMPANY_PROMPT}
    )
    return found


@transaction.atomic
def set_prompt(*, actor: Actor, prompt: str) -> PurposeSettings:
    require(actor, "purpose.manage", actor.organisation)
    found = settings_of(actor)
    found.prompt = clean_text(prompt, "prompt", 200)
    found.save(update_fields=["prompt"])
    return found


@transaction.atomic
def propose(*, actor: Actor, text: str) -> Draft:
    _me(actor)
    return Draft.objects.create(
        organisation=actor.organisation, author=actor.person, text=clean_text(text, "text", 2000)
    )


@transaction.atomic
def comment(*, actor: Actor, draft: Draft, text: str) -> DraftComment:
    _me(actor)
    return DraftComment.objects.create(
        draft=draft, author=actor.person, text=clean_text(text, "text", 1000)
    )


@transaction.atomic
def endorse(*, actor: Actor, draft: Draft) -> bool:
    """Endorse a draft; False when the person already did (an endorsement counts once)."""
    _me(actor)
    _, created = Endorsement.objects.get_or_create(draft=draft, person=actor.person)
    return created


@transaction.atomic
def publish(*, actor: Actor, draft: Draft) -> PublishedPurpose:
    """Publish a draft as the next version, keeping who took part in drafting."""
    require(actor, "purpose.manage", draft)
    org = actor.organisation
    last = PublishedPurpose.objects.filter(organisation=org).order_by("-version").first()
    since = last.published_at if last else dt.datetime.min.replace(tzinfo=dt.UTC)
    drafts = Draft.objects.filter(organisation=org, created_at__gt=since)
    people = set(drafts.exclude(author=None).values_list("author_id", flat=True))
    people |= set(
        DraftComment.objects.filter(draft__in=drafts)
        .exclude(author=None)
        .values_list("author_id", flat=True)
    )
    people |= set(Endorsement.objects.filter(draft__in=drafts).values_list("person_id", flat=True))
    published = PublishedPurpose.objects.create(
        organisation=org,
        version=(last.version + 1) if last else 1,
        text=draft.text,
        draft=draft,
        published_by=actor.user,
        participants=sorted(people),
    )
    record(actor, org, "purpose.published", published, version=published.version)
    return published


def default_visibility(actor: Actor) -> str:
    """Who sees a statement unless its author says: counted in the themes; a school's
    student's is private (``purpose.shared_by_default``)."""
    if anywhere(actor, "purpose.shared_by_default"):
        return Statement.Visibility.THEMES
    return Statement.Visibility.PRIVATE


@transaction.atomic
def write_statement(
    *,
    actor: Actor,
    text: str,
    visibility: str | None = None,
    quotable: bool | None = None,
) -> Statement:
    """Write or revise one's own statement. ``visibility`` or ``quotable`` None: a revision
    keeps what its author chose; a new statement starts at :func:`default_visibility`, not
    quotable."""
    _me(actor)
    if visibility is not None and visibility not in Statement.Visibility.values:
        raise ValidationFailed.single("visibility", gettext("must be private, themes or named"))
    changes: dict[str, object] = {
        "text": clean_text(text, "text", 2000),
        "updated_at": timezone.now(),
    }
    if visibility is not None:
        changes["visibility"] = visibility
    if quotable is not None:
        changes["quotable"] = quotable
    found, _ = Statement.objects.update_or_create(
        organisation=actor.organisation,
        person=actor.person,
        defaults=changes,
        create_defaults={
            "visibility": default_visibility(actor),
            "quotable": False,
            **changes,
        },
    )
    return found


@transaction.atomic
def add_story(
    *,
    actor: Actor,
    title: str,
    helped: str,
    what_changed: str,
    named: str = "",
    consent: bool = False,
    happened_on: dt.date | None = None,
    source: str = "",
    objective_ids: Iterable[int] = (),
    key_result_ids: Iterable[int] = (),
) -> ImpactStory:
    """A specific person or group the work helped. A name only with their consent."""
    _me(actor)
    named = (named or "").strip()
    if named and not consent:
        raise ValidationFailed.single(
            "named",
            gettext(
                "name someone only if they agreed to it: tick the consent box or describe them "
                "instead"
            ),
        )
    # only objectives the writer may see: a private one answers as a missing one
    objectives, key_results = okr_selectors.referenced_many(
        actor, list(objective_ids), list(key_result_ids)
    )
    story = ImpactStory.objects.create(
        organisation=actor.organisation,
        title=clean_text(title, "title", 200),
        helped=clean_text(helped, "helped", 200),
        named=named if consent else "",
        consent=consent,
        what_changed=clean_text(what_changed, "what_changed", 4000),
        happened_on=happened_on,
        source=(source or "").strip()[:300],
        author=actor.person,
    )
    story.objectives.set(objectives)
    story.key_results.set(key_results)
    return story


@transaction.atomic
def serve_purpose(*, actor: Actor, objective: Objective, serves: bool) -> None:
    """Mark (or unmark) an objective as serving the shared purpose."""
    require(actor, "objectives.edit", objective)
    if serves:
        PurposeLink.objects.get_or_create(organisation=actor.organisation, objective=objective)
    else:
        PurposeLink.objects.filter(objective=objective).delete()


def prompt_in_words(prompt: str) -> str:
    """The question everyone answers, in the reader's language when it is still one of
    ampwork's own (a question the organisation wrote stays in its words)."""
    if prompt in (COMPANY_PROMPT, SCHOOL_PROMPT):
        return gettext(prompt)
    return prompt
