"""Whole cycles as columns: pacing and team roll-ups over numpy arrays. No ORM.

The alignment tree and the cycle dashboard judge every objective of a cycle and every
team above them. An object per objective (its result, its pacing, its place in each team
above it) was most of their time at 10,000 people; here the same rules run over arrays of
the objectives' stored numbers:

- :func:`pacing_codes` is :meth:`ampwork.okrs.progress.Pace.status` for many values at
  once: the same float comparisons, to the bit, for every value more than
  :data:`~ampwork.okrs.progress.NEAR` from both lines; the values nearer a line are
  returned as *undecided*, for the caller to decide exactly (as ``Pace.status`` does);
- :func:`team_incidence` lists, for each team, the objectives in it, each once (those it
  owns, its members' and those of the teams inside it — ``objectives_by_team``'s rule),
  sorted by team and then by objective, so that
- :func:`team_sums` adds each team's values one after the other in the order of the
  objectives' ids, as ``sum()`` over a list does in :func:`ampwork.okrs.progress.team_rollup`:
  the same floats to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .progress import AT_RISK, NEAR, NOT_STARTED, OFF_TRACK, ON_TRACK

# pacing statuses as small integers, in the order the dashboard lists them
ON, RISK, OFF, WAITING = 0, 1, 2, 3
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED)
CODE = {status: code for code, status in enumerate(STATUSES)}

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def pacing_codes(
    judged: Floats, on: float, off: float, before: bool
) -> tuple[npt.NDArray[np.int8], Bools]:
    """Each value's pacing code (:data:`STATUSES`) by ``Pace.status``'s float fast path
    (``on`` and ``off``: :attr:`~ampwork.okrs.progress.Pace.lines`; NaN: nothing judged,
    not started), and which values it leaves undecided (within NEAR of a line): those
    the caller decides exactly. Their code here is :data:`WAITING`."""
    codes = np.full(judged.shape, WAITING, dtype=np.int8)
    if before:  # the cycle has not started: everything is not started
        return codes, np.zeros(judged.shape, dtype=np.bool_)
    started = ~np.isnan(judged)
    with np.errstate(invalid="ignore"):
        to_on = judged - on
        to_off = judged - off
        above = started & (to_on > NEAR)
        below = started & (to_on < -NEAR)
        risk = below & (to_off > NEAR)
        off_track = below & (to_off < -NEAR)
    codes[above] = ON
    codes[risk] = RISK
    codes[off_track] = OFF
    return codes, started & ~(above | risk | off_track)


def ancestors_matrix(parents: Sequence[int]) -> Ints:
    """Each team's ancestors, itself first (``parents[i]``: the index of team i's parent,
    -1 for a root; a parent listed before its children), padded with -1: a teams × depth
    matrix."""
    chains: list[list[int]] = []
    for index, parent in enumerate(parents):
        chains.append([index, *chains[parent]] if parent >= 0 else [index])
    width = max((len(c) for c in chains), default=1)
    out = np.full((len(chains), width), -1, dtype=np.int64)
    for index, chain in enumerate(chains):
        out[index, : len(chain)] = chain
    return out


def team_incidence(
    ancestors: Ints,
    owner_keys: int,
    key_teams: Ints,
    key_of_keys: Ints,
    objective_keys: Ints,
) -> tuple[Ints, Ints]:
    """The objectives in each team, each once: (team, objective) index pairs sorted by team
    and then by objective.

    Every objective has one owner key (a person, a team or the organisation itself). A key
    is inside a team when it sits in one of the teams below (or at) it: ``key_teams[i]``
    holds the team where the key ``key_of_keys[i]`` sits (a person sits in each team they
    are an active member of; a team in itself; the organisation in its root team).
    ``ancestors``: :func:`ancestors_matrix`; ``owner_keys``: how many keys there are
    (the keys are 0 … owner_keys − 1); ``objective_keys``: each objective's key.
    """
    if not len(key_teams) or not len(objective_keys):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    up = ancestors[key_teams]  # places × depth: every team above each place
    pair_team = up.ravel()
    pair_key = np.repeat(key_of_keys, up.shape[1])
    kept = pair_team >= 0
    pairs = np.unique(pair_team[kept] * owner_keys + pair_key[kept])  # each key once a team
    pair_team, pair_key = pairs // owner_keys, pairs % owner_keys
    # each key's objectives, in the order of the objectives (a stable sort by key)
    order = np.argsort(objective_keys, kind="stable")
    counts = np.bincount(objective_keys, minlength=owner_keys)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sizes = counts[pair_key]
    total = int(sizes.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    first = np.repeat(starts[pair_key] - (np.cumsum(sizes) - sizes), sizes)
    objective = order[first + np.arange(total)]
    n = len(objective_keys)
    found = np.sort(np.repeat(pair_team, sizes) * n + objective)
    return found // n, found % n


def team_sums(team: Ints, values: Floats, teams: int) -> tuple[Floats, Ints]:
    """Each team's sum of ``values`` (one per pair of :func:`team_incidence`, NaN left
    out) and how many were added: added one after the other in the pairs' order
    (``np.bincount`` accumulates in its input's order), as ``sum()`` over the team's list."""
    kept = ~np.isnan(values)
    sums = np.bincount(team[kept], weights=values[kept], minlength=teams)
    counts = np.bincount(team[kept], minlength=teams)
    return sums.astype(np.float64), counts.astype(np.int64)


def team_counts(team: Ints, codes: npt.NDArray[np.int8], teams: int) -> Ints:
    """How many objectives of each pacing code each team holds: a teams × 4 matrix."""
    flat = team * len(STATUSES) + codes.astype(np.int64)
    found = np.bincount(flat, minlength=teams * len(STATUSES))
    return found.astype(np.int64).reshape(teams, len(STATUSES))
