from __future__ import annotations

from django import forms

from . import events


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="URL",
        max_length=500,
        help_text="Where ampwork POSTs each event: https://… on a public address.",
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/hooks/ampwork"}),
    )
    description = forms.CharField(label="Description", max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label="Events",
        choices=[(k, f"{k} — {v}") for k, v in events.EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "choose at least one event"},
    )


class EndpointEditForm(EndpointForm):
    enabled = forms.BooleanField(
        label="Enabled",
        required=False,
        help_text="Enabling an endpoint again clears its record of failures.",
    )
