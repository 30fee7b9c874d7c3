"""The alignment tree's branches and objective lists, written in Python
(``okrs_tags.branches``, ``branch_body``, ``objective_list``), are the HTML the templates
they replaced wrote, to the byte: the old templates are kept in ``templates_before/`` and
put first in the template path to render the same page again. Texts are escaped; the team
tree read as rows (``core.selectors.team_outline``) is the model tree's."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.demo.services import generate
from ampwork.okrs.generate import generate_okrs
from ampwork.okrs.models import Cycle, Objective

from ..factories import KeyResultFactory, ObjectiveFactory

BEFORE = Path(__file__).parent / "templates_before"
SCRIPT = "<script>alert('x & y')</script>"


def _old_templates() -> Any:
    """The settings' templates with the old tree templates found first."""
    templates: list[dict[str, Any]] = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [BEFORE, *templates[0]["DIRS"]]
    return override_settings(TEMPLATES=templates)


def _html(client: Client, url: str, *, old: bool = False, **headers: str) -> str:
    response = client.get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200
    # the old rendering went through the old templates, the new one through none of them
    origins = {str(t.origin.name) for t in response.templates}
    assert any(name.startswith(str(BEFORE)) for name in origins) is old, url
    html = response.content.decode()
    # a fresh CSRF mask each response: the only bytes that may differ
    html = re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "csrf", html)


@pytest.fixture
def org_with_tree(db: Any) -> tuple[Client, Organisation, Cycle]:
    result = generate(people=60, slug="tree-html")
    cycle = generate_okrs(
        result.organisation,
        objectives_per_person=2,
        key_results_per_objective=2,
        check_ins_per_key_result=2,
    )
    org = result.organisation
    admin = Person.objects.get(organisation=org, email=result.admin_email)
    # in the last team (its page lists its people's objectives): texts to escape, a private
    # objective, a person's and a team's names
    last = Team.objects.filter(organisation=org).order_by("id").last()
    assert last is not None
    people = TeamMembership.objects.filter(team=last).values("person_id")
    first = list(
        Objective.objects.filter(cycle=cycle, owner_person_id__in=people).order_by("id")[:4]
    )
    Objective.objects.filter(pk=first[0].pk).update(title=SCRIPT)
    Objective.objects.filter(pk=first[1].pk).update(title='"Quoted" & <b>bold</b>')
    Objective.objects.filter(pk=first[2].pk).update(visibility="private")
    named = first[3].owner_person_id
    assert named is not None
    Person.objects.filter(pk=named).update(name="Ann <O'Neil> & Co")
    Objective.objects.filter(cycle=cycle, owner_team=last).update(title="Team's <i>own</i>")
    Team.objects.filter(pk=last.pk).update(name="R&D <lab>")
    client = Client()
    client.force_login(admin.user)  # type: ignore[arg-type]
    return client, org, cycle


