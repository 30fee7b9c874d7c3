"""Web forms: they parse and render fields; services do the checking and writing."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from .errors import ValidationFailed
from .models import Organisation, Role, Team, role_label


def whole_number(raw: object, max_digits: int = 18) -> int | None:
    """A whole number typed into a form or a query string (an id, a count), or None if it
    is not one: ASCII digits only (``"²"`` is a digit to ``str.isdigit`` but not to
    ``int``), no sign or spaces, and at most ``max_digits`` long so that it fits a database
    integer."""
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or len(raw) > max_digits:
        return None
    return int(raw)


class DateInput(forms.DateInput):
    """A browser date picker. It reads and writes ISO dates (2025-05-21) whatever the
    locale: given a localised "21/05/2025" it shows an empty box, and saving the form
    unchanged would wipe the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def role_choices(org: Organisation) -> list[tuple[str, str]]:
    return [
        (value, role_label(value, org.kind))
        for value in Role.values
        if not (org.is_school and value == Role.PEOPLE_OPS)
    ]


def team_choices(org: Organisation, blank: str = "—") -> list[tuple[str, str]]:
    from . import selectors

    choices = [("", blank)]
    for node in selectors.flatten(selectors.team_tree(org, with_leads=False)):
        choices.append((str(node.team.pk), "\u2003" * node.depth + node.team.name))
    return choices


def _choices(form: forms.BaseForm, name: str, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    job_title = forms.CharField(max_length=200, required=False)
    job_role = forms.CharField(
        max_length=120,
        required=False,
        label="Role in job architecture",
        help_text="Used to compare pay among peers, e.g. Software Engineer.",
    )
    job_family = forms.CharField(
        max_length=120, required=False, help_text="e.g. Engineering, Sales, Operations."
    )
    level = forms.CharField(max_length=40, required=False)
    location = forms.CharField(max_length=120, required=False)
    hire_date = forms.DateField(required=False, widget=DateInput())
    role = forms.ChoiceField(label="Access role")
    manager_email = forms.EmailField(
        required=False, label="Manager's email", help_text="Leave empty for no manager."
    )
    team = forms.ChoiceField(required=False, label="Add to team")
    invite = forms.BooleanField(
        required=False,
        label="Send an invitation email",
        help_text="A link to choose their own password, valid for 7 days. "
        "Without it, give them a password on their page.",
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        creating: bool,
        may_change_role: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "role", role_choices(organisation))
        if not may_change_role:
            self.fields["role"].disabled = True
        if creating:
            _choices(self, "team", team_choices(organisation))
        else:
            del self.fields["team"]
            del self.fields["invite"]


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Team.Kind.choices)
    parent = forms.ChoiceField(required=False, label="Inside")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "parent", team_choices(organisation, blank="— top level —"))
        if organisation.is_school:
            _choices(self, "kind", [(Team.Kind.SCHOOL, "School"), (Team.Kind.CLASS, "Class")])
        else:
            _choices(self, "kind", [(Team.Kind.DEPARTMENT, "Department"), (Team.Kind.TEAM, "Team")])


class MembershipForm(forms.Form):
    email = forms.EmailField(label="Person's email")
    role = forms.ChoiceField(choices=[("member", "Member"), ("lead", "Lead")])


class LoginGrantForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Tell the person; they can change it after signing in.",
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=[("people", "People"), ("teams", "Teams")])
    file = forms.FileField(label="CSV file (UTF-8, header row)")


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = Organisation
        fields = [
            "name",
            "anonymity_min_group",
            "autonomy_policy",
            "okr_cadence",
            "require_two_factor",
        ]
        labels = {  # in people's words, not the field names'
            "name": "Name of the organisation",
            "anonymity_min_group": "Anonymity minimum (people per group)",
            "autonomy_policy": "Autonomy policy",
            "okr_cadence": "OKR cadence",
            "require_two_factor": "Require two-factor sign-in for admins and people ops",
        }
        help_texts = {
            "require_two_factor": "Until they set up an authenticator app or a passkey, "
            "they are refused pay data and exports (on the web and through the API).",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_school:  # a school has no people ops and no pay data
            self.fields["require_two_factor"].label = "Require two-factor sign-in for head teachers"
            self.fields["require_two_factor"].help_text = (
                "Until they set up an authenticator app or a passkey, they are refused exports "
                "(on the web and through the API)."
            )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, initial="API token", help_text="What the token is for, e.g. 'metrics sync'."
    )


def add_errors(
    form: forms.BaseForm, exc: ValidationFailed, mapping: dict[str, str] | None = None
) -> None:
    """Show a service's field errors beside the form's fields."""
    mapping = mapping or {}
    for error in exc.errors:
        name = mapping.get(error.field, error.field)
        form.add_error(name if name in form.fields else None, f"{error.message}")


class IdentityProviderForm(forms.Form):
    """An organisation's OpenID Connect provider (ampwork.core.services.sso checks it)."""

    issuer = forms.CharField(
        label="Issuer URL",
        max_length=500,
        help_text="As the provider's discovery document names it, e.g. "
        "https://keycloak.example.com/realms/acme",
    )
    client_id = forms.CharField(label="Client ID", max_length=500)
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again; leave empty to keep the saved one.",
    )
    allowed_domains = forms.CharField(
        label="Allowed email domains",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line. A first sign-in from one of them joins as a member; "
        "anyone else needs an admin to add them first.",
    )
    sso_only = forms.BooleanField(
        label="Single sign-on only (members may not use a password; admins keep theirs)",
        required=False,
    )
    trust_email = forms.BooleanField(
        label="Trust this provider's email addresses",
        required=False,
        help_text="Only for a provider that owns its users' addresses and does not say "
        "whether one is verified (Microsoft Entra ID): its email addresses are then taken "
        "as verified.",
    )
    enabled = forms.BooleanField(label="Enabled", required=False, initial=True)


class LanguageForm(forms.Form):
    """A person's own language: "" follows their browser (then their organisation's
    default). The page names each language in its own language (settings.LANGUAGES)
    and gives the labels, in the reader's words (templates/language.html)."""

    language = forms.ChoiceField(
        choices=[("", "—"), *settings.LANGUAGES], required=False, widget=forms.RadioSelect
    )


class OrganisationLanguageForm(forms.Form):
    """The organisation's default language (admins)."""

    default_language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.RadioSelect)
