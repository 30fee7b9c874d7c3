"""Saving a weekly review records the check-ins typed into its key-result rows: through
the OKR app's front door, all in one transaction, every error named beside its row, and
nothing written when any part is wrong. Rows left as they were record nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.mastery import services
from ampwork.mastery.models import Review
from ampwork.mastery.services import WeekCheckIn
from ampwork.okrs.models import CheckIn, KeyResult, Milestone
from tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory

Make = Callable[[Person], Actor]


@pytest.fixture
def krs(crew: dict[str, Any]) -> dict[str, KeyResult]:
    """Ann's objective in an open cycle around today, with one key result of each kind."""
    ann = crew["ann"]
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=ann.organisation,
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=60),
    )
    objective = ObjectiveFactory(cycle=cycle, owner_person=ann, title="Calm on-call")
    numeric = KeyResultFactory(
        objective=objective, owner=ann, start=0, target=10, current=2, title="Runbooks"
    )
    boolean = KeyResultFactory(
        objective=objective, owner=ann, kind="boolean", title="Alerts reviewed"
    )
    stones = KeyResultFactory(
        objective=objective, owner=ann, kind="milestones", title="Rota", start=0, target=1
    )
    Milestone.objects.create(key_result=stones, title="Draft", weight=1)
    Milestone.objects.create(key_result=stones, title="Agreed", weight=1)
    theirs = KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner_person=crew["bob"]),
        owner=crew["bob"],
        title="Bob's",
    )
    return {"numeric": numeric, "boolean": boolean, "milestones": stones, "theirs": theirs}


def save(actor: Actor, *entries: WeekCheckIn, **fields: Any) -> Review:
    return services.save_review(
        actor=actor,
        wins=fields.pop("wins", "Two runbooks written"),
        challenge=fields.pop("challenge", 5),
        skill=fields.pop("skill", 4),
        check_ins=entries,
        **fields,
    )


def test_saving_the_review_records_its_check_ins(
    crew: dict[str, Any], krs: dict[str, KeyResult], actor_of: Make
) -> None:
    stones = krs["milestones"]
    draft = stones.milestones.get(title="Draft")
    review = save(
        actor_of(crew["ann"]),
        WeekCheckIn(key_result_id=krs["numeric"].pk, value=4, confidence=7, note="two more"),
        WeekCheckIn(key_result_id=krs["boolean"].pk, done=True),
        WeekCheckIn(key_result_id=stones.pk, milestones_done=(draft.pk,)),
    )
    assert Review.objects.get() == review
    assert CheckIn.objects.count() == 3
    krs["numeric"].refresh_from_db()
    assert (krs["numeric"].current, krs["numeric"].confidence) == (4, 7)
    assert CheckIn.objects.get(key_result=krs["numeric"]).note == "two more"
    krs["boolean"].refresh_from_db()
    assert krs["boolean"].done is True
    draft.refresh_from_db()
    assert draft.done


def test_a_review_without_check_ins_records_none(
    crew: dict[str, Any], krs: dict[str, KeyResult], actor_of: Make
) -> None:
    save(actor_of(crew["ann"]))
    assert Review.objects.count() == 1
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("confidence", "ok"), [(-1, False), (0, True), (10, True), (11, False)])
def test_confidence_from_0_to_10_or_nothing_is_written(
    crew: dict[str, Any], krs: dict[str, KeyResult], actor_of: Make, confidence: int, ok: bool
) -> None:
    numeric = krs["numeric"]
    entries = (
        WeekCheckIn(key_result_id=krs["boolean"].pk, done=True),  # a good row beside it
        WeekCheckIn(key_result_id=numeric.pk, value=5, confidence=confidence),
    )
    if ok:
        save(actor_of(crew["ann"]), *entries)
        assert CheckIn.objects.count() == 2
        return
    with pytest.raises(ValidationFailed) as caught:
        save(actor_of(crew["ann"]), *entries)
    assert [e.field for e in caught.value.errors] == [f"check_ins.{numeric.pk}.confidence"]
    assert not Review.objects.exists()
    assert not CheckIn.objects.exists()  # the good row is undone too
    numeric.refresh_from_db()
    krs["boolean"].refresh_from_db()
    assert (numeric.current, krs["boolean"].done) == (2, False)


