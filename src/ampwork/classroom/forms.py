from __future__ import annotations

from django import forms

from . import consent


class RosterForm(forms.Form):
    file = forms.FileField(
        label="OneRoster 1.2 CSV zip",
        help_text="The zip your school information system exports: manifest.csv, orgs.csv, "
        "academicSessions.csv, courses.csv, classes.csv, users.csv, roles.csv, enrollments.csv.",
    )


class ConsentPolicyForm(forms.Form):
    rule = forms.ChoiceField(
        label="For a student pulse that touches a protected area or one of your topics",
        choices=list(consent.RULES.items()),
        widget=forms.RadioSelect,
    )
    topics = forms.CharField(
        required=False,
        label="The school's own sensitive topics",
        help_text="One topic per line: its name, a colon, then the words that reveal it, e.g. "
        "“Bullying: bully, bullied, picked on”. A question that uses one of the words "
        "touches the topic.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ConsentRecordForm(forms.Form):
    student = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    status = forms.ChoiceField(choices=[("consented", "Consent given"), ("opted_out", "Opted out")])
    guardian = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class SchoolPrivacyForm(forms.Form):
    recognition = forms.BooleanField(
        required=False,
        label="Every student sees the recognition feed",
        help_text="Off: students see it only in classes whose teacher opened it.",
    )
    retention_months = forms.IntegerField(
        required=False,
        label="Purge a student's reflections, pulse invitations and consent records this many "
        "months after they leave",
        help_text="1 to 120 months; empty: kept until you set a policy.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
