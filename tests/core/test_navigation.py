"""Which item of the main navigation is the current one (aria-current="page"), page by page.

Every URL pattern outside the API is walked: its sample address is resolved and the
layout rendered for it, and the current items must be exactly those recorded in
EXPECTED (recorded from the layout's earlier path tests, so the move to the URL's name
changed nothing a user sees).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor

# The current items of every page, by the URL's name; pages not listed have none.
EXPECTED: dict[str, set[str]] = {
    "core:home": {"Home"},
    "core:people": {"People"},
    "core:person_create": {"People"},
    "core:person": {"People"},
    "core:person_edit": {"People"},
    "core:person_set_active": {"People"},
    "core:person_grant_login": {"People"},
    "core:teams": {"Teams"},
    "core:team_create": {"Teams"},
    "core:team": {"Teams"},
    "core:team_edit": {"Teams"},
    "core:team_add_member": {"Teams"},
    "core:org_chart": {"Teams"},
    "core:import": {"Import"},
    "core:import_template": {"Import"},
    "core:import_commit": {"Import"},
    "core:settings": {"Settings"},
    "core:audit_log": {"Settings"},
    "core:scim_token_create": {"Settings"},
    "core:scim_token_revoke": {"Settings"},
    "core:sso_settings": {"Settings"},
    "okrs:alignment": {"OKRs"},
    "okrs:objective_create": {"OKRs"},
    "okrs:objective": {"OKRs"},
    "okrs:objective_edit": {"OKRs"},
    "okrs:objective_link": {"OKRs"},
    "okrs:objective_delete": {"OKRs"},
    "okrs:key_result_create": {"OKRs"},
    "okrs:cycles": {"OKRs"},
    "okrs:dashboard": {"OKRs"},
    "okrs:close": {"OKRs"},
    "okrs:template": {"OKRs"},
    "okrs:check_in": {"Check-ins"},
    # the pay data's import page is under both Fairness and Import
    "fairness:import": {"Fairness", "Import"},
    "fairness:import_commit": {"Fairness", "Import"},
    # a school's roster is an import; consent for student pulses belongs to the pulse
    "classroom:roster": {"Import"},
    "classroom:roster_confirm": {"Import"},
    "classroom:consent_policy": {"Pulse"},
    "classroom:consent_round": {"Pulse"},
    # a school's students' goals and conference portfolios (Goals: shown in schools only)
    "classroom:goals": {"Goals"},
    "classroom:goal": {"Goals"},
    "classroom:goal_settings": {"Goals"},
    "classroom:student_goals": {"Goals"},
    "classroom:conference": {"Goals"},
    "classroom:privacy": {"Pulse"},
    "classroom:privacy_class": {"Pulse"},
    # a class's class-code sign-in and its sheet (a student's sign-in steps mark nothing)
    "classroom:class_code": {"Teams"},
    "classroom:class_code_sheet": {"Teams"},
}
# Every page of these apps is under one item.
WHOLE_APPS = {
    "fairness": "Fairness",
    "pulse": "Pulse",
    "purpose": "Purpose",
    "autonomy": "Autonomy",
    "mastery": "Progress",
    "advisor": "Advisor",
    "conversations": "1:1s",
    "feedback360": "Progress",  # 360 and upward feedback, beside mastery's feedback
    "integrations": "Settings",  # webhooks, an organisation's settings
}
# One item, two names: a school's classes, a member's own pay.
SAME_ITEM = {"Classes": "Teams", "My pay": "Fairness"}

CURRENT = re.compile(r'<a\s[^>]*aria-current="page"[^>]*>([^<]+)</a>')
NAV = re.compile(r'<nav class="nav" aria-label="Main">(.*?)</nav>', re.S)
ITEM = re.compile(r"<a\s[^>]*>([^<]+)</a>")


def _sample(entry: URLPattern) -> dict[str, Any]:
    """Keyword arguments that fill the pattern's parameters."""
    pattern = entry.pattern
    if isinstance(pattern, RoutePattern):
        return {
            name: 1 if type(converter).__name__ in {"IdConverter", "IntConverter"} else "x"
            for name, converter in pattern.converters.items()
        }
    assert isinstance(pattern, RegexPattern)
    samples = {"kind": "people"}
    return {name: samples[name] for name in pattern.regex.groupindex}


