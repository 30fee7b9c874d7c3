from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import role_label
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
        "nav_current": current_items(request),
        "may": {
            "edit_people": can(actor, "people.edit"),
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


def _words(school: bool) -> dict[str, str]:
    """The product's nouns in a company's or a school's words."""
    if school:
        return {
            "people": "People",
            "person": "person",
            "team": "class",
            "teams": "Classes",
            "manager": "teacher",
            "members": "students",
        }
    return {
        "people": "People",
        "person": "person",
        "team": "team",
        "teams": "Teams",
        "manager": "manager",
        "members": "members",
    }
