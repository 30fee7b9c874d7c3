from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SlackForm(forms.Form):
    team_id = forms.CharField(
        label=_("Workspace id"), max_length=20, help_text=_("T…, in Slack's About this workspace")
    )
    bot_token = forms.CharField(
        label=_("Bot User OAuth Token"),
        max_length=260,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("xoxb-…, on the app's OAuth & Permissions page"),
    )
    signing_secret = forms.CharField(
        label=_("Signing Secret"),
        max_length=40,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("on the app's Basic Information page"),
    )


class MyChatForm(forms.Form):
    teams_url = forms.CharField(
        label=_("Your Teams chat (a Workflows address)"),
        required=False,
        max_length=1500,
        help_text=_("Leave empty to keep the one set. Kept sealed: never shown again."),
    )
    remove_teams = forms.BooleanField(label=_("Remove my Teams address"), required=False)
    digest = forms.BooleanField(
        label=_("My weekly digest of my people in chat too (when I lead anyone)"),
        required=False,
        initial=True,
    )


class TeamChannelForm(forms.Form):
    slack_channel = forms.CharField(
        label=_("Slack channel id"),
        required=False,
        max_length=20,
        help_text=_("C…; invite the app to it"),
    )
    teams_url = forms.CharField(
        label=_("Teams channel (a Workflows address)"),
        required=False,
        max_length=1500,
        help_text=_("Leave empty to keep the one set; “remove” takes it away."),
    )
    remove_teams = forms.BooleanField(label=_("Remove the Teams address"), required=False)
    recognition = forms.BooleanField(
        label=pgettext_lazy("company", "Recognition of the team's members"), required=False
    )
    reminders = forms.BooleanField(
        label=pgettext_lazy("company", "The weekly review reminder (no names)"), required=False
    )

    def __init__(self, *args: Any, school: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if school:  # a school's words (issue 21)
            self.fields["recognition"].label = pgettext_lazy(
                "school", "Recognition of the class's students"
            )
            self.fields["reminders"].label = pgettext_lazy(
                "school", "The weekly reflection reminder (no names)"
            )
