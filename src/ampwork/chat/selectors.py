"""Chat's reads: an organisation's Slack app, a person's accounts, a team's channels."""

from __future__ import annotations

from django.db.models import QuerySet

from ampwork.core.models import Organisation, Person, Team

from .models import ChatAccount, SlackWorkspace, TeamChannel


def workspace(org: Organisation) -> SlackWorkspace | None:
    return SlackWorkspace.objects.filter(organisation=org).first()


def account(person: Person) -> ChatAccount | None:
    return ChatAccount.objects.filter(person=person).first()


def linked_person(org: Organisation, slack_user_id: str) -> Person | None:
    """The active person a Slack user is linked to, if any."""
    found = (
        ChatAccount.objects.filter(
            organisation=org, slack_user_id=slack_user_id, person__active=True
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
