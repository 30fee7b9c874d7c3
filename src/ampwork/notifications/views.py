"""The notification centre's pages: the bell (an htmx fragment in the header), the list,
the preferences grid, and the one-click unsubscribe of an email (RFC 8058) that needs no
session."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ampwork.core import languages
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.l10n import list_separator
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, require
from ampwork.core.views import member_view

from . import kinds, selectors, services

PER_PAGE = 25


def _me(actor: Actor) -> Person:
    me = actor.person
    if me is None:
        raise NotFound(_("You have no person in this organisation."))
    require(actor, "notifications.own", me)
    return me


@require_GET
@member_view
def bell(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The header's bell, for htmx; opened by hand, it is the notifications page."""
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("notifications:index")
    count = selectors.unread_count(actor.person) if actor.person is not None else 0
    return render(request, "notifications/bell.html", {"unread": count})


@require_GET
@member_view
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    me = _me(actor)
    page = Paginator(selectors.mine(me), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/index.html",
        {"page": page, "unread": selectors.unread_count(me)},
    )


@require_POST
@member_view
def read_one(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    me = _me(actor)
    if not selectors.mine(me).filter(pk=pk).exists():
        raise NotFound(_("No such notification."))  # someone else's, or none: the same answer
    services.mark_read(actor=actor, ids=[pk])
    if request.htmx:  # type: ignore[attr-defined]
        note = selectors.mine(me).get(pk=pk)
        response = render(request, "notifications/row.html", {"note": note})
        response["HX-Trigger"] = "notifications-read"
        return response
    return redirect("notifications:index")


@require_POST
@member_view
def read_all(request: HttpRequest, actor: Actor) -> HttpResponse:
    done = services.mark_read(actor=actor)
    messages.success(
        request,
        ngettext(
            "Marked %(count)d notification read.", "Marked %(count)d notifications read.", done
        )
        % {"count": done},
    )
    return redirect("notifications:index")


def _time(raw: str, field: str) -> dt.time | None:
    if not raw.strip():
        return None
    try:
        return dt.time.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValidationFailed.single(field, _("a time such as 22:00")) from exc


@require_http_methods(["GET", "POST"])
@member_view
def preferences(request: HttpRequest, actor: Actor) -> HttpResponse:
    me = _me(actor)
    channels = selectors.offered(me)
    codes = [code for code, _ in channels]
    if request.method == "POST":
        # only the columns the form showed: a chat linked meanwhile (another tab) keeps its
        # choices rather than being saved as all off
        shown = set(request.POST.getlist("shown"))
        codes = [code for code in codes if code in shown]
        enabled = [
            (k.code, code)
            for k in kinds.KINDS
            for code in codes
            if request.POST.get(f"{k.code}:{code}")
        ]
        try:
            services.set_preferences(
                actor=actor,
                enabled=enabled,
                quiet_start=_time(request.POST.get("quiet_start", ""), "quiet_start"),
                quiet_end=_time(request.POST.get("quiet_end", ""), "quiet_end"),
                channels=codes,
            )
        except ValidationFailed as exc:
            messages.error(request, list_separator().join(e.message for e in exc.errors))
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "choices": selectors.choices(me, channels),
            "channels": channels,
            # the chats not linked yet, named in a line that says where to link them
            "unlinked": [label for code, label in kinds.CHANNELS if (code, label) not in channels],
        },
    )


@csrf_exempt  # RFC 8058: the mail client POSTs without a session or a form of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners follow GETs: they change nothing); POST — the
    button, or a mail client's ``List-Unsubscribe=One-Click`` — turns the kind off."""
    try:
        person, kind, _channel = services.read_token(token)
    except NotFound:
        return render(request, "notifications/unsubscribe.html", {"bad": True}, status=404)
    languages.use_person(request, person)  # their own language, as their emails are
    label = kinds.BY_CODE[kind].label_for(person.organisation.is_school)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(
            request,
            "notifications/unsubscribe.html",
            {"done": True, "label": label, "org": person.organisation},
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"token": token, "label": label, "org": person.organisation},
    )
