"""OKR forms: they parse fields and guide; services check and write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from ampwork.core import selectors as core_selectors
from ampwork.core.forms import DateInput
from ampwork.core.models import Person
from ampwork.core.permissions import STUDENT, Actor, anywhere, can, school_part

from .models import Cycle, KeyResult, Objective, ObjectiveLink
from .selectors import organisation_team_of


class CycleForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("e.g. 2026 Q4, or Spring term")
    )
    start = forms.DateField(label=pgettext_lazy("form field", "Start"), widget=DateInput())
    end = forms.DateField(label=pgettext_lazy("form field", "End"), widget=DateInput())


def owner_choices(actor: Actor) -> list[tuple[str, str]]:
    """Who the actor may set objectives for: themselves, their reports, teams they lead,
    and — for admins — the organisation and every team."""
    choices: list[tuple[str, str]] = []
    me = actor.person
    school = actor.organisation.is_school
    if me is not None:
        choices.append((f"person:{me.pk}", _("Me (%(name)s)") % {"name": me.name}))
    if anywhere(actor, "objectives.edit"):  # every objective: the organisation's too
        whole = (
            pgettext("school", "The school (%(name)s)")
            if school
            else _("The organisation (%(name)s)")
        )
        choices.append(("organisation", whole % {"name": actor.organisation.name}))
        # the team that is the organisation itself is offered once, as the organisation
        teams = core_selectors.teams(actor.organisation).exclude(
            pk=organisation_team_of(actor.organisation) or 0
        )
    elif me is not None:
        teams = core_selectors.teams(actor.organisation).filter(pk__in=core_selectors.led_teams(me))
    else:
        teams = core_selectors.teams(actor.organisation).none()
    team = pgettext("school", "Class: %(name)s") if school else _("Team: %(name)s")
    choices += [(f"team:{t.pk}", team % {"name": t.name}) for t in teams[:500]]
    if me is not None and can(actor, "objectives.for_reports"):
        reports = Person.objects.filter(pk__in=core_selectors.reports_of(me), active=True)
        choices += [
            (f"person:{p.pk}", _report(p, school=school) % {"name": p.name})
            for p in reports.order_by("name")[:500]
        ]
    return choices


def _report(person: Person, *, school: bool) -> str:
    """How the owner list names someone who reports to the actor: in a school, a student
    or a teacher."""
    if not school:
        return str(_("Report: %(name)s"))
    if school_part(person) == STUDENT:
        return pgettext("school", "Student: %(name)s")
    return pgettext("school", "Teacher: %(name)s")


def parse_owner(value: str) -> dict[str, Any]:
    kind, _sep, pk = value.partition(":")
    if kind == "person":
        return {"owner_kind": "person", "owner_person_id": int(pk)}
    if kind == "team":
        return {"owner_kind": "team", "owner_team_id": int(pk)}
    return {"owner_kind": "organisation"}


class ObjectiveForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("An outcome, not a task: what will be different when you succeed?"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why it matters, and to whom."),
    )
    owner = forms.ChoiceField(label=_("Owner"))
    kind = forms.ChoiceField(
        label=pgettext_lazy("form field", "Kind"),
        choices=Objective.Kind.choices,
        initial=Objective.Kind.COMMITTED,
        widget=forms.RadioSelect,
    )
    work_style = forms.ChoiceField(
        label=_("Work style"),
        choices=Objective.WorkStyle.choices,
        initial=Objective.WorkStyle.HEURISTIC,
        help_text=_(
            "Heuristic work is rewarded with fair pay and after-the-fact recognition, "
            "never an if-then bonus."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Objective.Visibility.choices,
        initial=Objective.Visibility.ORGANISATION,
    )
    parent = forms.ChoiceField(
        required=False,
        label=_("Aligns with"),
        help_text=_("An objective of the organisation or a team this one serves."),
    )
    link_kind = forms.ChoiceField(
        choices=ObjectiveLink.Kind.choices, initial=ObjectiveLink.Kind.CONTRIBUTES, label=_("How")
    )

    def __init__(
        self, *args: Any, actor: Actor, cycle: Cycle, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if actor.organisation.is_school:  # a school's words (issue 21)
            self.fields["work_style"].help_text = pgettext_lazy(
                "school",
                "Heuristic work is recognised after the fact (“now that you…”), never with an "
                "if-then prize.",
            )
            cast(forms.ChoiceField, self.fields["visibility"]).choices = [
                (
                    Objective.Visibility.ORGANISATION,
                    pgettext_lazy("school", "Everyone in the school"),
                ),
                (
                    Objective.Visibility.PRIVATE,
                    pgettext_lazy("school", "Private (owner, their teachers, head teachers)"),
                ),
            ]
            self.fields["parent"].help_text = pgettext_lazy(
                "school", "An objective of the school or a class this one serves."
            )
        if editing:
            for name in ("owner", "parent", "link_kind"):
                del self.fields[name]
            return
        cast(forms.ChoiceField, self.fields["owner"]).choices = owner_choices(actor)
        parents = (
            Objective.objects.filter(
                organisation=actor.organisation,
                cycle=cycle,
                owner_kind__in=[Objective.OwnerKind.ORGANISATION, Objective.OwnerKind.TEAM],
                visibility=Objective.Visibility.ORGANISATION,
            )
            .select_related("owner_team")
            .order_by("owner_kind", "title")[:300]
        )
        cast(forms.ChoiceField, self.fields["parent"]).choices = [("", "—")] + [
            (
                str(o.pk),
                _("%(owner)s: %(title)s")
                % {
                    "owner": o.owner_team.name if o.owner_team else _("Organisation"),
                    "title": o.title,
                },
            )
            for o in parents
        ]


class KeyResultForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Measurable: e.g. “Median first reply from 30 h to 8 h”."),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("form field", "Kind"),
        choices=KeyResult.Kind.choices,
        initial=KeyResult.Kind.NUMERIC,
    )
    start = forms.FloatField(
        label=pgettext_lazy("form field", "Start"),
        required=False,
        initial=0,
        help_text=_("Where it stands today (numbers only)."),
    )
    target = forms.FloatField(
        label=_("Target"),
        required=False,
        help_text=_("Where it should be at the end of the cycle. Lower than the start is fine."),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=30, required=False, help_text=_("e.g. %, h, customers")
    )
    low = forms.FloatField(
        label=_("Low"), required=False, help_text=_("For “keep within a range”.")
    )
    high = forms.FloatField(label=_("High"), required=False)
    milestones = forms.CharField(
        label=pgettext_lazy("form field", "Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For milestones: one per line; add “| 2” to weigh one twice."),
    )
    weight = forms.FloatField(
        label=_("Weight"),
        min_value=0,
        initial=1,
        help_text=_("Its share in the objective's progress."),
    )

    def spec(self) -> dict[str, Any]:
        data = self.cleaned_data
        milestones = []
        for line in (data.get("milestones") or "").splitlines():
            name, _sep, weight = line.partition("|")
            if name.strip():
                try:
                    milestones.append((name.strip(), float(weight) if weight.strip() else 1.0))
                except ValueError:
                    milestones.append((line.strip(), 1.0))
        return {
            "title": data["title"],
            "kind": data["kind"],
            "start": data["start"] if data["start"] is not None else 0.0,
            "target": data["target"] if data["target"] is not None else 1.0,
            "unit": data["unit"],
            "low": data["low"],
            "high": data["high"],
            "weight": data["weight"],
            "milestones": milestones,
        }


class TemplateForm(forms.Form):
    team = forms.ChoiceField(label=_("Give each member of"))
    title = forms.CharField(max_length=200, label=_("Objective"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("form field", "Kind"),
        choices=Objective.Kind.choices,
        initial=Objective.Kind.COMMITTED,
    )
    key_result = forms.CharField(max_length=200, required=False, label=_("Key result (numeric)"))
    start = forms.FloatField(label=pgettext_lazy("form field", "Start"), required=False, initial=0)
    target = forms.FloatField(label=_("Target"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = core_selectors.teams(actor.organisation)
        if not anywhere(actor, "objectives.assign") and actor.person is not None:
            teams = teams.filter(pk__in=core_selectors.led_teams(actor.person))
        cast(forms.ChoiceField, self.fields["team"]).choices = [
            (str(t.pk), t.name) for t in teams[:500]
        ]


class CloseForm(forms.Form):
    retrospective = forms.CharField(
        label=_("Retrospective"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What went well, what did not, what you will change next cycle."),
    )
    next_cycle = forms.ChoiceField(required=False, label=_("Carry the ticked objectives into"))
