"""Attack 5 on PostgreSQL: a database administrator joins invitations to responses by the
system columns — ``xmin`` (the transaction that wrote a row) and ``ctid`` (its physical
place) — and by insertion order. Each join must name nobody."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.pulse import services
from ampwork.pulse.models import Invitation, PooledAnswer, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),  # real transactions: real xmin values
    pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin and ctid are PostgreSQL's"),
]


def _rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


@pytest.fixture
def answered(org: Organisation, admin_actor: Actor) -> dict[str, Any]:
    """Twelve people answer one after another, in the order of their invitations; each
    answer says who gave it (the comment), so the test can check any link it finds."""
    team = TeamFactory(organisation=org, name="Core")
    for _ in range(11):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    today = timezone.localdate()
    round = services.create_round(
        actor=admin_actor, name="P", opens=today, closes=today + dt.timedelta(days=3)
    )
    services.open_round(actor=admin_actor, round=round)
    token_of = {m.to[0]: m.body.split("/pulse/answer/")[1].split("/")[0] for m in mail.outbox}
    emails = dict(Person.objects.values_list("id", "email"))
    order = []
    for invitation in Invitation.objects.filter(round=round).order_by("id"):
        assert invitation.person_id is not None
        found, mine = services.find_invitation(token_of[emails[invitation.person_id]])
        services.answer(
            round=found,
            invitation=mine,
            answers={"mast1": 4},
            comment=f"person {invitation.person_id}",
        )
        order.append(f"person {invitation.person_id}")
    return {"round": Round.objects.get(pk=round.pk), "order": order}


def _xmins(table: str, round: Round) -> dict[str, str]:
    """Each row's comment (responses) or person (invitations) with its xmin."""
    column = "comment" if table == "surveys_response" else "'person ' || person_id"
    return {
        label: xmin
        for label, xmin in _rows(
            f"SELECT {column}, xmin::text FROM {table} WHERE round_id = %s",
            round.pk,
        )
    }


def _join_by_xmin(round: Round, distance: int) -> dict[str, set[str]]:
    """The attack: for each used invitation, the responses written by the same or a
    neighbouring transaction."""
    return {
        person: set(comments.split("\x1f")) if comments else set()
        for person, comments in _rows(
            "SELECT 'person ' || i.person_id, string_agg(r.comment, chr(31)) "
            "FROM surveys_invitation i LEFT JOIN surveys_response r "
            "ON r.round_id = i.round_id "
            "AND abs(r.xmin::text::bigint - i.xmin::text::bigint) <= %s "
            "WHERE i.round_id = %s AND i.used GROUP BY i.person_id",
            distance,
            round.pk,
        )
    }


def test_no_response_shares_a_transaction_with_an_invitation(answered: dict[str, Any]) -> None:
    round = answered["round"]
    # ten answers were written in one batch; two wait, sealed
    assert PooledAnswer.objects.filter(round=round).count() == 2
    invitations, responses = _xmins("surveys_invitation", round), _xmins("surveys_response", round)
    assert len(invitations) == 12
    assert len(responses) == services.FLUSH_AT
    assert not set(invitations.values()) & set(responses.values())
    assert len(set(responses.values())) == 1  # one transaction for the whole batch
    assert all(not found for found in _join_by_xmin(round, 0).values())
    # the pool's own rows were written apart from the invitations too
    pool = {x for (x,) in _rows("SELECT xmin::text FROM surveys_pooledanswer")}
    assert not pool & set(invitations.values())
    # closing writes every answer once more, together: one transaction, none shared
    services.close_round(actor=Actor.system(round.organisation), round=round)
    responses = _xmins("surveys_response", round)
    assert len(responses) == 12
    assert len(set(responses.values())) == 1
    assert not set(invitations.values()) & set(responses.values())
    # even neighbouring transactions name nobody: a neighbour finds all twelve or none
    for found in _join_by_xmin(round, 3).values():
        assert found in (set(), set(answered["order"]))


def test_physical_and_id_order_do_not_follow_the_invitations(answered: dict[str, Any]) -> None:
    round = answered["round"]
    services.close_round(actor=Actor.system(round.organisation), round=round)
    by_ctid = [c for (c,) in _rows("SELECT comment FROM surveys_response ORDER BY ctid")]
    by_id = [c for (c,) in _rows("SELECT comment FROM surveys_response ORDER BY id")]
    assert sorted(by_ctid) == sorted(answered["order"])
    # shuffled: neither the physical order nor the ids' order is the order of answering
    # (a chance of 1 in 12! that a fair shuffle gives it back)
    assert by_ctid != answered["order"]
    assert by_id != answered["order"]
    assert by_ctid != list(reversed(answered["order"]))
    invitation_ctids = [
        f"person {p}"
        for (p,) in _rows(
            "SELECT person_id FROM surveys_invitation WHERE round_id = %s ORDER BY ctid",
            round.pk,
        )
    ]
    assert by_ctid != invitation_ctids