def test_every_error_is_named_and_nothing_is_written(
    crew: dict[str, Any], krs: dict[str, KeyResult], actor_of: Make
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        save(
            actor_of(crew["ann"]),
            WeekCheckIn(key_result_id=krs["boolean"].pk, done=True),
            WeekCheckIn(key_result_id=krs["numeric"].pk, value=None, confidence=5),
            WeekCheckIn(key_result_id=krs["theirs"].pk, value=1),
            WeekCheckIn(key_result_id=999_999, value=1),
            wins="",
            challenge=8,
        )
    fields = [e.field for e in caught.value.errors]
    assert fields == [
        "wins",
        "challenge",
        f"check_ins.{krs['numeric'].pk}.value",
        f"check_ins.{krs['theirs'].pk}",
        "check_ins.999999",
    ]
    assert not Review.objects.exists()
    assert not CheckIn.objects.exists()


def test_the_same_key_result_twice_is_refused(
    crew: dict[str, Any], krs: dict[str, KeyResult], actor_of: Make
) -> None:
    row = WeekCheckIn(key_result_id=krs["numeric"].pk, value=3)
    with pytest.raises(ValidationFailed) as caught:
        save(actor_of(crew["ann"]), row, row)
    assert caught.value.errors[0].field == f"check_ins.{krs['numeric'].pk}"
    assert not CheckIn.objects.exists()


def test_only_this_weeks_review_records_check_ins(
    crew: dict[str, Any], krs: dict[str, KeyResult], actor_of: Make
) -> None:
    last_week = timezone.localdate() - dt.timedelta(days=7)
    with pytest.raises(ValidationFailed) as caught:
        save(
            actor_of(crew["ann"]),
            WeekCheckIn(key_result_id=krs["numeric"].pk, value=3),
            week=last_week,
        )
    assert caught.value.errors[0].field == "check_ins"
    assert not Review.objects.exists()
    save(actor_of(crew["ann"]), week=last_week)  # without check-ins it is written
    assert Review.objects.count() == 1


# --- the page ---------------------------------------------------------------------


def _form(krs: dict[str, KeyResult], **typed: str) -> dict[str, Any]:
    """The review form as the page draws it (every row as shown), with ``typed`` over it."""
    n, b, m = krs["numeric"].pk, krs["boolean"].pk, krs["milestones"].pk
    data: dict[str, Any] = {"wins": "A calm week", "challenge": "5", "skill": "4"}
    for pk in (n, b, m):
        data[f"kr-{pk}-shown"] = "1"
        data[f"kr-{pk}-confidence-was"] = ""
        data[f"kr-{pk}-confidence"] = ""
        data[f"kr-{pk}-note"] = ""
    data[f"kr-{n}-value-was"] = data[f"kr-{n}-value"] = "2"
    data.update(typed)
    return data


def test_the_page_saves_touched_rows_only(
    crew: dict[str, Any], krs: dict[str, KeyResult], web: Callable[[Person], Client]
) -> None:
    client = web(crew["ann"])
    page = client.get("/mastery/review/").content.decode()
    n = krs["numeric"].pk
    assert f'name="kr-{n}-value"' in page
    assert f'name="kr-{n}-value-was" value="2"' in page
    assert "Each row saves on its own" not in page
    response = client.post("/mastery/review/", _form(krs, **{f"kr-{n}-value": "6"}))
    assert response.status_code == 302
    assert Review.objects.count() == 1
    assert list(CheckIn.objects.values_list("key_result_id", "value")) == [(n, 6)]
    # a second save with every row as shown records no check-in
    client.post("/mastery/review/", _form(krs, **{f"kr-{n}-value-was": "6", f"kr-{n}-value": "6"}))
    assert CheckIn.objects.count() == 1
    # a note alone is a check-in: a week without change
    b = krs["boolean"].pk
    client.post("/mastery/review/", _form(krs, **{f"kr-{b}-note": "still waiting"}))
    assert CheckIn.objects.filter(key_result_id=b, done=False, note="still waiting").exists()


@pytest.mark.parametrize(("typed", "field"), [("lots", "value"), ("7.5", "confidence")])
def test_a_bad_row_is_marked_beside_it_and_nothing_is_saved(
    crew: dict[str, Any],
    krs: dict[str, KeyResult],
    web: Callable[[Person], Client],
    typed: str,
    field: str,
) -> None:
    n, b = krs["numeric"].pk, krs["boolean"].pk
    response = web(crew["ann"]).post(
        "/mastery/review/",
        _form(krs, **{f"kr-{n}-{field}": typed, f"kr-{b}-done": "on"}, wins="Kept this"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="kr-{n}-error"' in page
    assert f"{field}:" in page
    assert "Nothing was saved" in page
    assert f'value="{typed}"' in page  # what was typed is still there
    assert "Kept this" in page
    assert f'name="kr-{b}-done" checked' in page
    assert not Review.objects.exists()
    assert not CheckIn.objects.exists()


def test_a_value_left_as_shown_keeps_every_decimal_it_had(
    crew: dict[str, Any], krs: dict[str, KeyResult], web: Callable[[Person], Client]
) -> None:
    """The row shows a value to 4 decimals; changing only the confidence stored that
    rounded value (0.123456 became 0.1235)."""
    n = krs["numeric"].pk
    KeyResult.objects.filter(pk=n).update(current=0.123456)
    client = web(crew["ann"])
    page = client.get("/mastery/review/").content.decode()
    shown = re.search(rf'name="kr-{n}-value-was" value="([^"]+)"', page)
    assert shown is not None
    assert shown.group(1) == "0.1235"
    form = _form(krs, **{f"kr-{n}-value-was": "0.1235", f"kr-{n}-value": "0.1235"})
    form[f"kr-{n}-confidence"] = "7"
    assert client.post("/mastery/review/", form).status_code == 302
    assert list(CheckIn.objects.values_list("value", "confidence")) == [(0.123456, 7)]
    # typing a new value is taken as typed
    form = _form(krs, **{f"kr-{n}-value-was": "0.1235", f"kr-{n}-value": "0.2"})
    client.post("/mastery/review/", form)
    assert CheckIn.objects.order_by("-id").values_list("value", flat=True)[0] == 0.2