def _pages(org: Organisation, cycle: Cycle) -> list[tuple[str, dict[str, str]]]:
    teams = list(Team.objects.filter(organisation=org).order_by("id").values_list("id", flat=True))
    pages: list[tuple[str, dict[str, str]]] = [(f"/okrs/?cycle={cycle.pk}", {})]
    for team in teams[:2] + teams[len(teams) // 2 :][:2] + teams[-2:]:
        pages.append((f"/okrs/?cycle={cycle.pk}&team={team}", {}))
        pages.append((f"/okrs/?cycle={cycle.pk}&team={team}&body=1", {"HTTP_HX_REQUEST": "true"}))
    return pages


def _compare(client: Client, pages: list[tuple[str, dict[str, str]]]) -> str:
    written = []
    for url, headers in pages:
        new = _html(client, url, **headers)
        with _old_templates():
            old = _html(client, url, old=True, **headers)
        assert new == old, url
        written.append(new)
    return "".join(written)


def test_the_tree_is_the_old_templates_html_to_the_byte(
    org_with_tree: tuple[Client, Organisation, Cycle],
) -> None:
    client, org, cycle = org_with_tree
    pages = _pages(org, cycle)
    written = _compare(client, pages)
    # what the comparison covered: open and closed branches, the badge, every kind of row
    assert 'class="branch" open' in written
    assert 'hx-trigger="toggle once"' in written
    assert "the organisation</span>" in written
    assert " · private</span>" in written
    assert 'class="branch__person-name">Ann &lt;O&#x27;Neil&gt; &amp; Co</a>' in written
    # a school's words; a closed cycle's scores
    Organisation.objects.filter(pk=org.pk).update(kind=Organisation.Kind.SCHOOL)
    url = f"/okrs/cycles/{cycle.pk}/close/"  # followed: its message shown, not on the tree
    assert client.post(url, {"retrospective": "Done."}, follow=True).status_code == 200
    assert not Cycle.objects.get(pk=cycle.pk).is_open
    written = _compare(client, pages)
    assert "the school</span>" in written
    assert ' · score\n        <span class="band--' in written
    assert "classes inside)" in written or "class inside)" in written


def test_titles_and_names_are_escaped(org_with_tree: tuple[Client, Organisation, Cycle]) -> None:
    client, org, cycle = org_with_tree
    written = "".join(_html(client, url, **headers) for url, headers in _pages(org, cycle))
    assert "<script>alert" not in written
    assert "&lt;script&gt;alert(&#x27;x &amp; y&#x27;)&lt;/script&gt;" in written
    assert "&quot;Quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;" in written
    assert "Team&#x27;s &lt;i&gt;own&lt;/i&gt;" in written
    assert '<span class="branch__name">R&amp;D &lt;lab&gt;</span>' in written
    assert "<b>bold</b>" not in written
    assert "<i>own</i>" not in written


@pytest.mark.django_db
def test_the_team_outline_is_the_team_tree() -> None:
    """Rows in place of model instances: the same teams, order, parents and depths —
    including an organisation with two roots and a team whose parent is another
    organisation's."""
    result = generate(people=120, slug="outline")
    org = result.organisation
    other = Organisation.objects.create(name="Other", slug="other-outline")
    elsewhere = Team.objects.create(organisation=other, name="Elsewhere")
    Team.objects.create(organisation=org, name="A second root")
    Team.objects.create(organisation=org, name="Aa, under another org's", parent=elsewhere)

    def shape(nodes: list[Any]) -> list[tuple[int, str, int | None, int]]:
        return [
            (n.team.pk, n.team.name, n.team.parent_id, n.depth)
            for n in core_selectors.flatten(nodes)
        ]

    tree = core_selectors.team_tree(org, with_leads=False)
    outline = core_selectors.team_outline(org)
    assert len(outline) == len(tree) >= 3
    assert shape(outline) == shape(tree)
    assert max(depth for *_, depth in shape(outline)) >= 2


def test_the_dashboard_is_the_old_templates_html_to_the_byte(
    org_with_tree: tuple[Client, Organisation, Cycle],
) -> None:
    """Its links written by ``href`` and one ``{% url %}`` for every row: the same bytes,
    with stale key results and objectives without any listed."""
    client, org, cycle = org_with_tree
    owner = Person.objects.filter(organisation=org).order_by("id").last()
    bare = ObjectiveFactory(cycle=cycle, owner_person=owner, title="Bare <objective>")
    stale = ObjectiveFactory(cycle=cycle, owner_person=owner, title="Stale one")
    long_ago = timezone.localdate() - dt.timedelta(days=20)
    KeyResultFactory(objective=stale, title="Silent & <forgotten>", last_check_in=long_ago)
    pages = [(f"/okrs/cycles/{cycle.pk}/", {}), (f"/okrs/cycles/{cycle.pk}/?page=2", {})]
    written = _compare(client, pages)
    assert f'<a href="/okrs/objectives/{bare.pk}/">Bare &lt;objective&gt;</a>' in written
    assert f'<a href="/okrs/objectives/{stale.pk}/">Silent &amp; &lt;forgotten&gt;</a>' in written
    assert f'<a href="/okrs/?cycle={cycle.pk}&amp;team=' in written
