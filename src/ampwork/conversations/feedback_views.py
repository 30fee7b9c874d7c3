"""360 and upward feedback pages: ask (or propose for a report), my requests with their
progress, answer a request, read the results and choose what to share with one's manager.
Sharing answers in place with htmx."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import whole_number
from ampwork.core.models import Person
from ampwork.core.permissions import STUDENT, Actor, can, school_part
from ampwork.core.views import flash_errors, member_view
from ampwork.mastery import selectors as mastery_selectors
from ampwork.pulse.anonymity import effective_minimum

from . import feedback360, feedback_selectors, feedback_services
from .models import FeedbackRequest360


def _date(raw: str | None, field: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed.single(
            field, _("'%(value)s' is not a date") % {"value": raw[:20]}
        ) from None


def _ids(raw: list[str]) -> list[int]:
    return [n for n in (whole_number(v) for v in raw) if n is not None]


@member_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    me = actor.person
    people = (
        list(core_selectors.people(actor.organisation).exclude(pk=me.pk)) if me is not None else []
    )
    reports = [p for p in people if me is not None and p.manager_id == me.pk]
    coached = core_selectors.coached_by(me) if me is not None else set()
    rows = feedback_selectors.my_requests(actor)
    return render(
        request,
        "conversations/feedback_index.html",
        {
            "rows": rows,
            "waiting": [
                r
                for r in rows
                if r.request.status == FeedbackRequest360.Status.PROPOSED
                and me is not None
                and r.request.receiver_id == me.pk
            ],
            "to_answer": feedback_selectors.to_answer(actor),
            "shared": feedback_selectors.shared_with_me(actor),
            "people": people,
            "reports": reports,
            "coached": [p for p in people if p.pk in coached],
            "skills": mastery_selectors.skill_names(actor.organisation),
            "minimum": effective_minimum(actor.organisation.anonymity_min_group),
            "today": timezone.localdate(),
            "default_due": timezone.localdate() + dt.timedelta(days=14),
            "furthest": timezone.localdate() + dt.timedelta(days=feedback_services.FURTHEST),
            "may_ask": me is not None,
            "school": actor.organisation.is_school,
        },
    )


@require_POST
@member_view
def ask(request: HttpRequest, actor: Actor) -> HttpResponse:
    post = request.POST
    kind = post.get("kind", FeedbackRequest360.Kind.PEER)
    try:
        found = feedback_services.ask(
            actor=actor,
            kind=kind,
            asked_ids=_ids(post.getlist("asked_ids")),
            due=_date(post.get("due"), "due"),
            receiver_id=whole_number(post.get("receiver_id")),
            skill_id=whole_number(post.get("skill_id")),
            note=post.get("note", ""),
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("feedback360:index")
    if found.status == FeedbackRequest360.Status.PROPOSED:
        messages.success(
            request,
            _("Proposed: %(name)s decides whether it is sent.") % {"name": found.receiver.name},
        )
    else:
        messages.success(request, _("Sent. You will read the answers here."))
    return redirect("feedback360:request", pk=found.pk)


@member_view
def detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = feedback_selectors.get_request(actor, pk)
    return _page(request, actor, found, "conversations/feedback_request.html")


def _page(
    request: HttpRequest, actor: Actor, found: FeedbackRequest360, template: str
) -> HttpResponse:
    me = actor.person
    feedback_services.settle_upward(found)  # closed by its due date: the pool written out
    results = feedback_selectors.results(actor, found)
    may_answer = (
        can(actor, "feedback360.answer", found)
        and found.status == FeedbackRequest360.Status.OPEN
        and not feedback_selectors.is_closed(found)
        and me is not None
        and not found.asked.filter(person=me, answered=True).exists()
    )
    manager: Person | None = found.receiver.manager
    return render(
        request,
        template,
        {
            "r": found,
            "res": results,
            "may_view": can(actor, "feedback360.view", found),
            "may_answer": may_answer,
            "may_accept": can(actor, "feedback360.accept", found)
            and found.status == FeedbackRequest360.Status.PROPOSED,
            "may_share": results.reader_is_receiver
            and (not found.upward or results.any)
            and manager is not None,
            "may_close": results.reader_is_receiver
            and found.status == FeedbackRequest360.Status.OPEN
            and not results.row.closed,
            "manager": manager,
            "questions": results.questions,
        },
    )


@require_POST
@member_view
def answer(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = feedback_selectors.get_request(actor, pk)
    keys = [key for key, _text in feedback360.questions(found.skill.name if found.skill else None)]
    try:
        feedback_services.answer(
            actor=actor, request=found, answers={k: request.POST.get(k, "") for k in keys}
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("feedback360:request", pk=pk)
    messages.success(
        request,
        _("Thank you: your answers are sent, without your name.")
        if found.upward
        else _("Thank you: your answers are sent to %(name)s.") % {"name": found.receiver.name},
    )
    return redirect("feedback360:index")


@require_POST
@member_view
def accept(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = feedback_selectors.get_request(actor, pk)
    try:
        if request.POST.get("decision") == "decline":
            feedback_services.decline(actor=actor, request=found)
            messages.success(request, _("Declined: nothing was sent."))
            return redirect("feedback360:index")
        feedback_services.accept(actor=actor, request=found)
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("feedback360:request", pk=pk)
    messages.success(request, _("Accepted: the request is sent."))
    return redirect("feedback360:request", pk=pk)


@require_POST
@member_view
def close(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = feedback_selectors.get_request(actor, pk)
    try:
        feedback_services.close(actor=actor, request=found)
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("feedback360:request", pk=pk)
    messages.success(request, _("Closed: no more answers are taken."))
    return redirect("feedback360:request", pk=pk)


@require_POST
@member_view
def share(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = feedback_selectors.get_request(actor, pk)
    try:
        feedback_services.share(
            actor=actor,
            request=found,
            answer_ids=_ids(request.POST.getlist("answer_ids")),
            whole=request.POST.get("whole") == "on",
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("feedback360:request", pk=pk)
    if request.htmx:  # type: ignore[attr-defined]
        found = feedback_selectors.get_request(actor, pk)
        return _page(request, actor, found, "conversations/_feedback_share.html")
    if school_part(actor) == STUDENT:
        messages.success(
            request, pgettext("school", "Saved: your teacher reads only what you shared.")
        )
    elif actor.organisation.is_school:
        messages.success(
            request, pgettext("school", "Saved: your head teacher reads only what you shared.")
        )
    else:
        messages.success(
            request, pgettext("company", "Saved: your manager reads only what you shared.")
        )
    return redirect("feedback360:request", pk=pk)
