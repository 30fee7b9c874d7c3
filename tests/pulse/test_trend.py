"""The favourable trend behind the admin's home page keeps each closed round's shares as a
summary of the pulse data (issue 19): an objective or a review changing does not make it
read and decode every answer again; an answer changing does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ampwork.core.models import Organisation
from ampwork.pulse.models import Response, Round
from ampwork.pulse.selectors import favourable_trend
from tests.factories import CycleFactory, OrganisationFactory, RoundFactory


def _answers(n: int, value: int) -> list[Response]:
    return [
        Response(
            round=None,  # set by the caller
            group_id=None,
            submitted_on=timezone.localdate(),
            answers={"mast1": value, "mast2": value},
            enps=7,
        )
        for _ in range(n)
    ]


def _closed_round(org: Organisation, favourable: int, other: int) -> Round:
    round = RoundFactory(organisation=org, status=Round.Status.CLOSED, minimum=5)
    rows = _answers(favourable, 5) + _answers(other, 2)
    for row in rows:
        row.round = round
    Response.objects.bulk_create(rows)
    return round


def _reads_answers(queries: Any) -> bool:
    return any("surveys_response" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_rounds_shares_are_kept_until_the_pulse_data_changes() -> None:
    org = OrganisationFactory()
    _closed_round(org, favourable=6, other=2)
    first = favourable_trend(org, 4)
    # every respondent answered both mastery items alike: 6 of 8 favourable (5), 2 not (2)
    assert [shares["mastery"] for _, shares in first] == [6 / 8]
    # an objective's cycle changes (the OKR app): the shares are not computed again
    CycleFactory(organisation=org, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    with CaptureQueriesContext(connection) as queries:
        again = favourable_trend(org, 4)
    assert again == first
    assert not _reads_answers(queries)
    # an answer is added to the round: they are
    round = Round.objects.get(organisation=org)
    Response.objects.bulk_create(
        [Response(round=round, submitted_on=timezone.localdate(), answers={"mast1": 5, "mast2": 5})]
    )
    with CaptureQueriesContext(connection) as queries:
        changed = favourable_trend(org, 4)
    assert _reads_answers(queries)
    assert [shares["mastery"] for _, shares in changed] == [7 / 9]


@pytest.mark.django_db
@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_a_round_under_its_minimum_shows_no_share(answers: int, shown: bool) -> None:
    """Minimum 5: four answers show nothing, five show the share (the kept value says
    which, too)."""
    org = OrganisationFactory()
    _closed_round(org, favourable=answers, other=0)
    for _ in range(2):  # computed, then kept
        ((_, shares),) = favourable_trend(org, 4)
        assert (shares["mastery"] is not None) is shown
