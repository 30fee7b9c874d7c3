"""The demo's outbox page: the mail ``ampwork demo`` kept instead of sending (outbox.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from ampwork.core.permissions import Actor, require
from ampwork.core.views.shared import member_view

from . import outbox as mail


@member_view
def outbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "demo.outbox.view")
    where = mail.folder()
    if where is None:  # not the demo, or the demo sends real mail: there is no outbox
        raise Http404(_("no outbox: mail is sent, not kept"))
    # your own mail only, as in a mailbox: an admin reading everyone's would see who has not
    # answered a pulse (reminders go only to unused links) and could answer as anyone
    mine = [actor.person.email] if actor.person is not None and actor.person.email else []
    found = mail.letters(where, to=mine)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    response = render(request, "demo/outbox.html", {"page": page, "count": len(found)})
    add_never_cache_headers(response)  # one-time links
    patch_cache_control(response, private=True)
    return response
