"""Theme mining recovers planted themes; the authenticity check on worked examples."""

from __future__ import annotations

import random

import pytest

from ampwork.purpose import authenticity, themes

PLANTED = {
    "patients": ["patients", "care", "health", "nurses", "hospital", "recover", "treatment"],
    "learning": ["learn", "grow", "skills", "mastery", "craft", "improve", "curious"],
    "climate": ["climate", "planet", "emissions", "energy", "future", "carbon", "green"],
    "team": ["team", "colleagues", "friends", "together", "belong", "trust", "people"],
}
FILLER = ["really", "every", "day", "work", "feel", "because", "think", "matters", "things"]


def corpus(seed: int, per_theme: dict[str, int]) -> tuple[list[themes.Statement], dict[int, str]]:
    rng = random.Random(seed)
    statements, truth = [], {}
    author = 0
    for name, count in per_theme.items():
        for _ in range(count):
            words = rng.sample(PLANTED[name], 5) + rng.sample(FILLER, 3)
            if rng.random() < 0.3:  # noise: a word from another theme
                other = rng.choice([n for n in PLANTED if n != name])
                words.append(rng.choice(PLANTED[other]))
            rng.shuffle(words)
            statements.append(themes.Statement(author, " ".join(words), quotable=author % 2 == 0))
            truth[author] = name
            author += 1
    return statements, truth


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_themes_are_recovered(seed: int) -> None:
    counts = {"patients": 14, "learning": 10, "climate": 9, "team": 7}
    statements, _ = corpus(seed, counts)
    result = themes.find(statements, minimum=5)
    assert len(result.themes) == 4
    total = sum(counts.values())
    for name, count in counts.items():
        match = [th for th in result.themes if len(set(th.terms) & set(PLANTED[name])) >= 3]
        assert len(match) == 1, (name, [th.terms for th in result.themes])
        assert abs(match[0].share - count / total) <= 0.10


def test_deterministic_and_quotes_only_with_consent() -> None:
    statements, _ = corpus(7, {"patients": 8, "learning": 8})
    first = themes.find(statements, minimum=5)
    second = themes.find(list(reversed(statements)), minimum=5)
    assert [t.terms for t in first.themes] == [t.terms for t in second.themes]
    quotable = {s.text for s in statements if s.quotable}
    assert all(q in quotable for th in first.themes for q in th.quotes)


def test_no_themes_below_the_minimum() -> None:
    statements, _ = corpus(1, {"patients": 2, "learning": 2})
    result = themes.find(statements, minimum=5)
    assert result.themes == []
    assert "at least 5" in (result.suppressed or "")


def test_one_statement_per_author() -> None:
    same = [themes.Statement(1, "patients care health"), themes.Statement(1, "climate planet")]
    assert themes.find(same, minimum=1).authors == 1


@pytest.mark.parametrize(
    ("text", "warn"),
    [
        ("Maximise shareholder value through sustained revenue growth.", True),
        ("Grow market share and profit every quarter.", True),
        ("Be the best company in our industry.", True),  # names nobody helped
        ("Help small businesses get paid on time so their families can plan.", False),
        ("Every patient leaves healthier than they arrived.", False),
        (
            "Help every student find work they love; a profitable school lets us reach more "
            "children.",
            False,
        ),
    ],
)
def test_authenticity_worked_examples(text: str, warn: bool) -> None:
    advice = authenticity.check(text)
    assert advice.warn is warn, advice.reasons
    assert advice.reasons


def test_authenticity_says_which_words() -> None:
    advice = authenticity.check("Maximise shareholder value and revenue.")
    assert advice.money == ["revenue", "shareholder", "shareholder value"]
    assert "nobody the work helps" in advice.reasons[0]
