from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import events


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("Where ampwork POSTs each event: https://… on a public address."),
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/hooks/ampwork"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(k, format_lazy("{} — {}", k, v)) for k, v in events.EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("choose at least one event")},
    )


class EndpointEditForm(EndpointForm):
    enabled = forms.BooleanField(
        label=pgettext_lazy("setting", "Enabled"),
        required=False,
        help_text=_("Enabling an endpoint again clears its record of failures."),
    )
