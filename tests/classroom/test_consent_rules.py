"""Consent for student pulses, the pure parts: the PPRA tags of the AMP Pulse, a school's
own topics, and the gate's decision at its boundaries."""

from __future__ import annotations

import pytest

from ampwork.classroom import consent
from ampwork.classroom.consent import CONSENT, CONSENTED, OPT_OUT, OPTED_OUT, Topic
from ampwork.pulse import instrument

# ---------------------------------------------------------------- the tags


def test_the_eight_protected_areas_of_the_ppra() -> None:
    assert len(instrument.AREAS) == 8
    assert set(instrument.AREAS) == {
        "political",
        "mental",
        "sex",
        "illegal",
        "family_appraisal",
        "privileged",
        "religion",
        "income",
    }


def test_no_amp_item_touches_a_protected_area() -> None:
    """docs/methods.md, *Protected areas*, says why for each item read closely."""
    assert instrument.areas_of(instrument.ITEMS) == frozenset()
    assert all(item.areas == frozenset() for item in instrument.ITEMS)


def test_areas_of_is_the_union_of_the_items_areas() -> None:
    items = [
        instrument.Item("a", "own", "x", "x", areas=frozenset({"mental"})),
        instrument.Item("b", "own", "y", "y"),
        instrument.Item("c", "own", "z", "z", areas=frozenset({"income", "mental"})),
    ]
    assert instrument.areas_of(items) == {"mental", "income"}
    assert instrument.areas_of([]) == frozenset()


def test_clean_areas_keeps_known_codes_and_refuses_others() -> None:
    assert instrument.clean_areas([" mental", "", "income"]) == {"mental", "income"}
    assert instrument.clean_areas([]) == frozenset()
    with pytest.raises(ValueError, match="not a protected area: anxiety"):
        instrument.clean_areas(["mental", "anxiety"])


# ---------------------------------------------------------------- a school's topics


def test_topics_are_read_one_a_line() -> None:
    topics = consent.parse_topics("Bullying: bully, bullied, Picked on\n\n  Belonging\n")
    assert topics == [
        Topic("Bullying", ("bully", "bullied", "picked on")),
        Topic("Belonging", ("belonging",)),
    ]
    assert consent.parse_topics("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Bullying:", "line 1: write a topic"),
        ("Fine: fine\n: words", "line 2: write a topic"),
        ("x" * 301, "line 1: at most 300"),
        ("\n".join(f"T{i}: w{i}" for i in range(51)), "at most 50 topics"),
    ],
)
def test_a_bad_topic_line_is_refused_by_its_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        consent.parse_topics(text)


def test_topics_at_the_limits_are_kept() -> None:
    assert len(consent.parse_topics("\n".join(f"T{i}: w{i}" for i in range(50)))) == 50
    assert len(consent.parse_topics("T: " + "w" * 297)) == 1  # 300 characters


def test_a_topic_is_touched_by_a_whole_word_in_any_case() -> None:
    topics = [Topic("Belonging", ("belong",)), Topic("Bullying", ("bully", "picked on"))]
    assert consent.touched_topics(["I feel I BELONG in my class."], topics) == ["Belonging"]
    # part of a longer word is not the word
    assert consent.touched_topics(["My belongings are safe.", "Bullyproof"], topics) == []
    assert consent.touched_topics(["I get picked on.", "I belong"], topics) == [
        "Belonging",
        "Bullying",
    ]
    assert consent.touched_topics([], topics) == []


# ---------------------------------------------------------------- the gate


STUDENTS = [1, 2, 3]


def test_no_policy_refuses_and_names_what_to_do() -> None:
    decision = consent.decide(None, STUDENTS, {}, shared_link=False)
    assert decision.refusal
    assert "no consent policy" in decision.refusal
    assert "Consent for pulses" in decision.refusal


def test_consent_required_asks_exactly_the_students_with_consent() -> None:
    records = {1: CONSENTED, 2: OPTED_OUT}
    decision = consent.decide(CONSENT, STUDENTS, records, shared_link=False)
    assert decision.refusal == ""
    assert decision.excluded == {2, 3}  # opted out, and nothing recorded


def test_consent_required_with_every_consent_leaves_nobody_out() -> None:
    records = dict.fromkeys(STUDENTS, CONSENTED)
    assert consent.decide(CONSENT, STUDENTS, records, shared_link=False).excluded == set()
    assert consent.decide(CONSENT, STUDENTS, records, shared_link=True).refusal == ""


def test_consent_required_with_no_consent_at_all_does_not_open() -> None:
    decision = consent.decide(CONSENT, STUDENTS, {1: OPTED_OUT}, shared_link=False)
    assert "no student of this pulse has a guardian's consent" in decision.refusal
    # one consent is enough to open (for that student)
    assert consent.decide(CONSENT, STUDENTS, {3: CONSENTED}, shared_link=False).refusal == ""


def test_opt_out_leaves_out_only_the_students_opted_out() -> None:
    decision = consent.decide(OPT_OUT, STUDENTS, {2: OPTED_OUT, 3: CONSENTED}, shared_link=False)
    assert decision == consent.Decision(frozenset({2}))
    assert consent.decide(OPT_OUT, STUDENTS, {}, shared_link=False).excluded == set()


def test_a_shared_link_opens_only_when_nobody_is_left_out() -> None:
    one_missing = {1: CONSENTED, 2: CONSENTED}
    refused = consent.decide(CONSENT, STUDENTS, one_missing, shared_link=True)
    assert refused.refusal.startswith("1 student of this class has no consent recorded")
    assert "invited" in refused.refusal
    opted = consent.decide(OPT_OUT, STUDENTS, {1: OPTED_OUT, 2: OPTED_OUT}, shared_link=True)
    assert opted.refusal.startswith("2 students of this class have been opted out")
    assert consent.decide(OPT_OUT, STUDENTS, {}, shared_link=True).refusal == ""


def test_a_pulse_asking_no_student_is_not_refused_under_a_policy() -> None:
    assert consent.decide(CONSENT, [], {}, shared_link=False) == consent.Decision(frozenset())
    assert consent.decide(CONSENT, [], {}, shared_link=True).refusal == ""


@pytest.mark.parametrize(
    "text",
    [
        "I get picked\u00a0on at break",  # a non-breaking space
        "I get picked\non at break",  # a line break
        "I get picked   on at break",  # several spaces
        "I get PICKED ON at break",
    ],
)
def test_a_phrase_matches_however_its_spaces_are_typed(text: str) -> None:
    topics = consent.parse_topics("Bullying: picked on")
    assert consent.touched_topics([text], topics) == ["Bullying"]


def test_accents_match_in_either_unicode_form() -> None:
    composed = consent.parse_topics("Fear: anxiété")  # é as one character
    decomposed = "J'ai de l'anxie\u0301te\u0301 avant les tests"  # é as e + accent
    assert consent.touched_topics([decomposed], composed) == ["Fear"]
    assert consent.touched_topics(["pickedon"], consent.parse_topics("B: picked on")) == []


def test_a_stored_list_beyond_todays_limits_still_counts_every_topic() -> None:
    long = "\n".join(f"T{n}: word{n}" for n in range(consent.MAX_TOPICS + 5))
    with pytest.raises(ValueError, match="at most"):
        consent.parse_topics(long)
    lenient = consent.parse_topics_leniently(long)
    assert len(lenient) == consent.MAX_TOPICS + 5
    assert consent.touched_topics(["word54 here"], lenient) == ["T54"]
