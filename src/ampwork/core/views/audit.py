"""The audit log page: who changed what, newest first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ampwork.core import selectors
from ampwork.core.permissions import Actor, require

from .shared import member_view


@member_view
def audit_log(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "audit.view")
    page = Paginator(selectors.audit_log(actor.organisation), 100).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})
