from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import consent
from .models import Goal

GOAL_KINDS = Goal.Kind.choices


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("OneRoster 1.2 CSV zip"),
        help_text=_(
            "The zip your school information system exports: manifest.csv, orgs.csv, "
            "academicSessions.csv, courses.csv, classes.csv, users.csv, roles.csv, enrollments.csv."
        ),
    )


class RosterConfirmForm(forms.Form):
    invite_guardians = forms.BooleanField(
        required=False,
        label=_("Invite the guardians"),
        help_text=_(
            "Email each guardian in this roster who has an email address and no sign-in yet a "
            "link to their family page (not those with an invitation still waiting). Sent only "
            "if the import succeeds."
        ),
    )


class ConsentPolicyForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("For a student pulse that touches a protected area or one of your topics"),
        choices=list(consent.RULES.items()),
        widget=forms.RadioSelect,
    )
    topics = forms.CharField(
        required=False,
        label=_("The school's own sensitive topics"),
        help_text=_(
            "One topic per line: its name, a colon, then the words that reveal it, e.g. "
            "“Bullying: bully, bullied, picked on”. A question that uses one of the words "
            "touches the topic."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ConsentRecordForm(forms.Form):
    student = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    status = forms.ChoiceField(
        choices=[("consented", _("Consent given")), ("opted_out", _("Opted out"))]
    )
    guardian = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class FamilyConsentForm(forms.Form):
    """A guardian's answer for their child and one sensitive pulse (the family page)."""

    round = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    student = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    status = forms.ChoiceField(
        choices=[("consented", _("Consent given")), ("opted_out", _("Opted out"))]
    )


class GoalForm(forms.Form):
    """A student's own goal sheet, in their words."""

    kind = forms.ChoiceField(
        label=_("What kind of goal is it?"), choices=GOAL_KINDS, widget=forms.RadioSelect
    )
    starting_point = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Where I am now"),
        help_text=_("Your starting point: what you can do now, or your latest result."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action_plan = forms.CharField(
        required=False,
        max_length=2000,
        label=_("My action plan"),
        help_text=_(
            "The steps you will take, and when. Steps you add to a key result show here too."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    celebration = forms.CharField(
        required=False,
        max_length=2000,
        label=_("What I am proud of"),
        help_text=_("At the end of term: what you achieved, learnt or tried."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GoalCheckInForm(forms.Form):
    """A check-in on a goal (fields ``check_in-text``, ``check_in-progress``)."""

    prefix = "check_in"

    text = forms.CharField(
        max_length=2000,
        label=_("Check-in"),
        help_text=_("How it is going, what helped, what is next. At most 2000 characters."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    progress = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label=_("How far along, in per cent (optional)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class GoalSettingsForm(forms.Form):
    order_by_kind = forms.BooleanField(
        required=False,
        label=_("List each student's goals purpose first, then mastery, then autonomy"),
    )


class SchoolPrivacyForm(forms.Form):
    recognition = forms.BooleanField(
        required=False,
        label=_("Every student sees the recognition feed"),
        help_text=_("Off: students see it only in classes whose teacher opened it."),
    )
    retention_months = forms.IntegerField(
        required=False,
        label=_(
            "Purge a student's reflections, pulse invitations and consent records this many "
            "months after they leave"
        ),
        help_text=_("1 to 120 months; empty: kept until you set a policy."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
