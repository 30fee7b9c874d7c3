"""OKR pages: the weekly check-in, objectives, the alignment tree, the cycle dashboard."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.forms import add_errors, whole_number
from ampwork.core.l10n import list_separator
from ampwork.core.permissions import Actor, can, require
from ampwork.core.views import flash_errors, member_view
from ampwork.purpose import selectors as purpose_selectors

from . import charts, guidance, selectors, services
from .forms import CloseForm, CycleForm, KeyResultForm, ObjectiveForm, TemplateForm, parse_owner
from .models import KeyResult


def _cycle_from(request: HttpRequest, actor: Actor) -> Any:
    raw = request.GET.get("cycle", "")
    if (cycle_id := whole_number(raw)) is not None:
        return selectors.get_cycle(actor.organisation, cycle_id)
    return selectors.current_cycle(actor.organisation)


def _owner_name(objective: Any) -> str:
    if objective.owner_person is not None:
        return str(objective.owner_person.name)
    return str(objective.owner_team.name) if objective.owner_team is not None else ""


# ---------------------------------------------------------------- the weekly check-in


@member_view
def check_in_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    state = selectors.my_check_in(actor)
    warnings = selectors.owner_warnings(state)
    me = actor.person.pk if actor.person else None
    # the count warnings speak of the objectives the person owns: listed apart, first
    owned = [o for o in state.objectives if o.owner_person_id == me and me is not None]
    return render(
        request,
        "okrs/check_in.html",
        {
            "state": state,
            "warnings": warnings.get(me, []) if me is not None else [],
            "owned": owned,
            "others": [o for o in state.objectives if o not in owned],
            "me_id": me,
            "cycle": selectors.current_cycle(actor.organisation),
        },
    )


@require_POST
@member_view
def check_in_row(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Save one key result's check-in; answers with its row (htmx) or the page."""
    key_result = selectors.get_key_result(actor, pk)
    error = None
    try:
        services.check_in(
            actor=actor, key_result=key_result, **_check_in_fields(request, key_result)
        )
    except ValidationFailed as exc:
        error = list_separator().join(
            _("%(field)s: %(message)s")
            % {"field": services.checkin_field_name(e.field), "message": e.message}
            for e in exc.errors
        )
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Checked in on “%(title)s”.") % {"title": key_result.title})
        return redirect(request.POST.get("next") or "okrs:check_in")
    state = selectors.evaluate(
        selectors.visible_objectives(actor).filter(pk=key_result.objective_id)
    )
    fresh = next(k for k in state.key_results[key_result.objective_id] if k.pk == key_result.pk)
    return render(
        request,
        "okrs/_check_in_row.html",
        {
            "kr": fresh,
            "r": state.kr_results[fresh.pk],
            "error": error,
            "saved": error is None,
            "objective_result": state.results[key_result.objective_id],
        },
    )


def _check_in_fields(request: HttpRequest, key_result: KeyResult) -> dict[str, Any]:
    post = request.POST
    fields: dict[str, Any] = {"note": post.get("note", "")[:280]}
    confidence = post.get("confidence", "").strip()
    if confidence:
        number = whole_number(confidence)
        if number is None:
            raise ValidationFailed.single("confidence", _("must be a whole number from 0 to 10"))
        fields["confidence"] = number
    if key_result.kind in (KeyResult.Kind.NUMERIC, KeyResult.Kind.RANGE):
        raw = post.get("value", "").strip().replace(",", ".")
        try:
            fields["value"] = float(raw) if raw else None
        except ValueError:
            raise ValidationFailed.single(
                "value", _("'%(value)s' is not a number") % {"value": raw}
            ) from None
        if fields["value"] is not None and fields["value"] != fields["value"]:  # NaN
            raise ValidationFailed.single("value", _("is not a number"))
    elif key_result.kind == KeyResult.Kind.BOOLEAN:
        fields["done"] = post.get("done") == "on"
    else:
        fields["milestones_done"] = [
            n for v in post.getlist("milestone") if (n := whole_number(v)) is not None
        ]
    return fields


# ---------------------------------------------------------------- objectives


