"""The language one reads ampwork in: one's own choice, the organisation's default
(admins), and the footer's switcher (a cookie for anyone, signed in or not)."""

from __future__ import annotations

import contextlib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from ampwork.core import languages, services
from ampwork.core.errors import ValidationFailed
from ampwork.core.forms import LanguageForm, OrganisationLanguageForm, add_errors
from ampwork.core.permissions import Actor, can, require

from .shared import member_view

SAVED = {"person", "organisation"}


@require_http_methods(["GET", "POST"])
@member_view
def language_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    """/settings/language/: one's own language ("Follow my browser" or one of
    settings.LANGUAGES); an admin also sets the organisation's default here. The page
    says what was saved (?saved=), in the language just chosen."""
    org = actor.organisation
    person = actor.person
    may_org = can(actor, "organisation.language", org)
    mine = LanguageForm(initial={"language": person.language if person else ""})
    theirs = OrganisationLanguageForm(initial={"default_language": org.default_language})
    if request.method == "POST":
        if request.POST.get("form") == "organisation":
            require(actor, "organisation.language", org)  # 403 for anyone but an admin
            theirs = OrganisationLanguageForm(request.POST)
            if theirs.is_valid():
                try:
                    services.set_organisation_language(
                        actor=actor, language=theirs.cleaned_data["default_language"]
                    )
                except ValidationFailed as exc:
                    add_errors(theirs, exc)
                else:
                    return redirect(f"{reverse('core:language')}?saved=organisation")
        else:
            mine = LanguageForm(request.POST)
            if mine.is_valid():
                try:
                    services.set_my_language(actor=actor, language=mine.cleaned_data["language"])
                except ValidationFailed as exc:
                    add_errors(mine, exc)
                else:
                    return redirect(f"{reverse('core:language')}?saved=person")
    saved = request.GET.get("saved")
    context = {
        "form": mine,
        "organisation_form": theirs if may_org else None,
        "saved": saved if saved in SAVED else None,
        "chosen": person.language if person else "",
        "organisation_language": languages.organisation_language(org),
        "browser_language": languages.from_browser(request.META.get("HTTP_ACCEPT_LANGUAGE", "")),
    }
    return render(request, "language.html", context)


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The footer's switcher, for everyone: Django's ``set_language`` (the language
    cookie, then back to the page ``next`` names); a signed-in person's own choice is
    saved too, since it comes before the cookie."""
    response = set_language(request)
    actor: Actor | None = getattr(request, "actor", None)
    code = languages.supported(request.POST.get("language"))
    if actor is not None and actor.person is not None and code and code in languages.SUPPORTED:
        with contextlib.suppress(ValidationFailed):  # a supported code is always valid
            services.set_my_language(actor=actor, language=code)
    return response
