"""Autonomy pages: my autonomy, a person's (for their managers), and the team grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.forms import whole_number
from ampwork.core.l10n import list_separator
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, can, require
from ampwork.core.views import attempt, flash_errors, member_view
from ampwork.okrs import selectors as okr_selectors

from . import rules, selectors, services
from .models import Project, Proposal


def _context(actor: Actor, data: selectors.PersonAutonomy) -> dict[str, object]:
    school = actor.organisation.is_school
    person = data.person
    return {
        "t_names": rules.T_NAMES,
        "data": data,
        "projects": selectors.projects_of(actor, person),
        "budget": selectors.time_budgets(actor.organisation, [person.pk])[person.pk],
        "outcomes": Project.Outcome.choices,
        "today": timezone.localdate(),
        "may_set_policy": can(actor, "organisation.edit", actor.organisation),
        "my_objectives": okr_selectors.open_objectives_of(person) if person == actor.person else [],
        "school": school,
        "ts": [
            (t, rules.T_LABELS[t], data.levels[t], rules.describe(data.levels[t], school))
            for t in rules.TS
        ],
        "may_manage": can(actor, "autonomy.manage", data.person),
        "scale": [(lv, rules.describe(lv, school)) for lv in range(rules.TOP + 1)],
    }


@member_view
def mine(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor.person is None:
        raise NotFound(_("no person record"))
    data = selectors.person_autonomy(actor, actor.person)
    teams = []
    if can(actor, "autonomy.lead"):
        led = core_selectors.led_teams(actor.person)
        teams = list(core_selectors.teams(actor.organisation).filter(pk__in=led))
    return render(
        request, "autonomy/person.html", {**_context(actor, data), "mine": True, "led": teams}
    )


@member_view
def person(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    subject = selectors.get_person(actor, pk)
    data = selectors.person_autonomy(actor, subject)
    return render(
        request, "autonomy/person.html", {**_context(actor, data), "mine": subject == actor.person}
    )


def _grid_context(actor: Actor, data: selectors.Grid) -> dict[str, object]:
    school = actor.organisation.is_school
    return {
        "grid": data,
        "me": actor.person.pk if actor.person else None,
        "ts": [(t, rules.T_LABELS[t]) for t in rules.TS],
        "t_names": rules.T_NAMES,
        "school": school,
    }


def _team_grid(actor: Actor, pk: int) -> selectors.Grid:
    team = core_selectors.get_team(actor.organisation, pk)
    if not can(actor, "autonomy.manage", team):
        raise NotAllowed(_("The team grid is for the team's leads and admins."))
    return selectors.team_grid(actor, team)


@member_view
def grid(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return render(request, "autonomy/grid.html", _grid_context(actor, _team_grid(actor, pk)))


def _grid_row(
    request: HttpRequest, actor: Actor, team_id: int, subject: Person, said: str, error: bool
) -> HttpResponse | None:
    """One row of the team grid, redrawn in place after a decision from it (htmx): the
    next step's control stays closed where the last one was, the outcome beside it."""
    data = _team_grid(actor, team_id)
    row = next((r for r in data.rows if r["person"].pk == subject.pk), None)
    if row is None:  # not (or no longer) in this team: answer with a whole page
        return None
    post = request.POST
    return render(
        request,
        "autonomy/_grid_row.html",
        {
            **_grid_context(actor, data),
            "row": row,
            "status": "" if error else said,
            "error": said if error else "",
            "open": error,
            "typed": {"guardrails": post.get("guardrails", ""), "note": post.get("note", "")}
            if error
            else {},
            "granted": {} if error else {"guardrails": post.get("guardrails", "").strip()[:300]},
        },
    )


@require_POST
@member_view
def decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Grant, defer or decline a suggested step — or set a level directly. The forms send
    the level they were drawn with (``expected_level``): a stale or repeated decision
    records nothing. From the team grid (htmx) the answer is the person's row."""
    subject = selectors.get_person(actor, pk)
    post = request.POST
    team_id = whole_number(post.get("team", ""))
    in_place = bool(request.htmx) and team_id is not None  # type: ignore[attr-defined]
    said, failed = _("Recorded for %(name)s.") % {"name": subject.name}, False
    try:
        level = whole_number(post.get("level", ""))
        if level is None:
            raise ValidationFailed.single("level", _("Choose a level."))
        if post.get("outcome"):
            expected = post.get("expected_level", "").strip()
            decision = services.decide(
                actor=actor,
                person=subject,
                t=post.get("t", ""),
                level=level,
                outcome=post["outcome"],
                note=post.get("note", ""),
                guardrails=post.get("guardrails", ""),
                expected_level=whole_number(expected) if expected else None,
            )
            said = _("%(outcome)s: %(t)s → %(level)s for %(name)s.") % {
                "outcome": decision.get_outcome_display(),
                "t": decision.t,
                "level": decision.level,
                "name": subject.name,
            }
        else:
            services.set_level(
                actor=actor,
                person=subject,
                t=post.get("t", ""),
                level=level,
                why=post.get("note", ""),
                guardrails=post.get("guardrails", ""),
            )
    except ValidationFailed as exc:
        said, failed = list_separator().join(e.message for e in exc.errors), True
    if in_place and team_id is not None:
        row = _grid_row(request, actor, team_id, subject, said, failed)
        if row is not None:
            return row
    if failed:
        messages.error(request, said)
    else:
        messages.success(request, said)
    target = post.get("next", "")
    if target.startswith("/autonomy/"):
        return redirect(target)
    return redirect("autonomy:person", pk=pk)


