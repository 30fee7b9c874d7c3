"""The methods page: how every number is computed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ampwork.core import help_pages
from ampwork.core.methods_headings import HEADINGS


@login_required
def methods(request: HttpRequest) -> HttpResponse:
    """How every number is computed: docs/methods.md, rendered; its headings in the reader's
    language, its explanations in English."""
    headings = tuple((h, _(h)) for h in HEADINGS if _(h) != h)
    english = (get_language() or "en").startswith("en")
    body = help_pages.render("methods", headings, get_language())
    context = {"body": body, "body_in_english": not english}
    return render(request, "core/methods.html", context)
