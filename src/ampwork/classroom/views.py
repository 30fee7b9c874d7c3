"""Rostering page (upload a OneRoster zip, see what would change, then confirm); consent
for student pulses (the school's policy, a round's records, the families' page)."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.forms import add_errors
from ampwork.core.l10n import list_separator
from ampwork.core.languages import speaking_to
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor, can, require
from ampwork.core.views import flash_errors, member_view
from ampwork.okrs import selectors as okr_selectors
from ampwork.pulse import selectors as pulse_selectors
from ampwork.pulse import services as pulse_services

from . import (
    bundle,
    consent,
    consent_services,
    family_consent_selectors,
    goal_services,
    portfolio,
    selectors,
    services,
)
from .forms import (
    ConsentPolicyForm,
    ConsentRecordForm,
    GoalCheckInForm,
    GoalForm,
    GoalSettingsForm,
    RosterConfirmForm,
    RosterForm,
)

SESSION_KEY = "ampwork_roster"

# the roster's kinds of records, changes and roles in people's words (the keys stay English)
ROSTER_WORDS = {
    "schools": gettext_lazy("schools"),
    "terms": gettext_lazy("terms (cycles)"),
    "classes": gettext_lazy("classes"),
    "teachers": gettext_lazy("teachers"),
    "students": gettext_lazy("students"),
    "guardians": gettext_lazy("guardians"),
    "enrollments": gettext_lazy("enrollments"),
    "created": pgettext_lazy("roster", "created"),
    "updated": pgettext_lazy("roster", "updated"),
    "deactivated": pgettext_lazy("roster", "deactivated"),
    "removed": pgettext_lazy("roster", "removed"),
    "create": pgettext_lazy("roster", "create"),
    "update": pgettext_lazy("roster", "update"),
    "unchanged": pgettext_lazy("roster", "unchanged"),
    "deactivate": pgettext_lazy("roster", "deactivate"),
    "guardian": pgettext_lazy("roster", "guardian"),
    "student": pgettext_lazy("roster", "student"),
    "teacher": pgettext_lazy("roster", "teacher"),
}


def _school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("rostering is for schools")
    require(actor, "roster.import", actor.organisation)


@require_http_methods(["GET", "POST"])
@member_view
def roster(request: HttpRequest, actor: Actor) -> HttpResponse:
    _school(actor)
    form = RosterForm(request.POST or None, request.FILES or None)
    result, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(bundle.MAX_BUNDLE_BYTES + 1)  # more is refused unread
        try:
            result = services.check_roster(
                actor=actor, files=services.read_bundle(data, upload.name)
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            request.session[SESSION_KEY] = {
                "name": upload.name,
                "zip": base64.b64encode(data).decode(),
            }
    refused = request.method == "POST" and bool(form.errors or errors)
    return render(
        request,
        "classroom/roster.html",
        {
            "form": form,
            "result": result,
            "errors": errors,
            "source": request.FILES.get("file"),
            "roster_words": ROSTER_WORDS,
            "confirm_form": RosterConfirmForm(),
        },
        status=400 if refused else 200,
    )


@require_POST
@member_view
def roster_confirm(request: HttpRequest, actor: Actor) -> HttpResponse:
    _school(actor)
    staged = request.session.pop(SESSION_KEY, None)
    if not staged:
        messages.error(request, _("Nothing to import: upload the zip again."))
        return redirect("classroom:roster")
    confirm = RosterConfirmForm(request.POST)
    invite = confirm.is_valid() and confirm.cleaned_data["invite_guardians"]
    try:
        files = services.read_bundle(base64.b64decode(staged["zip"]), staged["name"])
        result = services.import_roster(
            actor=actor, files=files, source=staged["name"], invite_guardians=invite
        )
    except ValidationFailed as exc:
        messages.error(
            request,
            _("Nothing was imported: %(problems)s")
            % {"problems": list_separator().join(exc.lines()[:5])},
        )
        return redirect("classroom:roster")
    said = list_separator().join(
        _("%(records)s: %(changes)s")
        % {
            "records": ROSTER_WORDS.get(entity, entity),
            "changes": ", ".join(
                f"{n} {ROSTER_WORDS.get(w, w)}" for w, n in counts.items() if n and w != "unchanged"
            ),
        }
        for entity, counts in result.counts.items()
        if any(n for w, n in counts.items() if w != "unchanged")
    )
    if said:
        text = _("Imported the roster %(name)s — %(changes)s.") % {
            "name": staged["name"],
            "changes": said,
        }
    else:
        text = _("Imported the roster %(name)s: no changes.") % {"name": staged["name"]}
    if invite:
        text += " " + ngettext(
            "%(n)d guardian invited by email.", "%(n)d guardians invited by email.", result.invited
        ) % {"n": result.invited}
    messages.success(request, text)
    return redirect("core:teams")


# ---------------------------------------------------------------- consent for student pulses


def _in_school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("consent for student pulses is for schools")


@require_http_methods(["GET", "POST"])
@member_view
def consent_policy(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The school's consent rule for student pulses and its sensitive topics."""
    _in_school(actor)
    require(actor, "consent.policy", actor.organisation)
    policy = selectors.policy_of(actor.organisation)
    form = ConsentPolicyForm(
        request.POST or None, initial={"rule": policy.rule, "topics": policy.topics_text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.set_policy(
                actor=actor, rule=form.cleaned_data["rule"], topics=form.cleaned_data["topics"]
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Consent policy saved."))
            return redirect("classroom:consent_policy")
    return render(
        request,
        "classroom/consent_policy.html",
        {"form": form, "policy": policy, "areas": pulse_selectors.AREA_LABELS},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@member_view
def consent_round(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """A round's students, each with their guardian's answer, and the families' link."""
    _in_school(actor)
    round = pulse_selectors.get_round(actor, pk)
    require(actor, "pulse.run", round)
    if request.method == "POST":
        form = ConsentRecordForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a student and what their guardian said."))
            return redirect("classroom:consent_round", pk=pk)
        data = form.cleaned_data
        try:
            did = consent_services.record_consent(
                actor=actor,
                round=round,
                student_id=data["student"],
                status=data["status"],
                guardian_id=data["guardian"],
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, RECORDED[did])
        return redirect("classroom:consent_round", pk=pk)
    policy = selectors.policy_of(actor.organisation)
    items = pulse_services.items_of(round)
    link = request.build_absolute_uri(
        reverse("classroom:families", args=[consent_services.families_token(round)])
    )
    response = render(
        request,
        "classroom/consent_round.html",
        {
            "round": round,
            "policy": policy,
            "rules": consent.RULES,
            "touches": selectors.sensitivity(items, policy.topics),
            "areas": pulse_selectors.AREA_LABELS,
            "rows": selectors.consent_rows(
                actor.organisation, round.pk, consent_services.students_for(actor, round)
            ),
            "families_link": link,
            "may_set_policy": can(actor, "consent.policy", actor.organisation),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


RECORDED = {
    "recorded": gettext_lazy("Recorded."),
    "recorded_late": gettext_lazy(
        "Recorded. This pulse is already open: who it asks was fixed when it "
        "opened, so this student is not invited now."
    ),
    "not_open": gettext_lazy("Recorded: this student will not be asked when the pulse opens."),
    # the same words whether or not the student had answered: that is not for anyone to
    # learn (answers are anonymous, and one already given cannot be taken out)
    "link_closed": gettext_lazy(
        "Recorded: the student's link no longer works; an answer already given, "
        "if any, stays anonymous in the results."
    ),
    "link_renewed": gettext_lazy(
        "Recorded. The shared link cannot tell who answers, so it was renewed: "
        "give the new link to the other students only."
    ),
}


@require_http_methods(["GET"])
def families(request: HttpRequest, token: str) -> HttpResponse:
    """What a pulse asks, for students' families, before it runs: no sign-in (the link is
    signed), only the questions — never answers, counts or results."""
    try:
        org_id, round_id = consent_services.families_round(token[:400])
        org = Organisation.objects.filter(pk=org_id).first()
        if org is None or not org.is_school:
            raise NotFound("this link is not valid")
        round = pulse_selectors.get_round(Actor.system(org), round_id)
    except NotFound:
        return render(request, "classroom/families.html", {"invalid": True}, status=404)
    policy = selectors.policy_of(org)
    asked = family_consent_selectors.questions_of(round, policy)
    response = render(
        request,
        "classroom/families.html",
        {
            "school": org.name,
            "round": round,
            "questions": asked.questions,
            "enps": asked.enps,
            "comment": asked.comment,
            "policy": policy,
            "touches": asked.touches,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# ---------------------------------------------------------------- students' goals


def _goals_in_school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("students' goals are for schools")


def _goals_page(request: HttpRequest, actor: Actor, student: Person | None) -> HttpResponse:
    goals = selectors.student_goals(actor, student.pk) if student else []
    mine = student is not None and actor.person is not None and student.pk == actor.person.pk
    may_settle = can(actor, "goals.settings", actor.organisation)
    response = render(
        request,
        "classroom/goals.html",
        {
            "student": student,
            "mine": mine,
            "goals": goals,
            "may_write": student is not None and can(actor, "goals.write", student),
            "following": selectors.students_to_follow(actor) if mine else None,
            "settings_form": GoalSettingsForm(
                initial={"order_by_kind": selectors.order_by_kind(actor.organisation)}
            )
            if may_settle and mine
            else None,
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@member_view
def goals(request: HttpRequest, actor: Actor) -> HttpResponse:
    """My goals: each of the signed-in person's objectives as a goal sheet; for a teacher
    also their students, each with a link to theirs."""
    _goals_in_school(actor)
    return _goals_page(request, actor, actor.person)


@require_GET
@member_view
def student_goals(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    _goals_in_school(actor)
    student = core_selectors.get_person(actor.organisation, pk)
    require(actor, "goals.view", student)
    return _goals_page(request, actor, student)


@require_http_methods(["GET", "POST"])
@member_view
def goal(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """One goal: the student writes its sheet; the student and their teacher check in on
    it (a dated series, newest first)."""
    _goals_in_school(actor)
    # a private objective the reader may not see is "not found", as on the OKR pages
    student = core_selectors.get_person(
        actor.organisation, okr_selectors.objective_owner(actor, pk)
    )
    require(actor, "goals.view", student)
    found = selectors.student_goals(actor, student.pk, [pk])
    if not found:  # a dropped objective: no goal sheet
        raise NotFound("no such goal")
    view = found[0]
    may_write = can(actor, "goals.write", student)
    may_check_in = can(actor, "goals.check_in", student)
    form = GoalForm(
        initial={
            "kind": view.kind,
            "starting_point": view.starting_point,
            "action_plan": view.action_plan,
            "celebration": view.celebration,
        }
    )
    check_in = GoalCheckInForm()
    if request.method == "POST":
        if any(key.startswith(f"{GoalCheckInForm.prefix}-") for key in request.POST):
            require(actor, "goals.check_in", student)
            check_in = GoalCheckInForm(request.POST)
            if check_in.is_valid():
                try:
                    goal_services.add_check_in(
                        actor=actor,
                        objective_id=pk,
                        text=check_in.cleaned_data["text"],
                        progress=check_in.cleaned_data["progress"],
                    )
                except ValidationFailed as exc:
                    add_errors(check_in, exc)
                else:
                    messages.success(request, _("Check-in saved."))
                    return redirect("classroom:goal", pk=pk)
        else:
            require(actor, "goals.write", student)
            form = GoalForm(request.POST)
            if form.is_valid():
                try:
                    services.save_goal(actor=actor, objective_id=pk, **form.cleaned_data)
                except ValidationFailed as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("Goal saved."))
                    return redirect("classroom:goal", pk=pk)
    response = render(
        request,
        "classroom/goal.html",
        {
            "student": student,
            "view": view,
            "mine": may_write,
            "form": form if may_write else None,
            "check_in": check_in if may_check_in else None,
        },
        status=400 if request.method == "POST" else 200,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@member_view
def conference(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The student's conference portfolio as a PDF (A4, or ``?paper=letter``)."""
    _goals_in_school(actor)
    student = core_selectors.get_person(actor.organisation, pk)
    require(actor, "goals.view", student)
    paper = request.GET.get("paper", "a4")
    paper = paper if paper in portfolio.PAPERS else "a4"
    with speaking_to(student):  # the portfolio is the student's: in their language
        data = portfolio.render(selectors.conference_portfolio(actor, student), paper)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="conference-portfolio-{slugify(student.name) or student.pk}.pdf"'
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@member_view
def goal_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    _goals_in_school(actor)
    form = GoalSettingsForm(request.POST)
    form.is_valid()  # a checkbox: absent is off
    try:
        services.set_goal_order(
            actor=actor, order_by_kind=bool(form.cleaned_data.get("order_by_kind"))
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Saved: how students' goals are listed."))
    return redirect("classroom:goals")