def _number(raw: str, field: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValidationFailed.single(field, _("must be a number")) from None


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed.single("day", _("must be a date like 2026-03-31")) from None


@require_POST
@member_view
def add_project(request: HttpRequest, actor: Actor) -> HttpResponse:
    post = request.POST
    objective = post.get("objective_id", "")
    return attempt(
        request,
        _("Project started."),
        lambda: services.add_project(
            actor=actor,
            title=post.get("title", ""),
            why=post.get("why", ""),
            objective_id=whole_number(objective),
            serves_purpose=post.get("serves_purpose") == "on",
        ),
        "autonomy:mine",
    )


@require_POST
@member_view
def log_time(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    project, post = selectors.get_project(actor, pk), request.POST
    return attempt(
        request,
        _("Time logged."),
        lambda: services.log_time(
            actor=actor,
            project=project,
            day=_day(post.get("day", "")),
            hours=_number(post.get("hours", ""), "hours"),
        ),
        "autonomy:mine",
    )


@require_POST
@member_view
def update_project(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    project, post = selectors.get_project(actor, pk), request.POST
    return attempt(
        request,
        _("Project updated."),
        lambda: services.update_project(
            actor=actor,
            project=project,
            outcome=post.get("outcome") or None,
            learned=post.get("learned"),
        ),
        "autonomy:mine",
    )


@require_POST
@member_view
def set_policy(request: HttpRequest, actor: Actor) -> HttpResponse:
    post = request.POST
    share = post.get("share_percent", "")
    return attempt(
        request,
        _("Self-directed time policy saved."),
        lambda: services.set_policy(
            actor=actor,
            share_percent=-1 if (percent := whole_number(share)) is None else percent,
            weekly_hours=_number(post.get("weekly_hours", ""), "weekly_hours"),
        ),
        "autonomy:mine",
    )


# --- ShipIt days -------------------------------------------------------------------


def _moment(raw: str) -> dt.datetime:
    """A datetime-local field's value, in the server's time zone unless it names one."""
    try:
        found = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed.single(
            "starts_at", _("must be a date and time like 2026-03-31T09:00")
        ) from None
    return timezone.make_aware(found) if timezone.is_naive(found) else found


@member_view
def shipit_events(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        require(actor, "autonomy.shipit", actor.organisation)
        post = request.POST
        hours = post.get("hours", "24")
        try:
            event = services.create_event(
                actor=actor,
                title=post.get("title", ""),
                theme=post.get("theme", ""),
                starts_at=_moment(post.get("starts_at", "")),
                hours=whole_number(hours) or 0,
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
            return redirect("autonomy:shipit")
        messages.success(request, _("ShipIt day created."))
        return redirect("autonomy:shipit_event", pk=event.pk)
    may_run = can(actor, "autonomy.shipit", actor.organisation)
    return render(
        request,
        "autonomy/shipit_list.html",
        {
            "events": selectors.events(actor.organisation),
            "may_run": may_run,
            "phases": rules.PHASES,
        },
    )


@member_view
def shipit_event(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    event = selectors.get_event(actor.organisation, pk)
    view = selectors.event_view(actor, event)
    return render(
        request,
        "autonomy/shipit_event.html",
        {
            "view": view,
            "phases": rules.PHASES,
            "me": actor.person,
            "follow_ups": [(v, label) for v, label in Proposal.FollowUp.choices if v],
        },
    )


@require_POST
@member_view
def shipit_propose(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    event, post = selectors.get_event(actor.organisation, pk), request.POST
    return attempt(
        request,
        _("Idea proposed — you are on its team."),
        lambda: services.propose(
            actor=actor, event=event, title=post.get("title", ""), pitch=post.get("pitch", "")
        ),
        "autonomy:shipit_event",
        pk=event.pk,
    )


@require_POST
@member_view
def shipit_action(request: HttpRequest, actor: Actor, pk: int, action: str) -> HttpResponse:
    proposal, post = selectors.get_proposal(actor.organisation, pk), request.POST
    writes: dict[str, tuple[str, Callable[[], object]]] = {
        "join": (_("You joined the team."), lambda: services.join(actor=actor, proposal=proposal)),
        "leave": (_("You left the team."), lambda: services.leave(actor=actor, proposal=proposal)),
        "kudos": (_("Kudos sent."), lambda: services.kudos(actor=actor, proposal=proposal)),
        "demo": (
            _("Demo saved."),
            lambda: services.demo(
                actor=actor,
                proposal=proposal,
                title=post.get("title", ""),
                summary=post.get("summary", ""),
                link=post.get("link", ""),
                shipped=post.get("shipped", ""),
            ),
        ),
        "follow-up": (
            _("Outcome recorded."),
            lambda: services.follow_up(
                actor=actor,
                proposal=proposal,
                outcome=post.get("outcome", ""),
                note=post.get("note", ""),
            ),
        ),
    }
    if action not in writes:
        raise NotFound(_("no such action"))
    ok, write = writes[action]
    return attempt(request, ok, write, "autonomy:shipit_event", pk=proposal.event_id)
