"""The EU and UK reports against the texts (issue 13, items 3 and 4).

EU Directive 2023/970: pay includes complementary and variable components (art. 3(1)(a));
art. 9(1)(a)–(g) asks for the gaps in both and per category of workers; art. 10's 5% rule.
UK Gender Pay Gap Information Regulations 2017 (SI 2017/172): reg 6 (hourly pay counts the
bonus of the period), reg 10 (bonus gaps), reg 13(2) (a rate straddling a quartile boundary
is shared in the same proportion of men and women in each quartile it spans).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.fairness import audit, gate
from ampwork.fairness.audit import Record


def four() -> list[Record]:
    return [
        Record("A", 50_000, variable_pay=10_000, role="R", level="1", group="male"),
        Record("B", 60_000, complementary_pay=2_000, role="R", level="2", group="male"),
        Record("C", 50_000, variable_pay=2_000, role="R", level="1", group="female"),
        Record("D", 60_000, role="R", level="2", group="female"),
    ]


def test_equal_base_with_unequal_bonuses_is_flagged() -> None:
    """The issue's example: before, only base pay was compared and nothing was flagged."""
    records = [
        Record("m", 50_000, variable_pay=10_000, role="R", level="1", group="male"),
        Record("f", 50_000, variable_pay=2_000, role="R", level="1", group="female"),
    ]
    (category,) = audit.categories(records, "male", "female")
    assert category["flag"] is True
    assert category["flag_basic"] is False
    assert category["flag_total"] is True
    assert category["basic_mean_gap"] == 0
    assert category["variable_mean_gap"] == pytest.approx(80)  # (10,000 − 2,000) / 10,000
    assert category["total_mean_gap"] == pytest.approx(8_000 / 60_000 * 100)
    status, reasons = gate.judge(audit.audit(records, "male", "female"))
    assert status == "red"
    assert any("categor" in r for r in reasons)


def test_eu_article_9_measures_worked_example() -> None:
    eu = audit.eu_measures(four(), "male", "female")
    # totals at full time: A 60,000, B 62,000 | C 52,000, D 60,000
    assert eu["a_mean_gap"] == pytest.approx((61_000 - 56_000) / 61_000 * 100)
    assert eu["c_median_gap"] == pytest.approx((61_000 - 56_000) / 61_000 * 100)
    # complementary or variable pay among those who receive some: men 10,000 and 2,000,
    # women 2,000
    assert eu["b_mean_variable_gap"] == pytest.approx((6_000 - 2_000) / 6_000 * 100)
    assert eu["d_median_variable_gap"] == pytest.approx((6_000 - 2_000) / 6_000 * 100)
    assert eu["e_receiving_variable"] == {"male": 1.0, "female": 0.5}
    # quartiles of 1: C | A and D tie on 60,000 across Q2/Q3, half each | B
    assert [(q["male"], q["female"]) for q in eu["f_quartiles"]] == [
        (0.0, 1.0),
        (0.5, 0.5),
        (0.5, 0.5),
        (1.0, 0.0),
    ]
    level_1, level_2 = eu["g_categories"]
    assert (level_1["basic_mean_gap"], level_1["flag_basic"]) == (0, False)
    assert level_1["total_mean_gap"] == pytest.approx(8_000 / 60_000 * 100)
    assert level_1["flag_total"]
    assert level_1["flag"]
    assert level_2["variable_mean_gap"] == pytest.approx(100)  # 2,000 against nothing
    assert level_2["total_mean_gap"] == pytest.approx(2_000 / 62_000 * 100)
    assert not level_2["flag"]


def test_eu_pay_is_at_full_time() -> None:
    """A half-time worker's pay and bonus count at their full-time rate (pay level, art.
    3(1)(b): gross annual pay and the corresponding hourly pay)."""
    records = [
        Record("m", 60_000, variable_pay=6_000, group="male"),
        Record("f", 30_000, variable_pay=3_000, fte=0.5, group="female"),
    ]
    eu = audit.eu_measures(records, "male", "female")
    assert eu["a_mean_gap"] == 0
    assert eu["b_mean_variable_gap"] == 0


