"""The methods page: how every number is computed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ampwork.core import help_pages


@login_required
def methods(request: HttpRequest) -> HttpResponse:
    """How every number is computed: docs/methods.md, rendered."""
    return render(request, "core/methods.html", {"body": help_pages.render("methods")})
