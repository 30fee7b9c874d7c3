"""Chat's reads: an organisation's Slack app, a person's accounts, a team's channels."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team

from .models import ChatAccount, SlackLinkCode, SlackWorkspace, TeamChannel


def workspace(org: Organisation) -> SlackWorkspace | None:
    return SlackWorkspace.objects.filter(organisation=org).first()


def account(person: Person) -> ChatAccount | None:
    return ChatAccount.objects.filter(person=person).first()


def linked_person(org: Organisation, slack_user_id: str) -> Person | None:
    """The active person a Slack user is linked to, if any."""
    found = (
        ChatAccount.objects.filter(
            organisation=org,
            slack_user_id=slack_user_id,
            person__active=True,
            person__user__is_active=True,  # an account that cannot sign in cannot chat either
        )
        .select_related("person__organisation", "person__user")
        .first()
    )
    return found.person if found is not None else None


def team_channels(org: Organisation, teams: QuerySet[Team] | list[Team]) -> dict[int, TeamChannel]:
    """Each of these teams' channels, by team id (teams without any are left out)."""
    rows = TeamChannel.objects.filter(organisation=org, team__in=teams)
    return {row.team_id: row for row in rows}


def workspace_of(org_id: int) -> SlackWorkspace | None:
    return SlackWorkspace.objects.filter(organisation_id=org_id).first()


def code_digest(code: str) -> str:
    """How a one-time link's code is stored: its SHA-256, never the code."""
    return hashlib.sha256(code.encode()).hexdigest()


def link_code(org: Organisation, code: str) -> SlackLinkCode | None:
    """The unused, unexpired one-time link of this code in this organisation (not used up
    by reading: the page shows whom it links before the person confirms)."""
    return SlackLinkCode.objects.filter(
        organisation=org,
        digest=code_digest(code),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
