"""Reads for purpose, with the statement privacy rules applied in one place:

- "only me" statements reach nothing but their author: no themes, no quotes, no lists;
- "themes" statements count in the themes and may be quoted without a name if the author
  allowed it — they are never shown with a name, to anyone;
- "named" statements are shown with their author's name to the organisation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from ampwork.core.models import Organisation, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.okrs import selectors as okr_selectors

from . import themes
from .models import (
    Draft,
    ImpactStory,
    PublishedPurpose,
    PurposeLink,
    Statement,
)

if TYPE_CHECKING:  # an objective handed over by OKRs' front door, for its type only
    from ampwork.okrs.models import Objective


def published(actor: Actor) -> list[PublishedPurpose]:
    return list(
        PublishedPurpose.objects.filter(organisation=actor.organisation).order_by("-version")
    )


def drafts(actor: Actor) -> QuerySet[Draft]:
    return (
        Draft.objects.filter(organisation=actor.organisation)
        .select_related("author")
        .prefetch_related("comments__author", "endorsements")
        .order_by("-created_at", "-id")
    )


def my_statement(actor: Actor) -> Statement | None:
    if actor.person is None:
        return None
    return Statement.objects.filter(organisation=actor.organisation, person=actor.person).first()


def named_statements(actor: Actor) -> QuerySet[Statement]:
    return (
        Statement.objects.filter(
            organisation=actor.organisation, visibility=Statement.Visibility.NAMED
        )
        .select_related("person")
        .order_by("-updated_at", "-id")
    )


def theme_input(org_id: int) -> list[themes.Statement]:
    """The statements that may count in themes: never "only me"; each with its author's
    language (their own choice; "" for their organisation's), which themes read it in
    unless its words say another clearly."""
    return [
        themes.Statement(person, text, quotable, language)
        for person, text, quotable, language in Statement.objects.filter(organisation_id=org_id)
        .exclude(visibility=Statement.Visibility.PRIVATE)
        .order_by("person_id")
        .values_list("person_id", "text", "quotable", "person__language")
    ]


def organisation_themes(actor: Actor) -> themes.Themes:
    org = actor.organisation
    return themes.find(theme_input(org.pk), org.anonymity_min_group, language=org.default_language)


def stories(actor: Actor) -> QuerySet[ImpactStory]:
    return (
        ImpactStory.objects.filter(organisation=actor.organisation)
        .prefetch_related("objectives")
        .order_by("-happened_on", "-created_at", "-id")
    )


def story_list(actor: Actor, limit: int) -> list[ImpactStory]:
    """The newest stories, each with ``shown_objectives``: only the objectives the reader
    may see (a private objective's title never reaches the page or the API)."""
    rows = list(stories(actor)[:limit])
    for story in rows:
        story.shown_objectives = okr_selectors.only_visible(  # type: ignore[attr-defined]
            actor, story.objectives.all()
        )
    return rows


def stories_for(objective: Objective) -> list[ImpactStory]:
    return list(ImpactStory.objects.filter(objectives=objective).order_by("-happened_on"))


def serves_purpose(objective: Objective) -> bool:
    return PurposeLink.objects.filter(objective=objective).exists()


@dataclass
class Coverage:
    team: str
    objectives: int
    covered: int

    @property
    def share(self) -> float | None:
        return self.covered / self.objectives if self.objectives else None


def coverage(actor: Actor) -> tuple[Coverage | None, list[Coverage]]:
    """Purpose coverage in the current cycle: the share of active objectives linked to the
    shared purpose or to an impact story — for the organisation and per team (a team's
    own objectives and its members')."""
    found = okr_selectors.current_active_owners(actor)
    if found is None:
        return None, []
    rows: list[tuple[Any, ...]] = [
        (o.id, o.owner_kind, o.owner_team_id, o.owner_person_id, o.owner_team_name) for o in found
    ]
    ids = [r[0] for r in rows]
    linked = set(
        PurposeLink.objects.filter(objective_id__in=ids).values_list("objective_id", flat=True)
    )
    linked |= set(
        ImpactStory.objects.filter(objectives__in=ids).values_list("objectives", flat=True)
    )
    teams_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for person, team, name in TeamMembership.objects.filter(
        organisation=actor.organisation
    ).values_list("person_id", "team_id", "team__name"):
        teams_of[person].append((team, name))
    per: dict[int, Any] = {}
    for pk, kind, team, person, team_name in rows:
        owners = [(team, team_name)] if kind == "team" else teams_of.get(person or 0, [])
        for team_id, name in owners:
            entry = per.setdefault(team_id, Coverage(name, 0, 0))
            entry.objectives += 1
            entry.covered += pk in linked
    total = Coverage("Everyone", len(rows), sum(1 for r in rows if r[0] in linked))
    return total, sorted(per.values(), key=lambda c: (c.share or 0, c.team))


def organisation_coverage(actor: Actor) -> Coverage | None:
    """:func:`coverage`'s organisation line alone, counted in the database (the admin's
    home page shows only this share). Two queries."""
    counts = okr_selectors.current_active_counts(
        actor,
        PurposeLink.objects.values_list("objective_id", flat=True),
        ImpactStory.objects.filter(objectives__isnull=False).values_list("objectives", flat=True),
    )
    if counts is None:
        return None
    total, covered = counts
    return Coverage("Everyone", total, covered)


# ---------------------------------------------------------------- for other apps (plain data)


def has_statement(person_id: int) -> bool:
    """Whether the person has written a purpose statement. One query."""
    return Statement.objects.filter(person_id=person_id).exists()


@dataclass(frozen=True)
class PortfolioStatement:
    text: str
    private: bool  # its author keeps it to themselves ("Only me")


def statement_for_portfolio(person_id: int, *, by_author: bool) -> PortfolioStatement | None:
    """A person's purpose statement for their printed portfolio (a school's student-led
    conference): for its author, whatever they wrote (``private`` says whether they keep
    it to themselves, for the paper to say so); for anyone else (their teacher) only a
    statement its author shows with their name. One query."""
    row = Statement.objects.filter(person_id=person_id).values_list("text", "visibility").first()
    if row is None:
        return None
    text, visibility = row
    if by_author or visibility == Statement.Visibility.NAMED:
        return PortfolioStatement(text, visibility == Statement.Visibility.PRIVATE)
    return None


def people_with_statement(
    org: Organisation | None = None, people: Iterable[int] | None = None
) -> set[int]:
    """Who has written a purpose statement: in the organisation, or among ``people``. One
    query. (Which statement says what stays here: only the fact that there is one leaves.)"""
    query = Statement.objects.all()
    if org is not None:
        query = query.filter(organisation=org)
    if people is not None:
        query = query.filter(person_id__in=list(people))
    return set(query.values_list("person_id", flat=True))


@dataclass(frozen=True)
class PublishedRef:
    version: int
    published_at: dt.datetime
    text: str
    language: str = ""  # the organisation's: what the authenticity check reads it in


@dataclass(frozen=True)
class PurposeFacts:
    published: PublishedRef | None  # the latest version
    drafts: int
    recent_story: bool  # an impact story in the last 90 days


def purpose_facts(org: Organisation) -> PurposeFacts:
    """Where the organisation stands with its purpose. Three queries."""
    latest = (
        PublishedPurpose.objects.filter(organisation=org)
        .order_by("-version")
        .values_list("version", "published_at", "text")
        .first()
    )
    return PurposeFacts(
        PublishedRef(*latest, language=org.default_language) if latest else None,
        Draft.objects.filter(organisation=org).count(),
        ImpactStory.objects.filter(
            organisation=org, created_at__gte=timezone.now() - dt.timedelta(days=90)
        ).exists(),
    )
