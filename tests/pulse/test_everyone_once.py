"""The whole organisation is one row of a pulse's results (issue 18, item 11): not
"Everyone (Brightwater Labs)" and "Brightwater Labs" as two rows of the same answers."""

from __future__ import annotations

from django.test import Client

from ampwork.core.models import Person, Role, Team
from ampwork.core.permissions import Actor
from ampwork.demo.services import DemoResult
from ampwork.pulse import anonymity, selectors
from ampwork.pulse.models import Round
from ampwork.pulse.results import ResponseData
from ampwork.pulse.selectors import FrozenTree, _same_as_everyone

ROOT = anonymity.ROOT


def tree(parents: dict[int, int | None]) -> FrozenTree:
    return FrozenTree(parents, {t: f"T{t}" for t in parents}, list(parents), {})


def answer(group: int) -> ResponseData:
    return ResponseData(group, {"mast1": 4})


COMPANY = tree({1: None, 2: 1, 3: 1})  # one top unit (the company) with two teams


def test_the_top_unit_repeats_everyone_when_every_answer_is_inside_it() -> None:
    assert _same_as_everyone(COMPANY, [answer(2), answer(3), answer(1)], {2: 5, 3: 5}) == 1


def test_an_answer_from_outside_every_team_keeps_both_rows() -> None:
    assert _same_as_everyone(COMPANY, [answer(2), answer(ROOT)], {2: 5}) is None
    gone = 99  # a team deleted since: its answers count for the organisation only
    assert _same_as_everyone(COMPANY, [answer(2), answer(gone)], {2: 5}) is None


def test_someone_invited_outside_every_team_keeps_both_rows() -> None:
    """Everyone's participation would differ from the top unit's."""
    assert _same_as_everyone(COMPANY, [answer(2)], {2: 5, ROOT: 1}) is None


def test_two_top_units_are_not_the_organisation() -> None:
    assert _same_as_everyone(tree({1: None, 2: None}), [answer(1), answer(2)], {}) is None


def _admin(demo: DemoResult) -> Actor:
    admin = Person.objects.get(organisation=demo.company, email="admin@brightwater.example")
    return Actor(organisation=demo.company, role=Role.ADMIN, user=admin.user, person=admin)


def test_demo_pulse_lists_the_company_once(demo: DemoResult, client: Client) -> None:
    actor = _admin(demo)
    october = Round.objects.get(organisation=demo.company, name="AMP Pulse October 2026")
    data = selectors.round_results(actor, october)
    names = [data.names[g] for g in data.order]
    assert names[0] == "Everyone (Brightwater Labs)"
    assert "Brightwater Labs" not in names
    assert "Engineering" in names
    # the top unit's own results are still there for whoever asks for that team alone
    top = Team.objects.get(organisation=demo.company, name="Brightwater Labs")
    alone = selectors.round_results(actor, october, team=top.pk)
    assert [alone.names[g] for g in alone.order] == ["Brightwater Labs"]
    assert alone.groups[top.pk]["n"] == data.groups[ROOT]["n"]
    # the page and its CSV say the same
    assert actor.user is not None
    client.force_login(actor.user)
    page = client.get(f"/pulse/rounds/{october.pk}/").content.decode()
    assert page.count("Everyone (Brightwater Labs)") == 1
    assert ">Brightwater Labs<" not in page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    csv = client.get(f"/pulse/rounds/{october.pk}/export.csv").content.decode()
    first_cells = [line.split(",", 1)[0] for line in csv.splitlines()]
    assert "Everyone (Brightwater Labs)" in first_cells
    assert "Brightwater Labs" not in first_cells
