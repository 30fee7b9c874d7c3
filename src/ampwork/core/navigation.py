"""Which items of the main navigation are current: from the URL's name, not its text.

Most items cover one app, i.e. one URL namespace. Core's and the OKR app's pages are
shared out among several items, so those are listed by URL name. A page not listed
marks no item (e.g. the account's own pages, the methods page).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLResolver, get_resolver

# every page of these apps (URL namespace -> navigation item)
WHOLE_APPS = {
    "fairness": "fairness",
    "pulse": "pulse",
    "purpose": "purpose",
    "autonomy": "autonomy",
    "mastery": "progress",
    "advisor": "advisor",
    "conversations": "one_on_ones",
    "feedback360": "progress",  # 360 and upward feedback sit beside mastery's feedback
    "integrations": "settings",  # webhooks are one of the organisation's settings
}

# pages of core and okrs (URL name -> navigation items)
PAGES: dict[str, tuple[str, ...]] = {
    "core:home": ("home",),
    **dict.fromkeys(
        (
            "core:people",
            "core:person_create",
            "core:person",
            "core:person_edit",
            "core:person_set_active",
            "core:person_grant_login",
        ),
        ("people",),
    ),
    **dict.fromkeys(
        (
            "core:teams",
            "core:team_create",
            "core:team",
            "core:team_edit",
            "core:team_add_member",
            "core:org_chart",
        ),
        ("teams",),
    ),
    **dict.fromkeys(("core:import", "core:import_template", "core:import_commit"), ("import",)),
    "core:settings": ("settings",),
    "core:scim_token_create": ("settings",),
    "core:scim_token_revoke": ("settings",),
    "core:audit_log": ("settings",),
    "core:sso_settings": ("settings",),
    **dict.fromkeys(
        (
            "okrs:alignment",
            "okrs:objective_create",
            "okrs:objective",
            "okrs:objective_edit",
            "okrs:objective_link",
            "okrs:objective_delete",
            "okrs:key_result_create",
            "okrs:cycles",
            "okrs:dashboard",
            "okrs:close",
            "okrs:template",
        ),
        ("okrs",),
    ),
    "okrs:check_in": ("check_ins",),
    # the pay data's import is an import page too
    "fairness:import": ("import",),
    "fairness:import_commit": ("import",),
    # a school's roster is imported beside people and teams; consent belongs to its pulses
    "classroom:roster": ("import",),
    "classroom:roster_confirm": ("import",),
    "classroom:consent_policy": ("pulse",),
    "classroom:consent_round": ("pulse",),
    # a school's students' goals (their OKRs in the worksheet's shape) and portfolios
    **dict.fromkeys(
        (
            "classroom:goals",
            "classroom:goal",
            "classroom:goal_settings",
            "classroom:student_goals",
            "classroom:conference",
        ),
        ("goals",),
    ),
    # students' privacy: the wording of their pulses, recognition, retention
    "classroom:privacy": ("pulse",),
    "classroom:privacy_class": ("pulse",),
    # a class's class-code sign-in and its printed sheet: the class's own pages
    "classroom:class_code": ("teams",),
    "classroom:class_code_sheet": ("teams",),
}


def current_items(request: HttpRequest) -> frozenset[str]:
    """The navigation items the request's page falls under."""
    match = request.resolver_match
    if match is None:
        # an address that names no page (its "not found" page): the app it falls under
        app_item = WHOLE_APPS.get(_app_of(request.path_info))
        return frozenset([app_item] if app_item else [])
    items = set(PAGES.get(match.view_name, ()))
    if app_item := WHOLE_APPS.get(match.namespace):
        items.add(app_item)
    return frozenset(items)


def _app_of(path: str) -> str:
    """The URL namespace of the app whose address prefix ``path`` starts with."""
    for entry in get_resolver().url_patterns:
        if (
            isinstance(entry, URLResolver)
            and entry.namespace
            and str(entry.pattern)  # core's pages sit at the root: not an app's prefix
            and entry.pattern.match(path.lstrip("/"))
        ):
            return entry.namespace
    return ""
