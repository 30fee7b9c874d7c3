"""Round results per group, with the anonymity rules applied. Pure: no ORM, no Django.

Every caller — pages, API, CSV export — gets results only from here, so suppressed groups
come back as ``{"suppressed": True, "reason": …}`` and never with numbers, everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import anonymity, scoring
from .instrument import SUBSCALES, Item


@dataclass(frozen=True)
class ResponseData:
    group: int  # the reporting group (a team id, or anonymity.ROOT)
    answers: Mapping[str, int]
    enps: int | None = None
    comment: str = ""


def by_group(
    responses: Sequence[ResponseData], parents: Mapping[int, int | None]
) -> dict[int, list[ResponseData]]:
    """Each response in its reporting group and every group above it: one pass."""
    out: dict[int, list[ResponseData]] = defaultdict(list)
    for response in responses:
        group = response.group if response.group in parents else anonymity.ROOT
        seen: set[int] = set()
        while group not in seen:
            seen.add(group)
            out[group].append(response)
            if group == anonymity.ROOT:
                break
            group = parents.get(group) or anonymity.ROOT
    return out


def compute(
    responses: Sequence[ResponseData],
    items: Sequence[Item],
    parents: Mapping[int, int | None],
    minimum: int,
    invited: Mapping[int, int] | None = None,
) -> dict[int, dict[str, Any]]:
    direct: dict[int, int] = defaultdict(int)
    for r in responses:
        direct[r.group if r.group in parents else anonymity.ROOT] += 1
    decisions = anonymity.decide(parents, direct, minimum)
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
            if anonymity.comments_allowed(decision, minimum)
            else None,
        }
    return out


def reliability(
    responses: Sequence[ResponseData], items: Sequence[Item]
) -> dict[str, scoring.Reliability]:
    """Cronbach's α per subscale (of two items or more) over the whole round."""
    subscales: dict[str, dict[str, bool]] = defaultdict(dict)
    for item in items:
        subscales[item.subscale][item.code] = item.reverse
    answers = [r.answers for r in responses]
    return {
        code: scoring.cronbach_alpha(answers, codes)
        for code, codes in subscales.items()
        if len(codes) >= 2
    }
