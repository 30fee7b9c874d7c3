"""The demo's outbox page: the mail ``ampwork demo`` kept instead of sending (outbox.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ampwork.core import selectors
from ampwork.core.permissions import Actor, require
from ampwork.core.views.shared import member_view

from . import outbox as mail


@member_view
def outbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "demo.outbox")
    where = mail.folder()
    if where is None:  # not the demo, or the demo sends real mail: there is no outbox
        raise Http404("no outbox: mail is sent, not kept")
    people = selectors.people(actor.organisation, active=None).values_list("email", flat=True)
    found = mail.letters(where, to=people)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "demo/outbox.html", {"page": page, "count": len(found)})
