"""Chat: an organisation's Slack app, each person's Slack account and Teams chat, and the
channels a team chose for recognition and reminders.

Tokens, signing secrets and Teams Workflows addresses (whose ``sig=`` parameter lets
anyone post) are sealed at rest with ``core.sealing``: a copy of the database or an export
does not give them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ampwork.core.models import Organisation, Person, Team


class SlackWorkspace(models.Model):
    """The organisation's own Slack app (docs/integrations.md: its manifest)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    team_id = models.CharField(max_length=20)  # the Slack workspace: T…
    sealed_bot_token = models.CharField(max_length=600)
    sealed_signing_secret = models.CharField(max_length=600)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.team_id


class ChatAccount(models.Model):
    """Where one person is reached in chat: their Slack user, their Teams chat."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="chat")
    slack_user_id = models.CharField(max_length=20, blank=True)  # U… or W…
    sealed_teams_url = models.CharField(max_length=2000, blank=True)
    digest = models.BooleanField(default=True)  # a manager's weekly digest in chat too
    digested_week = models.DateField(null=True, blank=True)  # the last digest posted
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slack_user_id"],
                condition=~Q(slack_user_id=""),
                name="chat_slack_user_once",
            )
        ]

    def __str__(self) -> str:
        return f"chat of {self.person_id}"


class TeamChannel(models.Model):
    """The channels a team chose: recognition of its members and the weekly reminder."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="chat_channel")
    slack_channel = models.CharField(max_length=20, blank=True)  # C… (the bot is a member)
    sealed_teams_url = models.CharField(max_length=2000, blank=True)
    recognition = models.BooleanField(default=True)
    reminders = models.BooleanField(default=True)
    reminded_week = models.DateField(null=True, blank=True)  # the last week reminded
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"channels of team {self.team_id}"


class SlackLinkCode(models.Model):
    """A one-time link that ties a Slack user to the person who opens it signed in; only
    its digest is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    slack_user_id = models.CharField(max_length=20)
    slack_name = models.CharField(max_length=80, blank=True)  # the handle Slack sent
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"link code for {self.slack_user_id}"