@member_view
def objective_page(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    detail = selectors.objective_detail(actor, pk)
    objective = detail.objective
    state = detail.state
    krs = state.key_results.get(objective.pk, [])
    return render(
        request,
        "okrs/objective.html",
        {
            "objective": objective,
            "state": state,
            "result": state.results[objective.pk],
            "krs": [
                (
                    kr,
                    state.kr_results[kr.pk],
                    charts.key_result(kr, detail.check_ins.get(kr.pk, []), objective.cycle),
                )
                for kr in krs
            ],
            "history": sorted(
                (c for cs in detail.check_ins.values() for c in cs),
                key=lambda c: (c.date, c.pk),
                reverse=True,
            )[:50],
            "parents": [
                (link, state.results.get(link.parent_id))
                for link in selectors.seen_links(actor, state.parents.get(objective.pk, []))
            ],
            "children": [
                (link, state.results.get(link.child_id))
                for link in selectors.seen_links(actor, state.children.get(objective.pk, []))
            ],
            "may_edit": can(actor, "objectives.edit", objective),
            "hints": guidance.objective_hints(objective.title),
            "kr_form": KeyResultForm(),
            "stories": purpose_selectors.stories_for(objective),
            "serves_purpose": purpose_selectors.serves_purpose(objective),
            "candidates": (
                selectors.visible_objectives(actor)
                .filter(cycle=objective.cycle)
                .exclude(pk=objective.pk)
                .order_by("owner_kind", "title")[:300]
                if can(actor, "objectives.edit", objective)
                else []
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def objective_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    cycle = _cycle_from(request, actor)
    if cycle is None:
        messages.info(request, _("Start a cycle first: OKRs belong to a cycle."))
        return redirect("okrs:cycles")
    form = ObjectiveForm(
        request.POST or None,
        actor=actor,
        cycle=cycle,
        initial={"owner": f"person:{actor.person.pk}" if actor.person else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = services.create_objective(
                actor=actor,
                cycle=cycle,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                work_style=data["work_style"],
                visibility=data["visibility"],
                parent_id=int(data["parent"]) if data["parent"] else None,
                link_kind=data["link_kind"],
                **parse_owner(data["owner"]),
            )
        except ValidationFailed as exc:
            add_errors(
                form,
                exc,
                {
                    "owner_team_id": "owner",
                    "owner_person_id": "owner",
                    "parent_id": "parent",
                    "cycle_id": "title",
                },
            )
        else:
            for hint in guidance.objective_hints(objective.title):
                messages.warning(request, hint)
            messages.success(
                request,
                _("Objective saved. Now add 2–5 key results: how will you know it worked?"),
            )
            return redirect("okrs:objective", pk=objective.pk)
    return render(
        request, "okrs/objective_form.html", {"form": form, "cycle": cycle, "objective": None}
    )


@require_http_methods(["GET", "POST"])
@member_view
def objective_edit(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    objective = selectors.get_objective(actor, pk)
    require(actor, "objectives.edit", objective)
    fields = ("title", "description", "kind", "work_style", "visibility")
    form = ObjectiveForm(
        request.POST or None,
        actor=actor,
        cycle=objective.cycle,
        editing=True,
        initial={f: getattr(objective, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_objective(
                actor=actor, objective=objective, **{f: form.cleaned_data[f] for f in fields}
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Objective saved."))
            return redirect("okrs:objective", pk=objective.pk)
    return render(
        request,
        "okrs/objective_form.html",
        {"form": form, "cycle": objective.cycle, "objective": objective},
    )


@require_http_methods(["GET", "POST"])
@member_view
def objective_delete(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Deleting asks first (a page of its own, no script needed): what goes with it, and a
    button that says so. A second press of that button — a double click, a resent form —
    finds the objective gone and says so instead of failing."""
    try:
        objective = selectors.get_objective(actor, pk)
    except NotFound:
        # "already deleted" only to the one who was shown the confirmation for this very
        # objective (its signed ticket); anyone else gets the plain 404 of an id they may
        # not see, so the answer tells nothing about other people's objectives
        if request.method != "POST" or not _delete_ticket_ok(request, actor, pk):
            raise
        messages.info(request, _("That objective is no longer here: it was already deleted."))
        return redirect("okrs:check_in")
    require(actor, "objectives.edit", objective)
    if request.method == "POST" and request.POST.get("confirm") == "delete":
        services.delete_objective(actor=actor, objective=objective)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": objective.title})
        return redirect("okrs:check_in")
    return render(
        request,
        "okrs/objective_delete.html",
        {
            "objective": objective,
            "loses": selectors.deletion_impact(actor, objective),
            "ticket": signing.dumps([pk, actor.user.pk if actor.user else None], salt=_TICKET),
        },
    )


_TICKET = "ampwork.okrs.delete-objective"


def _delete_ticket_ok(request: HttpRequest, actor: Actor, pk: int) -> bool:
    """Whether the form carries the ticket the confirmation page gave this user for this
    objective (valid for a day)."""
    try:
        got = signing.loads(request.POST.get("ticket", ""), salt=_TICKET, max_age=86_400)
    except signing.BadSignature:
        return False
    return bool(got == [pk, actor.user.pk if actor.user else None])


@require_POST
@member_view
def objective_link(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Align the objective with another one, or remove an alignment."""
    objective = selectors.get_objective(actor, pk)
    raw = request.POST.get("parent", "")
    parent_id = whole_number(raw)
    if parent_id is None:
        messages.error(request, _("Choose the objective to align with."))
        return redirect("okrs:objective", pk=pk)
    parent = selectors.get_objective(actor, parent_id)
    try:
        if request.POST.get("remove"):
            services.unlink(actor=actor, child=objective, parent_id=parent.pk)
            messages.success(
                request, _("No longer aligned with “%(title)s”.") % {"title": parent.title}
            )
        else:
            services.link(
                actor=actor,
                child=objective,
                parent_id=parent.pk,
                kind=request.POST.get("kind", "contributes"),
            )
            messages.success(request, _("Aligned with “%(title)s”.") % {"title": parent.title})
    except ValidationFailed as exc:
        flash_errors(request, exc)
    return redirect("okrs:objective", pk=pk)


@require_http_methods(["GET", "POST"])
@member_view
def key_result_form(
    request: HttpRequest, actor: Actor, objective_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    key_result = selectors.get_key_result(actor, pk) if pk is not None else None
    objective = (
        key_result.objective if key_result else selectors.get_objective(actor, objective_pk or 0)
    )
    require(actor, "objectives.edit", objective)
    initial: dict[str, Any] = {}
    if key_result is not None:
        initial = {
            f: getattr(key_result, f)
            for f in ("title", "kind", "start", "target", "unit", "low", "high", "weight")
        }
        initial["milestones"] = "\n".join(
            f"{m.title} | {m.weight:g}" for m in key_result.milestones.all()
        )
    form = KeyResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        spec = form.spec()
        try:
            if key_result is None:
                key_result = services.create_key_result(actor=actor, objective=objective, **spec)
            else:
                spec.pop("milestones")
                services.update_key_result(actor=actor, key_result=key_result, **spec)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            for hint in guidance.key_result_hints(key_result.title, key_result.kind):
                messages.warning(request, hint)
            messages.success(
                request, _("Key result “%(title)s” saved.") % {"title": key_result.title}
            )
            return redirect("okrs:objective", pk=objective.pk)
    return render(
        request,
        "okrs/key_result_form.html",
        {"form": form, "objective": objective, "key_result": key_result},
    )


# ---------------------------------------------------------------- alignment and dashboard


@member_view
def alignment_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "okrs.view")
    cycle = _cycle_from(request, actor)
    if cycle is None:
        return render(request, "okrs/no_cycle.html", {"may_edit": can(actor, "cycles.edit")})
    raw = request.GET.get("team", "")
    team_id = whole_number(raw)
    tree = selectors.alignment(actor, cycle, team_id)
    if request.htmx and request.GET.get("body") and tree.branches:  # type: ignore[attr-defined]
        # one team opened in the tree: its objectives, its people's, its sub-teams
        branch = tree.branches[0]
        selectors.open_branches([branch], branch.depth + 1, at_most=None)
        return render(
            request,
            "okrs/_branch_body.html",
            {"tree": tree, "branch": branch},
        )

    if team_id and tree.branches:  # the team asked for, open whatever its size
        selectors.open_branches(tree.branches, tree.branches[0].depth + 1, at_most=None)
    else:
        selectors.open_branches(tree.branches, 2)
    return render(
        request,
        "okrs/alignment.html",
        {
            "tree": tree,
            "cycle": cycle,
            "cycles": selectors.cycles(actor.organisation),
            "team_id": team_id,
            "team_options": _team_options(tree.teams, team_id),
            "may_dashboard": can(actor, "okrs.dashboard"),
        },
    )


def _team_options(teams: list[Any], chosen: int | None) -> str:
    """Every team as an ``<option>``, the chosen one selected: built in Python (a template
    loop over 1,500 teams took some 50 ms of the tree page at 10,000 people)."""
    # ids, a fixed word and escaped names: safe
    return mark_safe(
        "".join(
            f'\n    <option value="{n.team.pk:d}" {"selected" if n.team.pk == chosen else ""}>'
            f"{escape(n.team.name)}</option>"
            for n in teams
        )
    )


@member_view
def dashboard_page(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    if not can(actor, "okrs.dashboard"):
        raise NotAllowed(_("The cycle dashboard is for managers and admins."))
    cycle = selectors.get_cycle(actor.organisation, pk)
    board = selectors.dashboard(actor, cycle)
    page = Paginator(board.teams, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "okrs/dashboard.html",
        {
            "board": board,
            "cycle": cycle,
            "page": page,
            "status_chart": charts.statuses(board.teams[:15], school=actor.organisation.is_school)
            if board.teams
            else None,
            "score_chart": charts.scores(board.scores, board.scored) if board.scores else None,
            "may_close": can(actor, "cycles.edit", cycle) and cycle.is_open,
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def cycles_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST":
        require(actor, "cycles.edit")
        if form.is_valid():
            try:
                cycle = services.create_cycle(actor=actor, **form.cleaned_data)
            except ValidationFailed as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("%(cycle)s is open.") % {"cycle": cycle.name})
                return redirect("okrs:alignment")
    return render(
        request,
        "okrs/cycles.html",
        {
            "cycles": selectors.cycles(actor.organisation),
            "form": form,
            "may_edit": can(actor, "cycles.edit"),
            "may_dashboard": can(actor, "okrs.dashboard"),
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def close_page(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    cycle = selectors.get_cycle(actor.organisation, pk)
    require(actor, "cycles.edit", cycle)
    if request.method == "POST" and not cycle.is_open:  # a second press: nothing to redo
        messages.info(request, _("%(cycle)s is already closed and scored.") % {"cycle": cycle.name})
        return redirect("okrs:dashboard", pk=cycle.pk)
    state = selectors.evaluate(selectors.visible_objectives(actor).filter(cycle=cycle))
    open_cycles = [
        c for c in selectors.cycles(actor.organisation) if c.is_open and c.pk != cycle.pk
    ]
    form = CloseForm(request.POST or None)
    cast(forms.ChoiceField, form.fields["next_cycle"]).choices = [("", "—")] + [
        (str(c.pk), c.name) for c in open_cycles
    ]
    if request.method == "POST" and form.is_valid():
        overrides: dict[int, tuple[float, str]] = {}
        try:
            for key in request.POST:
                raw = request.POST.get(key, "")
                if key.startswith("score_") and raw.strip():
                    kr_id = key.removeprefix("score_")
                    if whole_number(kr_id) is None:
                        continue
                    try:
                        score = float(raw)
                    except ValueError:
                        raise ValidationFailed.single(
                            key, _("'%(value)s' is not a score") % {"value": raw}
                        ) from None
                    overrides[int(kr_id)] = (score, request.POST.get(f"reason_{kr_id}", ""))
            carry = [n for v in request.POST.getlist("carry") if (n := whole_number(v)) is not None]
            next_raw = form.cleaned_data["next_cycle"]
            services.close_cycle(
                actor=actor,
                cycle=cycle,
                overrides=overrides,
                retrospective=form.cleaned_data["retrospective"],
                carry=carry,
                next_cycle=next(c for c in open_cycles if str(c.pk) == next_raw)
                if next_raw
                else None,
            )
        except ValidationFailed as exc:
            for error in exc.errors:
                messages.error(
                    request,
                    _("%(field)s: %(message)s") % {"field": error.field, "message": error.message},
                )
        else:
            messages.success(request, _("%(cycle)s is closed and scored.") % {"cycle": cycle.name})
            return redirect("okrs:dashboard", pk=cycle.pk)
    return render(
        request,
        "okrs/close.html",
        {
            "cycle": cycle,
            "state": state,
            # alike titles (a team's copies of one objective) side by side, told apart by owner
            "objectives": sorted(state.objectives, key=lambda o: (o.title, _owner_name(o), o.pk)),
            "form": form,
            "open_cycles": open_cycles,
        },
    )


@require_http_methods(["GET", "POST"])
@member_view
def template_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    cycle = _cycle_from(request, actor)
    form = TemplateForm(request.POST or None, actor=actor)
    if cycle is None:
        return render(request, "okrs/no_cycle.html", {"may_edit": can(actor, "cycles.edit")})
    if request.method == "POST" and form.is_valid():
        from ampwork.core import selectors as core_selectors

        data = form.cleaned_data
        key_results = []
        if data["key_result"]:
            key_results.append(
                {
                    "title": data["key_result"],
                    "kind": "numeric",
                    "start": data["start"] or 0.0,
                    "target": data["target"] if data["target"] is not None else 1.0,
                    "unit": data["unit"],
                }
            )
        try:
            copies = services.assign_template(
                actor=actor,
                cycle=cycle,
                team=core_selectors.get_team(actor.organisation, int(data["team"])),
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                key_results=key_results,
            )
        except ValidationFailed as exc:
            add_errors(form, exc, {"team_id": "team", "target": "target"})
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d person now has their own copy of “%(title)s”.",
                    "%(count)d people now have their own copy of “%(title)s”.",
                    len(copies),
                )
                % {"count": len(copies), "title": data["title"]},
            )
            return redirect("okrs:alignment")
    return render(request, "okrs/template.html", {"form": form, "cycle": cycle})
