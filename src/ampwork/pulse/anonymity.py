"""Which groups' results may be shown. Pure: no ORM, no Django.

Groups form a tree: the organisation at the root, each team with its sub-teams inside it.
A response counts in its reporting group and in every group above it.

1. A group with fewer responses than the minimum (default 5, never below 3) is suppressed.
   Its reason never gives the count, only that it is under the minimum.
2. Differencing: subtracting shown groups from a shown group that contains them must never
   leave a non-empty remainder smaller than the minimum. For each shown group, the
   remainder after removing its largest shown sub-groups (its "frontier") is checked; if it
   is 1 to minimum − 1, the smallest frontier group is suppressed too, and the check runs
   again until nothing changes. This is enough: any remainder a reader could form is then
   a sum of such remainders, each 0 or at least the minimum (docs/methods.md).
3. Languages (a response records the language it was answered in): a round's answers are
   split by language only when every language group and the rest of the round beside it
   reach the minimum (:func:`language_split`), so nobody subtracts a small language group.
4. Comments follow the same two rules with the comment minimum (ten, or the minimum if
   higher), and only in groups whose scores are shown. Any subset of a set of groups
   that passes rule 2 passes it too, so the intersection is safe against subtraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ROOT = 0  # the organisation
FLOOR = 3  # the minimum is never below this
COMMENT_MINIMUM = 10


@dataclass(frozen=True)
class Decision:
    group: int
    n: int
    shown: bool
    reason: str = ""


def totals(parents: Mapping[int, int | None], direct: Mapping[int, int]) -> dict[int, int]:
    """Responses in each group including every group inside it."""
    children = _children(parents)
    out: dict[int, int] = {}

    below: list[int] = []  # every group, each before the groups inside it
    stack = [ROOT]
    while stack:
        group = stack.pop()
        below.append(group)
        stack.extend(children[group])
    for group in reversed(below):  # the groups inside first
        out[group] = direct.get(group, 0) + sum(out[c] for c in children[group])
    return out


def within(parents: Mapping[int, int | None], roots: Iterable[int]) -> set[int]:
    """The groups ``roots`` and every group inside them."""
    children = _children(parents)
    out: set[int] = set()
    stack = list(roots)
    while stack:
        group = stack.pop()
        if group not in out:
            out.add(group)
            stack.extend(children.get(group, []))
    return out


def _children(parents: Mapping[int, int | None]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for group, parent in parents.items():
        if group != ROOT:
            children[ROOT if parent is None else parent].append(group)
    for kids in children.values():
        kids.sort()
    return children


def decide(
    parents: Mapping[int, int | None], direct: Mapping[int, int], minimum: int
) -> dict[int, Decision]:
    """``parents`` maps each team to its parent team (None: directly under the
    organisation); ``direct`` counts the responses reported to each group itself. A
    minimum under 3 is taken as 3."""
    minimum = effective_minimum(minimum)
    children = _children(parents)
    n = totals(parents, direct)
    shown = {g: count >= minimum for g, count in n.items()}
    reasons = {g: f"fewer than {minimum} responses" for g, count in n.items() if count < minimum}

    def frontier(group: int) -> list[int]:
        out: list[int] = []
        stack = list(children[group])
        while stack:
            g = stack.pop()
            if shown[g]:
                out.append(g)
            else:
                stack.extend(children[g])
        return out

    changed = True
    while changed:
        changed = False
        for group in sorted(n, key=lambda g: (-n[g], g)):  # outermost first
            if not shown[group]:
                continue
            inner = frontier(group)
            rest = n[group] - sum(n[g] for g in inner)
            if 0 < rest < minimum and inner:
                victim = min(inner, key=lambda g: (n[g], g))
                shown[victim] = False
                reasons[victim] = (
                    f"hidden so that it cannot be worked out by subtraction: "
                    f"the rest of its parent group would be fewer than "
                    f"{minimum} people"
                )
                changed = True
    return {g: Decision(g, n[g], shown[g], reasons.get(g, "")) for g in n}


def effective_minimum(minimum: int) -> int:
    return max(minimum, FLOOR)


def coarsened(
    parents: Mapping[int, int | None], audience: Mapping[int, int], minimum: int
) -> dict[int, int]:
    """Where to store each group's answers: the group itself, or its nearest enclosing
    group whose audience (those invited to it and to the groups inside it) reaches the
    minimum — the organisation if none does. A group whose audience is under the minimum
    can never have enough responses to be shown, nor can any group inside it, so storing
    its answers one level up changes no result, and a response no longer names a team of
    one or two people."""
    floor = effective_minimum(minimum)
    reach = totals(parents, audience)
    out: dict[int, int] = {ROOT: ROOT}
    for group in parents:
        at: int | None = group
        seen: set[int] = set()
        while at is not None and at != ROOT and reach.get(at, 0) < floor and at not in seen:
            seen.add(at)
            at = parents.get(at)
        out[group] = ROOT if at is None or at in seen else at
    return out


def comment_minimum(minimum: int) -> int:
    """Comments need at least ten responses, or the minimum if it is higher."""
    return max(COMMENT_MINIMUM, effective_minimum(minimum))


def comments_shown(
    parents: Mapping[int, int | None], direct: Mapping[int, int], minimum: int
) -> set[int]:
    """The groups whose comments may be shown: their scores are shown, and the
    differencing rule holds for comments at the comment minimum, so that no group's
    comments can be worked out by subtracting one shown comment set from another."""
    scores = decide(parents, direct, minimum)
    comments = decide(parents, direct, comment_minimum(minimum))
    return {g for g, d in comments.items() if d.shown and scores[g].shown}


def language_split(counts: Mapping[str, int], minimum: int) -> dict[str, int] | None:
    """A shown group's responses by language (``counts``: language -> responses), or None
    when the split may not be shown: it is shown only when there are two languages or more
    and each language group has at least the minimum AND so does the rest of the group
    beside it — never a split that lets a reader subtract a small language group from the
    whole (one German answer among five English ones is neither counted nor named). The
    caller checks first that the group itself is shown (:func:`decide`)."""
    floor = effective_minimum(minimum)
    present = {language: n for language, n in counts.items() if n > 0}
    total = sum(present.values())
    if len(present) < 2:
        return None
    for n in present.values():
        rest = total - n
        if n < floor or 0 < rest < floor:
            return None
    return dict(sorted(present.items(), key=lambda kv: (-kv[1], kv[0])))
