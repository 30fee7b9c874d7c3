"""The authenticity check's third rule, where a statement names both who the work helps and
money: no warning, and both are said (purpose/authenticity.py, a pure module)."""

from __future__ import annotations

from ampwork.purpose.authenticity import check


def test_money_beside_the_people_helped_is_fine_and_both_are_named() -> None:
    advice = check("We help patients get home sooner, and the profit pays for the next ward.")
    assert advice.warn is False
    assert advice.money == ["profit"]
    assert advice.helped == ["patients"]
    assert advice.reasons == [
        "names who the work is for (patients)",
        "mentions money (profit) beside the people it helps — fine",
    ]


def test_people_helped_without_money_give_one_reason() -> None:
    advice = check("Every student leaves able to read a bus timetable.")
    assert (advice.warn, advice.money, advice.helped) == (False, [], ["student"])
    assert advice.reasons == ["names who the work is for (student)"]


def test_money_alone_warns_and_names_the_words() -> None:
    advice = check("Grow revenue and market share.")
    assert advice.warn is True
    assert advice.money == ["market share", "revenue"]
    assert advice.helped == []
    assert advice.reasons[0].startswith("it speaks of money for owners (market share, revenue)")


def test_verbs_without_anyone_helped_are_named_in_the_hint() -> None:
    advice = check("We support and protect the platform.")
    assert (advice.warn, advice.money, advice.helped) == (True, [], [])
    assert advice.reasons == [
        "it names nobody the work helps: who is better off because of it? "
        "It says what the work does (protect, support) but not for whom."
    ]
    plain = check("We keep the platform running.")
    assert plain.reasons == ["it names nobody the work helps: who is better off because of it?"]