def _walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            # the API and SCIM provisioning answer JSON, never a page with navigation
            if str(entry.pattern).startswith(("api/", "scim/")):
                continue
            yield from _walk(entry.url_patterns, entry.namespace or namespace)
        elif namespace and entry.name:
            name = f"{namespace}:{entry.name}"
            yield name, reverse(name, kwargs=_sample(entry))


def pages() -> list[tuple[str, str]]:
    """(URL name, a sample address) of every page outside the API."""
    return sorted(_walk(get_resolver().url_patterns, ""))


def expected(name: str) -> set[str]:
    namespace = name.split(":")[0]
    items = set(EXPECTED.get(name, set()))
    if namespace in WHOLE_APPS:
        items.add(WHOLE_APPS[namespace])
    return items


def nav_items(html: str) -> tuple[set[str], set[str]]:
    """(the items shown, the current ones) of the main navigation, by their company words."""
    found = NAV.search(html)
    assert found is not None, "the page has no main navigation"
    nav = found.group(1)

    def words(labels: list[str]) -> set[str]:
        return {SAME_ITEM.get(label.strip(), label.strip()) for label in labels}

    return words(ITEM.findall(nav)), words(CURRENT.findall(nav))


@pytest.fixture(params=["company admin", "school member"])
def viewer(
    request: pytest.FixtureRequest,
    org: Organisation,
    school: Organisation,
    make_person: Callable[..., Person],
) -> Person:
    if request.param == "company admin":
        return make_person(org, Role.ADMIN)
    return make_person(school, Role.MEMBER)


def test_every_page_is_walked() -> None:
    names = {name for name, _ in pages()}
    assert set(EXPECTED) <= names
    # demo: the demo's outbox, feeds: one's calendar feed, notifications: the bell's pages,
    # chat: one's Slack and Teams (in the header, beside the account menu) — pages of no
    # navigation item
    assert {name.split(":")[0] for name in names} == {
        "core",
        "okrs",
        "demo",
        "feeds",
        "notifications",
        "chat",
        "classroom",  # the families' page (no sign-in) marks nothing
        *WHOLE_APPS,
    }
    assert len(names) > 90


def test_each_page_marks_its_own_items_current(viewer: Person) -> None:
    factory = RequestFactory()
    shown_anywhere: set[str] = set()
    wrong = {}
    for name, path in pages():
        request = factory.get(path)
        request.user = viewer.user  # type: ignore[assignment]
        request.actor = Actor(  # type: ignore[attr-defined]
            organisation=viewer.organisation, role=viewer.role, user=viewer.user, person=viewer
        )
        request.organisations = [viewer.organisation]  # type: ignore[attr-defined]
        request.resolver_match = resolve(path)
        shown, current = nav_items(render_to_string("base.html", request=request))
        shown_anywhere |= shown
        if current != expected(name) & shown:
            wrong[name] = (path, sorted(current))
    assert wrong == {}
    if viewer.organisation.is_school:
        assert "Fairness" not in shown_anywhere
        assert "Import" not in shown_anywhere
    else:
        assert {"Fairness", "Advisor", "Import", "Settings"} <= shown_anywhere


def test_real_pages_mark_their_item(web: Callable[[Person], Client], admin: Person) -> None:
    """Through the whole request: the current item follows the address's URL name."""
    client = web(admin)
    for path, items in [
        ("/", {"Home"}),
        ("/people/", {"People"}),
        ("/org-chart/", {"Teams"}),
        ("/okrs/", {"OKRs"}),
        ("/okrs/check-in/", {"Check-ins"}),
        ("/settings/", {"Settings"}),
        ("/audit-log/", {"Settings"}),
        ("/fairness/import/", {"Fairness", "Import"}),
        ("/account/tokens/", set()),
        ("/methods/", set()),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert nav_items(response.content.decode())[1] == items, path


def test_a_missing_page_marks_the_app_it_falls_under(
    web: Callable[[Person], Client], admin: Person
) -> None:
    client = web(admin)
    for path, items in [
        ("/mastery/no-such-page/", {"Progress"}),
        ("/pulse/no-such-page/", {"Pulse"}),
        ("/okrs/objectives/999999/", {"OKRs"}),
        ("/people/999999/", {"People"}),
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert nav_items(response.content.decode())[1] == items, path
