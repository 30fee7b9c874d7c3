"""1:1 pages: one's own 1:1s (and starting one), a meeting with its shared agenda, action
items, shared notes and one's own private note, holding it, and the next meeting's
calendar invitation. The agenda's small writes answer in place with htmx."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from ampwork.core import ical, l10n
from ampwork.core import selectors as core_selectors
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import whole_number
from ampwork.core.models import Role
from ampwork.core.permissions import Actor, can
from ampwork.core.views import flash_errors, member_view

from . import links, selectors, services
from .models import Meeting, OneOnOne

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WORDS: dict[str, StrOrPromise] = {
    "manager": pgettext_lazy("company", "your manager"),
    "report": pgettext_lazy("company", "your report"),
    "mentor": gettext_lazy("your mentor"),
    "mentee": gettext_lazy("your mentee"),
}
SCHOOL_WORDS: dict[str, StrOrPromise] = {
    **WORDS,
    "manager": pgettext_lazy("school", "your teacher"),
    "report": pgettext_lazy("school", "your student"),
}


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


def _words(actor: Actor) -> dict[str, StrOrPromise]:
    return SCHOOL_WORDS if actor.organisation.is_school else WORDS


@member_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    me = actor.person
    people = core_selectors.people(actor.organisation).exclude(pk=me.pk) if me is not None else []
    rows = selectors.my_series(actor)
    return render(
        request,
        "conversations/index.html",
        {
            "rows": rows,
            "earlier": selectors.with_earlier_summaries(
                actor, [r.series.person_id for r in rows if r.relation == "report"]
            ),
            "people": people,
            "relation_words": _words(actor),
            "cadences": OneOnOne.Cadence.choices,
            "today": timezone.localdate(),
            "may_start": me is not None,  # one's own 1:1s: the service makes the actor one of two
            "school": actor.organisation.is_school,
        },
    )


@require_POST
@member_view
def start(request: HttpRequest, actor: Actor) -> HttpResponse:
    post = request.POST
    try:
        series = services.start(
            actor=actor,
            with_id=whole_number(post.get("with_id")) or 0,
            relationship=post.get("relationship", ""),
            cadence=post.get("cadence", OneOnOne.Cadence.WEEKLY),
            first_meeting=_date(post.get("first_meeting"), "first_meeting"),
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("conversations:index")
    messages.success(request, _("1:1 started. Add what you want to talk about."))
    return redirect("conversations:meeting", pk=services.open_meeting_of(series).pk)


def _page(request: HttpRequest, actor: Actor, meeting: Meeting, template: str) -> HttpResponse:
    page = selectors.meeting_page(actor, meeting, timezone.localdate())
    return render(
        request,
        template,
        {
            "p": page,
            "m": meeting,
            "relation_word": _words(actor)[page.relation],
            "may_edit": meeting.is_open and can(actor, "one_on_ones.edit", meeting),
            "may_note": can(actor, "one_on_ones.write_private_note", meeting),
            "may_share": can(actor, "one_on_ones.share_summary", page.series),
            "earlier": page.series.person_id
            in selectors.with_earlier_summaries(actor, [page.series.person_id]),
            "today": timezone.localdate(),
        },
    )


@member_view
def meeting(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return _page(request, actor, selectors.get_meeting(actor, pk), "conversations/meeting.html")


def _agenda(request: HttpRequest, actor: Actor, meeting_pk: int, ok: str) -> HttpResponse:
    """After a write to the agenda: the agenda in place (htmx), or the page again."""
    if request.htmx:  # type: ignore[attr-defined]
        return _page(
            request, actor, selectors.get_meeting(actor, meeting_pk), "conversations/_agenda.html"
        )
    if ok:
        messages.success(request, ok)
    return redirect("conversations:meeting", pk=meeting_pk)


def _failed(request: HttpRequest, exc: ValidationFailed, meeting_pk: int) -> HttpResponse:
    flash_errors(request, exc)
    page = reverse("conversations:meeting", kwargs={"pk": meeting_pk})
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(page)  # the whole page again, with the message
    return redirect(page)


@require_POST
@member_view
def add_point(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_meeting(actor, pk)
    try:
        services.add_point(
            actor=actor,
            meeting=found,
            text=request.POST.get("text", ""),
            evidence=request.POST.get("evidence", ""),
            link=links.parse(request.POST.get("link", "")),
        )
    except ValidationFailed as exc:
        return _failed(request, exc, pk)
    return _agenda(request, actor, pk, _("Talking point added."))


@require_POST
@member_view
def mark_point(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    point = selectors.get_point(actor, pk)
    try:
        services.mark_point(
            actor=actor, point=point, discussed=request.POST.get("discussed") == "on"
        )
    except ValidationFailed as exc:
        return _failed(request, exc, point.meeting_id)
    return _agenda(request, actor, point.meeting_id, "")


@require_POST
@member_view
def add_action(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_meeting(actor, pk)
    post = request.POST
    try:
        services.add_action(
            actor=actor,
            meeting=found,
            text=post.get("text", ""),
            owner_id=whole_number(post.get("owner_id")) or 0,
            due=_date(post.get("due"), "due"),
        )
    except ValidationFailed as exc:
        return _failed(request, exc, pk)
    return _agenda(request, actor, pk, _("Action item added."))


@require_POST
@member_view
def tick_action(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = selectors.get_action(actor, pk)
    try:
        services.tick_action(actor=actor, item=item, done=request.POST.get("done") == "on")
    except ValidationFailed as exc:
        return _failed(request, exc, item.meeting_id)
    return _agenda(request, actor, item.meeting_id, "")


@require_POST
@member_view
def shared_notes(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_meeting(actor, pk)
    try:
        services.save_shared_notes(actor=actor, meeting=found, text=request.POST.get("text", ""))
    except ValidationFailed as exc:
        return _failed(request, exc, pk)
    messages.success(request, _("Shared notes saved: both of you read them."))
    return redirect("conversations:meeting", pk=pk)


@require_POST
@member_view
def private_note(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_meeting(actor, pk)
    try:
        services.save_private_note(actor=actor, meeting=found, text=request.POST.get("text", ""))
    except ValidationFailed as exc:
        return _failed(request, exc, pk)
    messages.success(request, _("Private note saved: only you will ever read it."))
    return redirect("conversations:meeting", pk=pk)


@require_POST
@member_view
def reschedule(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_meeting(actor, pk)
    try:
        day = _date(request.POST.get("date"), "date")
        services.reschedule(actor=actor, meeting=found, date=day)
    except ValidationFailed as exc:
        return _failed(request, exc, pk)
    messages.success(
        request, _("Moved to %(date)s.") % {"date": l10n.format_day(found.date, "weekday_long")}
    )
    return redirect("conversations:meeting", pk=pk)


@require_POST
@member_view
def hold(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = selectors.get_meeting(actor, pk)
    was_open = found.is_open
    following = services.hold(actor=actor, meeting=found)
    if was_open:
        points = len(selectors.points_of(following))
        actions = len(selectors.actions_of(following, timezone.localdate()))
        carried = ngettext("%(count)d talking point", "%(count)d talking points", points) % {
            "count": points
        }
        carried_actions = ngettext("%(count)d action item", "%(count)d action items", actions) % {
            "count": actions
        }
        messages.success(
            request,
            _(
                "Meeting held. The next one is on %(date)s, with %(points)s and %(actions)s"
                " carried over."
            )
            % {
                "date": l10n.format_day(following.date, "weekday_long"),
                "points": carried,
                "actions": carried_actions,
            },
        )
    else:
        messages.info(request, _("That meeting was held already: here is the next one."))
    return redirect("conversations:meeting", pk=following.pk)


@member_view
def invitation(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The next meeting of a series as a calendar file (.ics)."""
    series = selectors.get_series(actor, pk)
    following = services.open_meeting_of(series)
    url = request.build_absolute_uri(reverse("conversations:meeting", kwargs={"pk": following.pk}))
    text = ical.calendar(
        [
            ical.Event(
                uid=f"one-on-one-{following.pk}@{request.get_host()}",
                day=following.date,
                summary=f"1:1 {series.person.name} / {series.lead.name}",
                description=_("Agenda: %(url)s") % {"url": url},
                url=url,
            )
        ],
        stamp=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="one-on-one-{series.pk}.ics"'
    return response


@require_POST
@member_view
def share_summary(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The person switches sharing a summary with their next manager on or off."""
    series = selectors.get_series(actor, pk)
    page = reverse("conversations:meeting", kwargs={"pk": services.open_meeting_of(series).pk})
    try:
        services.set_summary_sharing(
            actor=actor, series=series, share=request.POST.get("share") == "on"
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(page)
        return redirect(page)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "conversations/_share_summary.html", {"series": series, "may_share": True}
        )
    messages.success(request, _shared_message(actor, series))
    return redirect(page)


def _shared_message(actor: Actor, series: OneOnOne) -> str:
    """What switching the summary did, in the organisation's words: in a school a student's
    next teacher reads it, a teacher's next head teacher."""
    if not series.share_summary:
        return _("This 1:1's summary is not shared.")
    if not actor.organisation.is_school:
        return _("Your next manager can read a summary of this 1:1.")
    if series.person.role == Role.MEMBER:
        return pgettext("school", "Your next teacher can read a summary of this 1:1.")
    return pgettext("school", "Your next head teacher can read a summary of this 1:1.")


@member_view
def earlier(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Earlier 1:1s a person shares with the actor, their next manager: read only."""
    return render(
        request,
        "conversations/earlier.html",
        {"e": selectors.earlier_one_on_ones(actor, pk), "today": timezone.localdate()},
    )
