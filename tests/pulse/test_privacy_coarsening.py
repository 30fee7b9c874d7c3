"""A response does not name a team too small to ever be shown: an invited answer is
stored under the nearest frozen group whose frozen audience reaches the minimum. Results
must be the same for every group, with and without that coarsening (property test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.core.models import Organisation, Team
from ampwork.core.permissions import Actor
from ampwork.pulse import anonymity, results, selectors, services
from ampwork.pulse.instrument import items_for
from ampwork.pulse.models import Response

from ..factories import MembershipFactory, PersonFactory, TeamFactory

ITEMS = items_for(False)
CODES = [item.code for item in ITEMS[:6]]


@st.composite
def rounds(draw: st.DrawFn) -> tuple[dict[int, int | None], dict[int, int], list[Any], int]:
    size = draw(st.integers(min_value=1, max_value=7))
    parents: dict[int, int | None] = {}
    for team in range(1, size + 1):
        parents[team] = draw(st.sampled_from([None, *range(1, team)]))
    audience = {g: draw(st.integers(min_value=0, max_value=9)) for g in range(0, size + 1)}
    minimum = draw(st.integers(min_value=3, max_value=7))
    data = []
    for group, invited in audience.items():
        for _ in range(draw(st.integers(min_value=0, max_value=invited))):
            answers = {code: draw(st.integers(min_value=1, max_value=5)) for code in CODES}
            comment = draw(st.sampled_from(["", "a", "b", "fine"]))
            data.append(results.ResponseData(group, answers, draw(st.integers(0, 10)), comment))
    return parents, audience, data, minimum


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_results_are_the_same_with_and_without_coarsening(
    case: tuple[dict[int, int | None], dict[int, int], list[Any], int],
) -> None:
    parents, audience, data, minimum = case
    where = anonymity.coarsened(parents, audience, minimum)
    reach = anonymity.totals(parents, audience)
    for group, stored in where.items():  # stored at itself or above, never too small
        assert stored == anonymity.ROOT or reach[stored] >= anonymity.effective_minimum(minimum)
        at: int | None = group
        while at not in (stored, None, anonymity.ROOT):
            at = parents[at]
        assert at == stored or stored == anonymity.ROOT
        if reach.get(group, 0) >= anonymity.effective_minimum(minimum):
            assert stored == group
    coarse = [results.ResponseData(where[r.group], r.answers, r.enps, r.comment) for r in data]
    plain = results.compute(data, ITEMS, parents, minimum, audience)
    moved = results.compute(coarse, ITEMS, parents, minimum, audience)
    assert moved == plain


def test_an_answer_from_a_team_of_one_is_stored_under_its_parent(
    org: Organisation, admin_actor: Actor
) -> None:
    parent = TeamFactory(organisation=org, name="Parent")
    solo = TeamFactory(organisation=org, name="Solo", parent=parent)
    for team, size in ((parent, 6), (solo, 1)):
        for _ in range(size):
            MembershipFactory(team=team, person=PersonFactory(organisation=org))
    today = timezone.localdate()
    round = services.create_round(
        actor=admin_actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    services.open_round(actor=admin_actor, round=round)
    assert admin_actor.person is not None
    for message in mail.outbox:
        if message.to[0] == admin_actor.person.email:
            continue  # the admin, in no team, does not answer
        token = message.body.split("/pulse/answer/")[1].split("/")[0]
        found, invitation = services.find_invitation(token)
        services.answer(round=found, invitation=invitation, answers={"mast1": 4})
    services.close_round(actor=admin_actor, round=round)
    stored = list(Response.objects.filter(round=round).values_list("group_id", flat=True))
    assert Team.objects.get(pk=solo.pk)
    assert solo.pk not in stored
    assert stored.count(parent.pk) == 7  # six of Parent and Solo's one
    assert len(stored) == 7
    shown = selectors.round_results(admin_actor, round)
    assert shown.groups[solo.pk]["suppressed"]
    assert shown.groups[parent.pk]["n"] == 7
