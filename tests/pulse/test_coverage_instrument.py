"""The AMP Pulse items as each kind of organisation reads them (pulse/instrument.py, pure)."""

from __future__ import annotations

from ampwork.pulse.instrument import ITEMS, items_for, text_of


def test_a_school_gets_every_item_but_the_pay_ones_in_its_own_words() -> None:
    company = items_for(school=False)
    school = items_for(school=True)
    assert company == ITEMS
    assert [i.code for i in ITEMS if i not in school] == ["fair1", "fair2"]
    task1 = next(i for i in ITEMS if i.code == "task1")
    assert text_of(task1, school=False) == "I have a real say in which problems I take on."
    assert (
        text_of(task1, school=True) == "I get to choose some of the topics or projects I work on."
    )


def test_an_item_without_a_school_wording_keeps_its_own() -> None:
    fair1 = next(i for i in ITEMS if i.code == "fair1")
    assert fair1.school == ""
    assert text_of(fair1, school=True) == fair1.text
    assert fair1.text == "I am paid fairly compared with others doing similar work."
