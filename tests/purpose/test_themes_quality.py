"""Theme mining on hand-written statements: the planted themes come back, in any input
order, with as many themes as were planted, labelled with phrases people wrote."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.metrics import adjusted_rand_score

from ampwork.purpose import themes

from .statements import CLASS, COMPANY

# Words a theme label must never carry: contraction fragments and generic filler.
FILLER = {
    "didn", "don", "doesn", "isn", "wasn", "couldn", "wouldn", "won", "ve", "ll", "im",
    "get", "gets", "got", "getting", "want", "wants", "matter", "matters", "feel", "feels",
    "like", "likes", "make", "makes", "making", "really", "thing", "things", "just",
    "day", "every", "good", "better", "lot",
}  # fmt: skip


def planted(
    corpus: dict[str, list[str]],
) -> tuple[list[themes.Statement], dict[int, str]]:
    statements, truth = [], {}
    for name, texts in corpus.items():
        for text in texts:
            author = 1000 - 7 * len(statements)  # ids unrelated to the order of the themes
            statements.append(themes.Statement(author, text, quotable=len(statements) % 3 != 0))
            truth[author] = name
    return statements, truth


def recover(
    corpus: dict[str, list[str]],
) -> tuple[themes.Themes, dict[int, int], dict[int, str], float]:
    statements, truth = planted(corpus)
    found, members = themes.find_with_members(statements, minimum=5)
    authors = sorted(truth)
    ari = adjusted_rand_score([truth[a] for a in authors], [members.get(a, -1) for a in authors])
    return found, members, truth, ari


def matched_shares(
    found: themes.Themes, members: dict[int, int], truth: dict[int, str]
) -> dict[str, tuple[float, float]]:
    """Each found theme paired with the planted theme most of its authors wrote about: the
    planted share and the found share."""
    planted_share = {name: n / len(truth) for name, n in Counter(truth.values()).items()}
    pairs = {}
    for index, theme in enumerate(found.themes):
        inside = Counter(truth[a] for a, t in members.items() if t == index)
        name = inside.most_common(1)[0][0]
        assert name not in pairs, f"two themes are about {name}: {found.themes}"
        pairs[name] = (planted_share[name], theme.share)
    return pairs


def test_sixty_statements_four_planted_themes_are_recovered() -> None:
    found, members, truth, ari = recover(COMPANY)
    assert len(found.themes) == 4, [t.label for t in found.themes]
    assert ari >= 0.8
    pairs = matched_shares(found, members, truth)
    assert set(pairs) == set(COMPANY)
    for name, (planted_share, share) in pairs.items():
        assert abs(share - planted_share) <= 0.10, (name, planted_share, share)
    assert sum(t.authors for t in found.themes) + found.unthemed == found.authors == 60


def test_a_class_of_eighteen_with_three_equal_themes() -> None:
    found, members, truth, ari = recover(CLASS)
    assert len(found.themes) == 3, [(t.label, t.share) for t in found.themes]
    pairs = matched_shares(found, members, truth)
    assert set(pairs) == set(CLASS)
    for name, (_, share) in pairs.items():
        assert abs(share - 1 / 3) <= 0.10, (name, share)
    assert ari >= 0.8


@pytest.mark.parametrize("corpus", [COMPANY, CLASS], ids=["company", "class"])
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_input_order_changes_nothing(corpus: dict[str, list[str]], seed: int) -> None:
    statements, _ = planted(corpus)
    first, first_members = themes.find_with_members(statements, minimum=5)
    shuffled = list(statements)
    random.Random(seed).shuffle(shuffled)
    again, again_members = themes.find_with_members(shuffled, minimum=5)
    assert again == first  # labels, terms, shares, counts and quotes
    assert again_members == first_members


def test_one_statement_per_author_whatever_the_order() -> None:
    twice = [themes.Statement(1, "My team."), themes.Statement(1, "Learning new skills.")]
    others = [themes.Statement(i, text) for i, text in enumerate(CLASS["friends"], start=2)]
    forward = themes.find(twice + others, minimum=5)
    backward = themes.find(list(reversed(twice + others)), minimum=5)
    assert forward == backward
    assert forward.authors == 7


@pytest.mark.parametrize("corpus", [COMPANY, CLASS], ids=["company", "class"])
def test_labels_are_phrases_people_wrote_without_filler(corpus: dict[str, list[str]]) -> None:
    statements, _ = planted(corpus)
    found, members = themes.find_with_members(statements, minimum=5)
    text_of = {s.author: s.text.lower() for s in statements}
    for index, theme in enumerate(found.themes):
        phrases = theme.label.split(" · ")
        assert not set(" ".join(phrases).lower().split()) & FILLER, theme.label
        assert 1 <= len(phrases) <= 2, theme.label
        written = [text_of[a] for a, t in members.items() if t == index]
        for phrase in phrases:
            words = phrase.lower().split()
            assert words[0] not in ENGLISH_STOP_WORDS
            assert words[-1] not in ENGLISH_STOP_WORDS
            assert any(phrase.lower() in text for text in written), (phrase, written)
        assert not set(theme.terms) & FILLER, theme.terms


def test_quotes_come_from_consenting_members_once_each() -> None:
    statements, _ = planted(COMPANY)
    found, members = themes.find_with_members(statements, minimum=5)
    by_text = {s.text: s for s in statements}
    for index, theme in enumerate(found.themes):
        assert theme.quotes
        assert len(theme.quotes) == len(set(theme.quotes)) <= 3
        for quote in theme.quotes:
            assert by_text[quote].quotable
            assert members[by_text[quote].author] == index


@pytest.mark.parametrize(("authors", "shown"), [(5, False), (6, True), (7, True)])
def test_themes_only_from_the_minimum_of_authors(authors: int, shown: bool) -> None:
    texts = [t for pair in zip(*CLASS.values(), strict=True) for t in pair][:authors]
    found = themes.find([themes.Statement(i, t) for i, t in enumerate(texts)], minimum=6)
    assert found.authors == authors
    if shown:
        assert found.suppressed is None
        assert found.themes
        assert sum(t.authors for t in found.themes) + found.unthemed == authors
    else:
        assert found.themes == []
        assert "at least 6" in (found.suppressed or "")


def test_blank_statements_do_not_count_towards_the_minimum() -> None:
    texts = [*CLASS["friends"][:5], "   "]
    found = themes.find([themes.Statement(i, t) for i, t in enumerate(texts)], minimum=6)
    assert found.themes == []
    assert found.authors == 5


def test_people_giving_the_same_short_answer_make_a_theme() -> None:
    answers = ["Friends."] * 6 + ["Learning!"] * 6 + ["A good job."] * 6
    found = themes.find([themes.Statement(i, t) for i, t in enumerate(answers)], minimum=5)
    assert sorted((t.label, t.authors) for t in found.themes) == [
        ("friends", 6),
        ("job", 6),
        ("learning", 6),
    ]


def brute_strength(reference: list[int], found: list[int], copies: list[int]) -> float:
    """Prediction strength by listing every pair of authors (the definition, slowly)."""
    authors = [(r, f) for r, f, c in zip(reference, found, copies, strict=True) for _ in range(c)]
    shares = []
    for theme in set(found):
        inside = [r for r, f in authors if f == theme]
        if len(inside) < 2:
            return 0.0
        pairs = list(itertools.permutations(inside, 2))
        shares.append(sum(a == b for a, b in pairs) / len(pairs))
    return min(shares)


def test_prediction_strength_worked_example() -> None:
    # found theme {0, 1, 2}: the reference keeps 1 of its 3 pairs together; {3, 4}: 1 of 1
    assert themes._strength(np.array([0, 0, 1, 1, 1]), np.array([0, 0, 0, 1, 1]), np.ones(5)) == (
        pytest.approx(1 / 3)
    )
    # one author alone in a theme: no theme
    assert themes._strength(np.array([0, 0, 1]), np.array([0, 0, 1]), np.ones(3)) == 0.0


@pytest.mark.parametrize("seed", range(20))
def test_prediction_strength_matches_counting_pairs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    reference = rng.integers(0, 3, n)
    found = rng.integers(0, 3, n)
    copies = rng.integers(1, 4, n)
    expected = brute_strength(reference.tolist(), found.tolist(), copies.tolist())
    assert themes._strength(reference, found, copies) == pytest.approx(expected)


def test_the_number_of_themes_does_not_climb_to_its_cap() -> None:
    """Half the company corpus (30 statements, cap 8): at most the planted four."""
    half = {name: texts[::2] for name, texts in COMPANY.items()}
    found, _, _, _ = recover(half)
    assert 2 <= len(found.themes) <= 4


def test_where_themes_meet_the_purpose_by_stem() -> None:
    found = themes.find(planted(COMPANY)[0], minimum=5)
    meeting = dict(
        (t.label, words)
        for t, words in themes.overlap("Help small businesses get paid on time.", found.themes)
    )
    customers = next(label for label in meeting if "small business" in label)
    assert "business" in meeting[customers] or "businesses" in meeting[customers]
