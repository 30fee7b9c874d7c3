"""How many teams (classes) the home page counts (issue 18, item 11): the unit that stands
for the whole organisation is not one of them — a school with one class has 1 class."""

from __future__ import annotations

from django.test import Client

from ampwork.core import selectors
from ampwork.core.models import Team
from ampwork.core.selectors import TeamNode
from ampwork.demo.services import DemoResult


def node(name: str, *children: TeamNode) -> TeamNode:
    return TeamNode(team=Team(name=name), children=list(children))


def test_a_single_root_with_units_under_it_is_the_organisation() -> None:
    tree = [node("School", node("Year 9 Science"))]
    assert selectors.whole_organisation_unit(tree) is tree[0]
    assert selectors.unit_count(tree) == 1


def test_a_single_unit_alone_is_a_team() -> None:
    tree = [node("Platform")]
    assert selectors.whole_organisation_unit(tree) is None
    assert selectors.unit_count(tree) == 1


def test_two_roots_are_two_teams() -> None:
    tree = [node("A", node("A1")), node("B")]
    assert selectors.whole_organisation_unit(tree) is None
    assert selectors.unit_count(tree) == 3


def test_only_the_top_is_left_out_at_any_depth() -> None:
    tree = [node("Co", node("Dept", node("T1"), node("T2")))]
    assert selectors.unit_count(tree) == 3
    assert selectors.unit_count([]) == 0


def test_demo_home_counts_what_the_pages_list(demo: DemoResult, client: Client) -> None:
    school_classes = Team.objects.filter(organisation=demo.school, kind=Team.Kind.CLASS)
    assert school_classes.count() == 1
    assert selectors.headcount(demo.school)["teams"] == 1
    # the company: every department and team, Brightwater Labs itself aside
    company_units = Team.objects.filter(organisation=demo.company).exclude(name="Brightwater Labs")
    assert selectors.headcount(demo.company)["teams"] == company_units.count() == 10
    teacher = demo.school.people.get(email="teacher@hillside.example")
    assert teacher.user is not None
    client.force_login(teacher.user)
    page = client.get("/").content.decode()
    assert '>1</a><span class="stat__l">class ·' in page
