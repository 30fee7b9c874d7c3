"""Round results per group, with the anonymity rules applied. Pure: no ORM, no Django.

Every caller — pages, API, CSV export — gets results only from here, so suppressed groups
come back as ``{"suppressed": True, "reason": …}`` and never with numbers, everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import anonymity, scoring, translations
from .instrument import SUBSCALES, Item


@dataclass(frozen=True)
class ResponseData:
    group: int  # the reporting group (a team id, or anonymity.ROOT)
    answers: Mapping[str, int]
    enps: int | None = None
    comment: str = ""
    language: str = ""  # opened from its seal ("": before languages were; read as the source)


def by_group(
    responses: Sequence[ResponseData], parents: Mapping[int, int | None]
) -> dict[int, list[ResponseData]]:
    """Each response in its reporting group and every group above it: one pass."""
    out: dict[int, list[ResponseData]] = defaultdict(list)
    for response in responses:
        group = _home(response, parents)
        seen: set[int] = set()
        while group not in seen:
            seen.add(group)
            out[group].append(response)
            if group == anonymity.ROOT:
                break
            group = parents.get(group) or anonymity.ROOT
    return out


def _home(response: ResponseData, parents: Mapping[int, int | None]) -> int:
    """The group a response reports to (the organisation if its team is gone)."""
    return response.group if response.group in parents else anonymity.ROOT


def _decisions(
    responses: Sequence[ResponseData], parents: Mapping[int, int | None], minimum: int
) -> tuple[dict[int, anonymity.Decision], set[int]]:
    """Which groups' scores may be shown, and which groups' comments."""
    direct: dict[int, int] = defaultdict(int)
    for r in responses:
        direct[_home(r, parents)] += 1
    return (
        anonymity.decide(parents, direct, minimum),
        anonymity.comments_shown(parents, direct, minimum),
    )


def compute_reference(
    responses: Sequence[ResponseData],
    items: Sequence[Item],
    parents: Mapping[int, int | None],
    minimum: int,
    invited: Mapping[int, int] | None = None,
) -> dict[int, dict[str, Any]]:
    """The plain, obviously-right version: each group's responses scored one by one.
    ``compute`` must give the same results (tested); this one is kept as its reference."""
    decisions, with_comments = _decisions(responses, parents, minimum)
    grouped = by_group(responses, parents)
    invited_totals = anonymity.totals(parents, invited) if invited else {}
    subscales: dict[str, dict[str, bool]] = defaultdict(dict)
    for item in items:
        subscales[item.subscale][item.code] = item.reverse
    out: dict[int, dict[str, Any]] = {}
    for group, decision in decisions.items():
        if not decision.shown:
            out[group] = {"group": group, "suppressed": True, "reason": decision.reason}
            continue
        members = grouped.get(group, [])
        answers = [r.answers for r in members]
        scores = {}
        for code, codes in subscales.items():
            result = scoring.subscale(answers, codes)
            scores[code] = {
                "label": SUBSCALES.get(code, code),
                "mean": result.mean,
                "favourable": result.favourable,
                "distribution": result.distribution,
                "answers": result.answers,
            }
        out[group] = {
            "group": group,
            "suppressed": False,
            "n": decision.n,
            "participation": (
                decision.n / invited_totals[group] if invited_totals.get(group) else None
            ),
            "subscales": scores,
            "enps": scoring.enps([r.enps for r in members if r.enps is not None]),
            "comments": sorted(r.comment for r in members if r.comment)
            if group in with_comments
            else None,
        }
    return out


def reliability(
    responses: Sequence[ResponseData],
    items: Sequence[Item],
    matrix: np.ndarray | None = None,
    minimum: int = anonymity.FLOOR,
) -> dict[str, scoring.Reliability]:
    """Cronbach's α per subscale (of two items or more) over the whole round, only when
    the round has at least the minimum number of responses and only for subscales that at
    least the minimum answered in full (α and the item-total correlations are computed
    over those): nothing for a round or subscale under it."""
    minimum = anonymity.effective_minimum(minimum)
    if len(responses) < minimum:
        return {}
    matrix = matrix_of(responses, items) if matrix is None else matrix
    columns: dict[str, list[int]] = defaultdict(list)
    for j, item in enumerate(items):
        columns[item.subscale].append(j)
    out = {}
    for code, cols in columns.items():
        if len(cols) < 2:
            continue
        block = matrix[:, cols]
        if int((~np.isnan(block).any(axis=1)).sum()) >= minimum:
            out[code] = scoring.cronbach_alpha_matrix(block, [items[j].code for j in cols])
    return out


def changes(
    before: Sequence[ResponseData],
    before_items: Sequence[Item],
    after: Sequence[ResponseData],
    after_items: Sequence[Item],
    *,
    minimum: int,
    populations: tuple[int | None, int | None] = (None, None),
) -> dict[str, scoring.Change]:
    """The change of each subscale's favourable share over the whole round, from one round
    to the next, tested respondent by respondent (``scoring.change_in_favourable``);
    ``populations`` are the numbers of people invited to each round (None: unknown)."""

    def by_subscale(items: Sequence[Item]) -> dict[str, dict[str, bool]]:
        out: dict[str, dict[str, bool]] = defaultdict(dict)
        for item in items:
            out[item.subscale][item.code] = item.reverse
        return out

    old, new = by_subscale(before_items), by_subscale(after_items)
    out: dict[str, scoring.Change] = {}
    for code, codes in new.items():
        if code not in old:
            continue
        one = scoring.favourable_counts([r.answers for r in before], old[code])
        two = scoring.favourable_counts([r.answers for r in after], codes)
        if one and two:
            out[code] = scoring.change_in_favourable(
                one, two, minimum=anonymity.effective_minimum(minimum), populations=populations
            )
    return out


def matrix_of(responses: Sequence[ResponseData], items: Sequence[Item]) -> np.ndarray:
    """Responses × items, scored (reverse-keyed items turned round), NaN where unanswered."""
    codes = [item.code for item in items]
    matrix = np.array(
        [[r.answers.get(c, np.nan) for c in codes] for r in responses], dtype=float
    ).reshape(len(responses), len(codes))
    reverse = np.array([item.reverse for item in items], dtype=bool)
    if reverse.any():
        matrix[:, reverse] = 6 - matrix[:, reverse]
    return matrix


def compute(
    responses: Sequence[ResponseData],
    items: Sequence[Item],
    parents: Mapping[int, int | None],
    minimum: int,
    invited: Mapping[int, int] | None = None,
    matrix: np.ndarray | None = None,
) -> dict[int, dict[str, Any]]:
    """Results per group in one vectorised pass: the answers become a responses × items
    matrix, and every group's sums are counted with numpy over (response, group) pairs — a
    response paired with its reporting group and each group above it."""
    decisions, with_comments = _decisions(responses, parents, minimum)
    groups = sorted(decisions)
    index = {g: i for i, g in enumerate(groups)}
    size = len(groups)
    parent_index = np.array(
        [-1 if g == anonymity.ROOT else index[parents.get(g) or anonymity.ROOT] for g in groups]
    )
    matrix = matrix_of(responses, items) if matrix is None else matrix
    home = np.array([index[_home(r, parents)] for r in responses], dtype=int)
    pair_response, pair_group = [], []
    ids = np.arange(len(responses))
    current = home.copy()
    while len(current):
        pair_response.append(ids)
        pair_group.append(current)
        step = parent_index[current]
        keep = step >= 0
        ids, current = ids[keep], step[keep]
    responses_of = np.concatenate(pair_response) if pair_response else np.array([], dtype=int)
    group_of = np.concatenate(pair_group) if pair_group else np.array([], dtype=int)

    def per_group(values: np.ndarray) -> np.ndarray:
        return np.bincount(group_of, weights=values[responses_of], minlength=size)

    columns: dict[str, list[int]] = defaultdict(list)
    for j, item in enumerate(items):
        columns[item.subscale].append(j)
    by_subscale: dict[str, dict[str, np.ndarray]] = {}
    for code, cols in columns.items():
        block = matrix[:, cols]
        answered = (~np.isnan(block)).sum(axis=1).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            person_mean = np.where(answered > 0, np.nansum(block, axis=1) / answered, np.nan)
        valid = ~np.isnan(person_mean)
        by_subscale[code] = {
            "mean_sum": per_group(np.where(valid, person_mean, 0.0)),
            "mean_count": per_group(valid.astype(float)),
            "favourable": per_group((block >= 4).sum(axis=1).astype(float)),
            "answers": per_group(answered),
            **{f"v{v}": per_group((block == v).sum(axis=1).astype(float)) for v in scoring.SCALE},
        }
    enps_values = np.array([np.nan if r.enps is None else r.enps for r in responses], dtype=float)
    enps_answered = per_group((~np.isnan(enps_values)).astype(float))
    promoters = per_group((enps_values >= 9).astype(float))
    detractors = per_group((enps_values <= 6).astype(float))
    invited_totals = anonymity.totals(parents, invited) if invited else {}
    out: dict[int, dict[str, Any]] = {}
    for group, decision in decisions.items():
        if not decision.shown:
            out[group] = {"group": group, "suppressed": True, "reason": decision.reason}
            continue
        i = index[group]
        scores = {}
        for code, sums in by_subscale.items():
            answers = int(sums["answers"][i])
            count = sums["mean_count"][i]
            scores[code] = {
                "label": SUBSCALES.get(code, code),
                "mean": float(sums["mean_sum"][i] / count) if count else None,
                "favourable": float(sums["favourable"][i] / answers) if answers else None,
                "distribution": {v: int(sums[f"v{v}"][i]) for v in scoring.SCALE},
                "answers": answers,
            }
        comments = None
        if group in with_comments:
            members = responses_of[group_of == i]
            comments = sorted(responses[k].comment for k in members if responses[k].comment)
        answered_enps = enps_answered[i]
        out[group] = {
            "group": group,
            "suppressed": False,
            "n": decision.n,
            "participation": (
                decision.n / invited_totals[group] if invited_totals.get(group) else None
            ),
            "subscales": scores,
            "enps": float((promoters[i] - detractors[i]) / answered_enps * 100)
            if answered_enps
            else None,
            "comments": comments,
        }
    return out


def language_counts(responses: Sequence[ResponseData]) -> dict[str, int]:
    """Responses per recorded language ("" read as the source, English)."""
    out: dict[str, int] = defaultdict(int)
    for r in responses:
        out[translations.stored(r.language)] += 1
    return dict(out)


def reliability_by_language(
    responses: Sequence[ResponseData],
    items: Sequence[Item],
    languages: Iterable[str],
    matrix: np.ndarray | None = None,
    minimum: int = anonymity.FLOOR,
) -> dict[str, dict[str, scoring.Reliability]]:
    """Cronbach's α per subscale within each language group, by the same rule as
    :func:`reliability` (the group has at least the minimum of responses; a subscale at
    least the minimum answered in full): a subscale missing from a language's dict has
    too few answers in that language to estimate. Only for the languages of a split that
    may be shown (``anonymity.language_split``)."""
    matrix = matrix_of(responses, items) if matrix is None else matrix
    out: dict[str, dict[str, scoring.Reliability]] = {}
    for language in languages:
        rows = [i for i, r in enumerate(responses) if translations.stored(r.language) == language]
        out[language] = reliability(
            [responses[i] for i in rows], items, matrix[rows, :], minimum=minimum
        )
    return out


def validated_on_data(
    reliabilities: Mapping[str, scoring.Reliability], subscales: Iterable[str]
) -> bool:
    """Whether these data show every one of ``subscales`` reliable: an α for each, and each
    at least ``scoring.ACCEPTABLE_ALPHA``. Until then a translation is "translated, not
    yet validated"."""
    codes = list(subscales)
    return bool(codes) and all(
        (found := reliabilities.get(code)) is not None
        and found.alpha is not None
        and found.alpha >= scoring.ACCEPTABLE_ALPHA
        for code in codes
    )
