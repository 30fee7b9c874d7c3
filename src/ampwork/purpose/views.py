"""Purpose pages: the shared purpose and its drafting, my statement, the themes, stories."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.forms import DateInput, add_errors
from ampwork.core.permissions import Actor, can
from ampwork.core.views import attempt, flash_errors, member_view
from ampwork.okrs import selectors as okr_selectors

from . import authenticity, selectors, services, themes
from .models import Draft, Statement


class StatementForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, label=gettext_lazy("Your answer")
    )
    visibility = forms.ChoiceField(
        choices=Statement.Visibility.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("Who sees it"),
    )
    quotable = forms.BooleanField(
        required=False, label=gettext_lazy("My words may be quoted in the themes, without my name")
    )


class DraftForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label=gettext_lazy("Propose a wording"),
    )


class StoryForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    helped = forms.CharField(
        max_length=200,
        label=gettext_lazy("Who the work helped"),
        help_text=gettext_lazy(
            "e.g. “a bakery owner in Porto” — a name only below, with their consent"
        ),
    )
    what_changed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("What changed for them")
    )
    happened_on = forms.DateField(required=False, widget=DateInput(), label=gettext_lazy("When"))
    source = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("Source"),
        help_text=gettext_lazy("Where the story comes from: a support ticket, a letter…"),
    )
    consent = forms.BooleanField(required=False, label=gettext_lazy("They agreed to be named"))
    named = forms.CharField(max_length=200, required=False, label=gettext_lazy("Their name"))
    objectives = forms.MultipleChoiceField(
        required=False,
        label=gettext_lazy("Related objectives"),
        widget=forms.SelectMultiple(
            attrs={"size": 5, "data-picker": gettext_lazy("Type an objective…")}
        ),
    )


def _story_form(actor: Actor, data: Any = None) -> StoryForm:
    form = StoryForm(data)
    cycle = okr_selectors.current_cycle(actor.organisation)
    objectives = (
        okr_selectors.visible_objectives(actor).filter(cycle=cycle).order_by("title")[:300]
        if cycle
        else []
    )
    cast(forms.ChoiceField, form.fields["objectives"]).choices = [
        (str(o.pk), o.title) for o in objectives
    ]
    return form


@member_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    versions = selectors.published(actor)
    current = versions[0] if versions else None
    found = selectors.organisation_themes(actor)
    mine = selectors.my_statement(actor)
    statement_form = StatementForm(
        initial={
            "text": mine.text if mine else "",
            "quotable": mine.quotable if mine else False,
            "visibility": mine.visibility if mine else services.default_visibility(actor),
        }
    )
    total, teams = selectors.coverage(actor)
    language = actor.organisation.default_language  # for texts whose words say none
    draft_rows = [(d, authenticity.check(d.text, language)) for d in selectors.drafts(actor)[:20]]
    me = actor.person.pk if actor.person is not None else None
    endorsed = {d.pk for d, _ in draft_rows if any(e.person_id == me for e in d.endorsements.all())}
    return render(
        request,
        "purpose/index.html",
        {
            "current": current,
            "versions": versions,
            "drafts": draft_rows,
            "endorsed": endorsed,
            "current_advice": authenticity.check(current.text, language) if current else None,
            "prompt": services.prompt_in_words(services.settings_of(actor).prompt),
            "mine": mine,
            "statement_form": statement_form,
            "draft_form": DraftForm(),
            "themes": found,
            "meeting": themes.overlap(current.text, found.themes, language) if current else [],
            "named": selectors.named_statements(actor)[:50],
            "stories": selectors.story_list(actor, 10),
            "story_form": _story_form(actor),
            "coverage": total,
            "team_coverage": teams,
            "may_manage": can(actor, "purpose.manage", actor.organisation),
        },
    )


@require_POST
@member_view
def statement(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.write_statement(actor=actor, **form.cleaned_data)
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, gettext("Your statement is saved."))
    else:
        messages.error(request, gettext("Write a few words, and choose who sees them."))
    return redirect("purpose:index")


def _draft(actor: Actor, pk: int) -> Draft:
    draft = selectors.drafts(actor).filter(pk=pk).first()
    if draft is None:
        raise NotFound("no such draft")
    return draft


@require_POST
@member_view
def drafting(request: HttpRequest, actor: Actor, pk: int | None = None) -> HttpResponse:
    """Propose a draft, or comment on, endorse or publish one."""
    action = request.POST.get("action", "propose")
    try:
        if action == "propose":
            draft = services.propose(actor=actor, text=request.POST.get("text", ""))
            advice = authenticity.check(draft.text, actor.organisation.default_language)
            messages.success(request, gettext("Your draft is up for comments and endorsements."))
            if advice.warn:
                messages.warning(
                    request,
                    gettext("A thought on your draft: %(reason)s") % {"reason": advice.reasons[0]},
                )
        elif action == "comment":
            services.comment(
                actor=actor, draft=_draft(actor, pk or 0), text=request.POST.get("text", "")
            )
        elif action == "endorse":
            return _endorse(request, actor, _draft(actor, pk or 0))
        elif action == "publish":
            published = services.publish(actor=actor, draft=_draft(actor, pk or 0))
            messages.success(
                request,
                gettext("Published as version %(version)s.") % {"version": published.version},
            )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(reverse("purpose:index"))  # the whole page
    return redirect("purpose:index")


def _endorse(request: HttpRequest, actor: Actor, draft: Draft) -> HttpResponse:
    """Endorse, and say so with the new count: in place (htmx), or as a message on the
    page it returns to."""
    created = services.endorse(actor=actor, draft=draft)
    # the count as it now stands (None: published or removed meanwhile)
    fresh = selectors.drafts(actor).filter(pk=draft.pk).first()
    count = len(fresh.endorsements.all()) if fresh is not None else 0
    if created:
        said = ngettext(
            "You endorse this draft: it has %(count)d endorsement now.",
            "You endorse this draft: it has %(count)d endorsements now.",
            count,
        ) % {"count": count}
    else:
        said = ngettext(
            "You already endorse this draft: it has %(count)d endorsement now.",
            "You already endorse this draft: it has %(count)d endorsements now.",
            count,
        ) % {"count": count}
    if fresh is None:
        messages.info(
            request, gettext("That draft is no longer open: it was published or removed.")
        )
        return redirect("purpose:index")
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, said)
        return redirect("purpose:index")
    return render(
        request,
        "purpose/_draft.html",
        {
            "d": fresh,
            "advice": authenticity.check(fresh.text, actor.organisation.default_language),
            "endorsed": {fresh.pk},
            "said": said,
            "may_manage": can(actor, "purpose.manage", actor.organisation),
        },
    )


@require_POST
@member_view
def prompt(request: HttpRequest, actor: Actor) -> HttpResponse:
    return attempt(
        request,
        gettext("The question is changed."),
        lambda: services.set_prompt(actor=actor, prompt=request.POST.get("prompt", "")),
        "purpose:index",
    )


@require_http_methods(["POST"])
@member_view
def story(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = _story_form(actor, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_story(
                actor=actor,
                title=data["title"],
                helped=data["helped"],
                what_changed=data["what_changed"],
                named=data["named"],
                consent=data["consent"],
                happened_on=data["happened_on"],
                source=data["source"],
                objective_ids=[int(i) for i in data["objectives"]],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
            flash_errors(request, exc)
        else:
            messages.success(
                request, gettext("Thank you: the story is on the related objectives too.")
            )
    else:
        messages.error(request, gettext("A story needs a title, who was helped and what changed."))
    return redirect("purpose:index")


@require_POST
@member_view
def serves(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    objective = okr_selectors.get_objective(actor, pk)
    services.serve_purpose(
        actor=actor, objective=objective, serves=request.POST.get("serves") == "1"
    )
    return redirect("okrs:objective", pk=pk)
