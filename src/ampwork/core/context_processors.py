from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .models import role_label, role_sentence
from .navigation import current_items
from .permissions import RULES, can


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"actor": None}
    org = actor.organisation
    return {
        "actor": actor,
        "current_org": org,
        "organisations": getattr(request, "organisations", []),
        "role_name": role_label(actor.role, org.kind),
        "role_sentence": role_sentence(actor.role, org.kind),
        "nav_current": current_items(request),
        "may": {
            "edit_people": can(actor, "people.edit"),
            "see_emails": can(actor, "people.view_email"),
            "import_people": can(actor, "people.import"),
            "edit_teams": can(actor, "teams.edit"),
            "edit_org": can(actor, "organisation.edit"),
            "view_audit": can(actor, "audit.view"),
            "create_tokens": can(actor, "tokens.create"),
            "view_pay": "fairness.view" in RULES and can(actor, "fairness.view"),
            "advise": "advisor.view" in RULES and can(actor, "advisor.view"),
        },
        "words": _words(org.is_school),
    }


def _words(school: bool) -> dict[str, str | Promise]:
    """The product's nouns in a company's or a school's words."""
    if school:
        return {
            "people": pgettext_lazy("school", "People"),
            "person": pgettext_lazy("school", "person"),
            "team": pgettext_lazy("school", "class"),
            "teams": pgettext_lazy("school", "Classes"),
            "manager": pgettext_lazy("school", "teacher"),
            "members": pgettext_lazy("school", "students"),
        }
    return {
        "people": pgettext_lazy("company", "People"),
        "person": pgettext_lazy("company", "person"),
        "team": pgettext_lazy("company", "team"),
        "teams": pgettext_lazy("company", "Teams"),
        "manager": pgettext_lazy("company", "manager"),
        "members": pgettext_lazy("company", "members"),
    }
