"""A finding's "Open the evidence" is shown only to a reader who may open that page
(issue 18, item 4: people ops, who see every finding, got a 403 from a team's autonomy
grid). The page behind it asks the permission table; so does the link."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils.html import escape

from ampwork.advisor import selectors, traps
from ampwork.core.models import Organisation, Person, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.demo.services import DemoResult
from ampwork.okrs.models import Objective

pytestmark = pytest.mark.usefixtures("demo")


def _actor(email: str) -> Actor:
    person = Person.objects.get(email=email, organisation__slug="brightwater")
    return Actor(
        organisation=person.organisation, role=person.role, user=person.user, person=person
    )


def _control_finding(actor: Actor) -> traps.Finding:
    shown = selectors.findings(actor, selectors.snapshot(actor))
    return next(s.finding for s in shown if s.finding.rule == "defaulting-to-control")


def test_people_ops_see_the_finding_but_not_the_link_to_the_team_grid(
    demo: DemoResult, client: Client
) -> None:
    ops = _actor("people@brightwater.example")
    finding = _control_finding(ops)
    assert not selectors.may_open_evidence(ops, finding)
    assert client.get(finding.link).status_code == 302  # signed out: to the sign-in page
    assert ops.user is not None
    client.force_login(ops.user)
    assert client.get(finding.link).status_code == 403  # the page behind it says no
    page = client.get(f"/advisor/findings/{finding.key}/").content.decode()
    assert "Open the evidence" not in page
    assert finding.link not in page
    assert "not open to your role" in page


def test_admins_and_the_team_lead_get_the_link(demo: DemoResult, client: Client) -> None:
    admin = _actor("admin@brightwater.example")
    finding = _control_finding(admin)
    assert selectors.may_open_evidence(admin, finding)
    assert admin.user is not None
    client.force_login(admin.user)
    page = client.get(f"/advisor/findings/{finding.key}/").content.decode()
    assert f'href="{finding.link}">Open the evidence' in page
    assert client.get(finding.link).status_code == 200
    assert finding.linked_id is not None
    lead = (
        TeamMembership.objects.filter(team_id=finding.linked_id, role=TeamMembership.Role.LEAD)
        .select_related("person")
        .first()
    )
    assert lead is not None
    person = lead.person
    actor = Actor(
        organisation=person.organisation, role=person.role, user=person.user, person=person
    )
    assert selectors.may_open_evidence(actor, finding)


@pytest.mark.parametrize(
    ("rule", "email", "opens"),
    [
        ("ignoring-fairness", "people@brightwater.example", True),
        ("ignoring-fairness", "manager@brightwater.example", False),
        ("anonymity-lowered", "admin@brightwater.example", True),
        ("anonymity-lowered", "people@brightwater.example", False),
        ("check-in-fatigue", "people@brightwater.example", True),
        ("okrs-tied-to-bonuses", "people@brightwater.example", False),  # no such objective
    ],
)
def test_each_rule_asks_the_table_of_its_page(
    rule: str, email: str, opens: bool, demo: DemoResult
) -> None:
    finding = traps.Finding(rule, f"{rule}.x", [], "", "/", linked_id=10**9)
    assert selectors.may_open_evidence(_actor(email), finding) is opens


def test_a_visible_objective_is_opened(demo: DemoResult) -> None:
    org = Organisation.objects.get(slug="brightwater")
    objective = Objective.objects.filter(
        organisation=org, visibility=Objective.Visibility.ORGANISATION
    ).first()
    assert objective is not None
    finding = traps.Finding("okrs-tied-to-bonuses", "k", [], "", "/", linked_id=objective.pk)
    assert selectors.may_open_evidence(_actor("member@brightwater.example"), finding)


def test_the_api_gives_the_link_only_to_who_may_open_it(
    demo: DemoResult, client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    """The findings API said what the web hid: the link to a page the reader gets 403 on."""
    ops = _actor("people@brightwater.example")
    admin = _actor("admin@brightwater.example")
    key = _control_finding(admin).key
    assert ops.person is not None
    assert admin.person is not None

    def link(person: Person) -> object:
        answer = client.get("/api/v1/advisor/findings", **bearer(person))
        assert answer.status_code == 200
        return next(f["link"] for f in answer.json() if f["key"] == key)

    assert link(ops.person) is None
    opened = link(admin.person)
    assert isinstance(opened, str)
    assert opened.startswith("/autonomy/")


def test_a_finding_reads_with_its_languages_punctuation(demo: DemoResult, client: Client) -> None:
    """'Constat : sujet' in French has its no-break space: the colon between a finding's
    title and its subject is part of a translated pattern, not glued on by the template."""
    admin = _actor("admin@brightwater.example")
    assert admin.user is not None
    client.force_login(admin.user)
    shown = selectors.findings(admin, selectors.snapshot(admin))
    finding = next(s.finding for s in shown if s.finding.subject)
    page = client.get(f"/advisor/findings/{finding.key}/", HTTP_ACCEPT_LANGUAGE="fr")
    heading = re.search(r"<h1>(.*?)</h1>", page.content.decode())
    assert heading is not None
    assert "\u00a0: " in heading.group(1)
    assert heading.group(1).endswith(escape(finding.subject))
    english = client.get(f"/advisor/findings/{finding.key}/", HTTP_ACCEPT_LANGUAGE="en")
    assert (
        f"<h1>{escape(finding.title)}: {escape(finding.subject)}</h1>" in english.content.decode()
    )