def test_uk_hourly_pay_counts_the_bonus_and_bonus_gaps_count_bonus_paid() -> None:
    records = [
        Record("m", 40_000, variable_pay=4_000, group="male"),
        Record("f", 20_000, variable_pay=1_000, fte=0.5, group="female"),
    ]
    uk = audit.uk_measures(records, "male", "female")
    # hourly stand-in: men 44,000; women (20,000 + 1,000) / 0.5 = 42,000 (reg 6)
    assert uk["mean_pay_gap"] == pytest.approx(2_000 / 44_000 * 100)
    # bonus paid, not scaled to full time (reg 10): 4,000 against 1,000
    assert uk["mean_bonus_gap"] == pytest.approx(75)
    assert uk["bonus_share"] == {"male": 1.0, "female": 1.0}


# ---------------------------------------------------------------- quartiles, reg 13(2)


def test_a_rate_straddling_a_boundary_is_shared_in_proportion() -> None:
    """Eight people; four on 30,000 (three women, one man) span Q2 and Q3. Each of those
    quartiles gets two of the four places, filled ¾ by women and ¼ by men. Before, the
    employee ids decided who landed where."""
    pays = [(10_000, "male"), (20_000, "female"), (70_000, "male"), (80_000, "female")]
    pays += [(30_000, "female")] * 3 + [(30_000, "male")]
    records = [Record(f"id{i}", pay, group=g) for i, (pay, g) in enumerate(pays)]
    quartiles = audit.quartiles(records, "male", "female")
    assert [q["n"] for q in quartiles] == [2, 2, 2, 2]
    assert [q["female"] for q in quartiles] == [0.5, 0.75, 0.75, 0.5]
    assert [q["male"] for q in quartiles] == [0.5, 0.25, 0.25, 0.5]


def test_without_ties_quartiles_are_the_plain_ranking() -> None:
    """No shared rates: the same as ranking and cutting into four (numpy's array_split
    gives the first sections the remainder, as here)."""
    rng = np.random.default_rng(3)
    for n in (4, 5, 6, 7, 41):
        pays = rng.choice(np.arange(20_000, 90_000), size=n, replace=False)
        groups = rng.choice(["male", "female"], size=n)
        records = [
            Record(f"e{i}", float(p), group=g)
            for i, (p, g) in enumerate(zip(pays, groups, strict=True))
        ]
        ranked = [records[i] for i in np.argsort(pays)]
        expected = [
            sum(1 for i in part if ranked[i].group == "female") / len(part)
            for part in np.array_split(np.arange(n), 4)
        ]
        assert [q["female"] for q in audit.quartiles(records, "male", "female")] == (
            pytest.approx(expected)
        )


people_strategy = st.lists(
    st.tuples(st.sampled_from([30_000, 30_000.5, 41_000, 41_000, 52_000]), st.booleans()),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(people_strategy, st.randoms(use_true_random=False))
def test_relabelling_or_reordering_never_moves_a_quartile(
    people: list[tuple[float, bool]], random: object
) -> None:
    records = [
        Record(f"e{i:03d}", pay, group="female" if woman else "male")
        for i, (pay, woman) in enumerate(people)
    ]
    before = audit.quartiles(records, "male", "female")
    labels = [f"e{i:03d}" for i in range(len(records))]
    random.shuffle(labels)  # type: ignore[attr-defined]
    relabelled = [
        Record(label, r.base_pay, group=r.group) for label, r in zip(labels, records, strict=True)
    ]
    random.shuffle(relabelled)  # type: ignore[attr-defined]
    assert audit.quartiles(relabelled, "male", "female") == before
    # and everyone is counted exactly once
    women = sum(1 for _, woman in people if woman)
    assert sum(q["female"] * q["n"] for q in before if q["n"]) == pytest.approx(women)
    assert sum(q["n"] for q in before) == len(people)
