"""Web forms: they parse and render fields; services do the checking and writing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


def team_choices(org: Organisation, blank: str | Promise = "—") -> list[tuple[str, str | Promise]]:
    from . import selectors

    choices: list[tuple[str, str | Promise]] = [("", blank)]
    for node in selectors.flatten(selectors.team_tree(org, with_leads=False)):
        choices.append((str(node.team.pk), "\u2003" * node.depth + node.team.name))
    return choices


def _choices(form: forms.BaseForm, name: str, choices: Sequence[tuple[str, str | Promise]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


# what a school's person form leaves out (its people have no pay data)
SCHOOL_HIDES = ("job_role", "job_family", "level", "location", "hire_date")


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(label=_("Email"))
    job_title = forms.CharField(max_length=200, required=False, label=_("Job title"))
    job_role = forms.CharField(
        max_length=120,
        required=False,
        label=_("Role in job architecture"),
        help_text=_("Used to compare pay among peers, e.g. Software Engineer."),
    )
    job_family = forms.CharField(
        max_length=120,
        required=False,
        label=_("Job family"),
        help_text=_("e.g. Engineering, Sales, Operations."),
    )
    level = forms.CharField(max_length=40, required=False, label=_("Level"))
    location = forms.CharField(max_length=120, required=False, label=_("Location"))
    hire_date = forms.DateField(required=False, widget=DateInput(), label=_("Hire date"))
    role = forms.ChoiceField(label=_("Access role"))
    manager_email = forms.EmailField(
        required=False, label=_("Manager's email"), help_text=_("Leave empty for no manager.")
    )
    team = forms.ChoiceField(required=False, label=_("Add to team"))
    invite = forms.BooleanField(
        required=False,
        label=_("Send an invitation email"),
        help_text=_(
            "A link to choose their own password, valid for 7 days. "
            "Without it, give them a password on their page."
        ),
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
        if organisation.is_school:
            # job architecture and hire date feed the pay audit and pay comparisons, which
            # a school has none of (fairness is for companies): the person page hides them too
            for name in SCHOOL_HIDES:
                del self.fields[name]
            manager = self.fields["manager_email"]
            manager.label = pgettext_lazy("school", "Teacher's or head teacher's email")
            manager.help_text = pgettext_lazy(
                "school", "A student's teacher; a teacher's head teacher. Leave empty for none."
            )
            self.fields["team"].label = pgettext_lazy("school", "Add to class")
        if not may_change_role:
            self.fields["role"].disabled = True
        if creating:
            _choices(self, "team", team_choices(organisation))
        else:
            del self.fields["team"]
            del self.fields["invite"]


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=Team.Kind.choices, label=_("Kind"))
    parent = forms.ChoiceField(required=False, label=_("Inside"))
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Description")
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "parent", team_choices(organisation, blank=_("— top level —")))
        if organisation.is_school:
            _choices(
                self,
                "kind",
                [
                    (Team.Kind.SCHOOL, Team.Kind.SCHOOL.label),
                    (Team.Kind.CLASS, Team.Kind.CLASS.label),
                ],
            )
        else:
            _choices(
                self,
                "kind",
                [
                    (Team.Kind.DEPARTMENT, Team.Kind.DEPARTMENT.label),
                    (Team.Kind.TEAM, Team.Kind.TEAM.label),
                ],
            )


class MembershipForm(forms.Form):
    email = forms.EmailField(label=_("Person's email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            ("member", pgettext_lazy("team role", "Member")),
            ("lead", pgettext_lazy("team role", "Lead")),
        ],
    )


class LoginGrantForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label=_("Password"),
        help_text=_(
            "At least 10 characters. Tell the person; they can change it after signing in."
        ),
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("people", _("People")), ("teams", _("Teams"))]
    )
    file = forms.FileField(label=_("CSV file (UTF-8, header row)"))


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
            "name": _("Name of the organisation"),
            "anonymity_min_group": _("Anonymity minimum (people per group)"),
            "autonomy_policy": _("Autonomy policy"),
            "okr_cadence": _("OKR cadence"),
            "require_two_factor": _("Require two-factor sign-in for admins and people ops"),
        }
        help_texts = {
            "require_two_factor": _(
                "Until they set up an authenticator app or a passkey, "
                "they are refused pay data and exports (on the web and through the API)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_school:  # a school has no people ops and no pay data
            self.fields["require_two_factor"].label = _(
                "Require two-factor sign-in for head teachers"
            )
            self.fields["require_two_factor"].help_text = _(
                "Until they set up an authenticator app or a passkey, they are refused exports "
                "(on the web and through the API)."
            )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=_("Name"),
        initial=_("API token"),
        help_text=_("What the token is for, e.g. 'metrics sync'."),
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
        label=_("Issuer URL"),
        max_length=500,
        help_text=_(
            "As the provider's discovery document names it, e.g. "
            "https://keycloak.example.com/realms/acme"
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=500)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown again; leave empty to keep the saved one."),
    )
    allowed_domains = forms.CharField(
        label=_("Allowed email domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line. A first sign-in from one of them joins as a member; "
            "anyone else needs an admin to add them first."
        ),
    )
    sso_only = forms.BooleanField(
        label=_("Single sign-on only (members may not use a password; admins keep theirs)"),
        required=False,
    )
    trust_email = forms.BooleanField(
        label=_("Trust this provider's email addresses"),
        required=False,
        help_text=_(
            "Only for a provider that owns its users' addresses and does not say "
            "whether one is verified (Microsoft Entra ID): its email addresses are then taken "
            "as verified."
        ),
    )
    enabled = forms.BooleanField(
        label=pgettext_lazy("setting", "Enabled"), required=False, initial=True
    )


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
