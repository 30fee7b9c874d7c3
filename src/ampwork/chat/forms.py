from __future__ import annotations

from django import forms


class SlackForm(forms.Form):
    team_id = forms.CharField(
        label="Workspace id", max_length=20, help_text="T…, in Slack's About this workspace"
    )
    bot_token = forms.CharField(
        label="Bot User OAuth Token",
        max_length=260,
        widget=forms.PasswordInput(render_value=False),
        help_text="xoxb-…, on the app's OAuth & Permissions page",
    )
    signing_secret = forms.CharField(
        label="Signing Secret",
        max_length=40,
        widget=forms.PasswordInput(render_value=False),
        help_text="on the app's Basic Information page",
    )


class MyChatForm(forms.Form):
    teams_url = forms.CharField(
        label="Your Teams chat (a Workflows address)",
        required=False,
        max_length=1500,
        help_text="Leave empty to keep the one set. Kept sealed: never shown again.",
    )
    remove_teams = forms.BooleanField(label="Remove my Teams address", required=False)
    digest = forms.BooleanField(
        label="My weekly digest of my people in chat too (when I lead anyone)",
        required=False,
        initial=True,
    )


class TeamChannelForm(forms.Form):
    slack_channel = forms.CharField(
        label="Slack channel id",
        required=False,
        max_length=20,
        help_text="C…; invite the app to it",
    )
    teams_url = forms.CharField(
        label="Teams channel (a Workflows address)",
        required=False,
        max_length=1500,
        help_text="Leave empty to keep the one set; “remove” takes it away.",
    )
    remove_teams = forms.BooleanField(label="Remove the Teams address", required=False)
    recognition = forms.BooleanField(label="Recognition of the team's members", required=False)
    reminders = forms.BooleanField(label="The weekly review reminder (no names)", required=False)
