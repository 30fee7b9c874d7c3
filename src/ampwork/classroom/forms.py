from __future__ import annotations

from django import forms


class RosterForm(forms.Form):
    file = forms.FileField(
        label="OneRoster 1.2 CSV zip",
        help_text="The zip your school information system exports: manifest.csv, orgs.csv, "
        "academicSessions.csv, courses.csv, classes.csv, users.csv, roles.csv, enrollments.csv.",
    )
