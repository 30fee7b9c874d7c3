"""A cycle's objectives read as columns, for the pages that judge a whole cycle (the
alignment tree, the cycle dashboard): their stored numbers as numpy arrays in one query
(:func:`read_table`), each objective's title and owner only for those a page shows
(:class:`RowLoader`), each objective's result built only when read
(:class:`LazyResults`). The maths: :mod:`ampwork.okrs.columns`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any, overload

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, IntegerField, QuerySet, Value, When

from ampwork.core import selectors as core_selectors

from .. import columns, progress
from ..models import Objective
from .evaluation import ROW_LOOKUPS, Exacts, ObjectiveRow, _from_stored, _pending

# the numbers of every objective, one row each (floats: NaN where the database has NULL)
_ID, _PERSON, _TEAM, _PROGRESS, _JUDGED, _LOWEST, _PENDING, _ACTIVE, _SILENT = range(9)

# at most this many ids in one ``pk IN (…)``; more read the whole scope (SQLite's limit on
# a statement's parameters is 32,766)
_IN_AT_MOST = 5_000


class RowLoader:
    """The objectives' rows (:class:`~.evaluation.ObjectiveRow`: title, owner, …) read by
    id, in batches, only for those a page shows; one query a batch."""

    def __init__(self, scope: QuerySet[Objective], start: dt.date, end: dt.date) -> None:
        self._scope = scope
        self._window = (start, end)
        self._rows: dict[int, ObjectiveRow] = {}
        self._wanted: list[int] = []

    def want(self, ids: Sequence[int]) -> None:
        """Read these too with the next batch."""
        self._wanted += ids

    def load(self, ids: Sequence[int]) -> None:
        wanted, self._wanted = self._wanted, []
        missing = [pk for pk in [*ids, *wanted] if pk not in self._rows]
        if not missing:
            return
        query = self._scope if len(missing) > _IN_AT_MOST else self._scope.filter(pk__in=missing)
        for v in query.order_by().values_list(*ROW_LOOKUPS):
            self._rows[v[0]] = ObjectiveRow._make((v[0], *self._window, *v[2:], v[1]))

    def row(self, pk: int) -> ObjectiveRow:
        if pk not in self._rows:
            self.load([pk])
        return self._rows[pk]


class LazyRows(Sequence[ObjectiveRow]):
    """A list of objectives' rows whose length is known at once and whose rows are read
    (by :class:`RowLoader`) when first iterated — or before, in a batch with the others a
    page shows (:func:`ampwork.okrs.selectors.alignment.open_branches`). ``ids`` is a list,
    or a function giving it (worked out when first needed) with ``size`` its length."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        loader: RowLoader,
        ids: list[int] | Callable[[], list[int]],
        size: int | None = None,
    ) -> None:
        self.loader = loader
        self._ids = ids
        self._size = size

    @property
    def ids(self) -> list[int]:
        if callable(self._ids):
            self._ids = self._ids()
        return self._ids

    def __len__(self) -> int:
        return self._size if self._size is not None else len(self.ids)

    @overload
    def __getitem__(self, index: int) -> ObjectiveRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ObjectiveRow]: ...
    def __getitem__(self, index: int | slice) -> ObjectiveRow | list[ObjectiveRow]:
        if isinstance(index, slice):
            return list(self)[index]
        return self.loader.row(self.ids[index])

    def __iter__(self) -> Iterator[ObjectiveRow]:
        self.loader.load(self.ids)
        return iter([self.loader.row(pk) for pk in self.ids])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyRows | list | tuple):
            return list(self) == list(other)
        return NotImplemented


class Groups:
    """A table's objectives grouped by an owner column (a person's or a team's id; NaN: not
    one's): each group's ids in id order, and its size, without a list per group."""

    def __init__(self, ids: np.ndarray, owner: np.ndarray) -> None:
        where = np.flatnonzero(~np.isnan(owner))
        keys = owner[where].astype(np.int64)
        order = np.argsort(keys, kind="stable")
        self._ids = ids[where[order]]
        found, starts, counts = np.unique(keys[order], return_index=True, return_counts=True)
        places = zip(starts.tolist(), counts.tolist(), strict=True)
        self._at = dict(zip(found.tolist(), places, strict=True))

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def keys(self) -> list[int]:
        return list(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def size(self, key: int) -> int:
        at = self._at.get(key)
        return at[1] if at is not None else 0

    def ids(self, key: int) -> list[int]:
        at = self._at.get(key)
        if at is None:
            return []
        start, count = at
        return list(self._ids[start : start + count].tolist())

    def rows(self, loader: RowLoader, key: int) -> LazyRows:
        return LazyRows(loader, partial(self.ids, key), self.size(key))


@dataclass
class CycleTable:
    """A set of objectives of one cycle as columns, in the order of their ids, judged today.

    ``shown`` (progress) and ``judged`` are what each objective's result shows and is
    judged on (NaN: not judged, not started), ``codes`` its pacing
    (:data:`columns.STATUSES`); ``person`` or ``team`` its owner (neither: the
    organisation)."""

    ids: np.ndarray
    person: np.ndarray  # owning person's id (NaN: not a person's)
    team: np.ndarray  # owning team's id (NaN: not a team's)
    shown: np.ndarray  # progress
    judged: np.ndarray
    lowest: np.ndarray  # as stored; NaN: no key result
    active: np.ndarray
    # silent since ``read_table``'s ``silent_by`` or before (stored ``silent_since``; all
    # False when not asked)
    silent: np.ndarray
    codes: np.ndarray
    pending: dict[int, progress.ObjectiveResult]  # evaluated from inputs: not settled today
    exacts: Exacts
    pace: progress.Pace
    expected: progress.Explained
    rows: RowLoader
    today: dt.date

    def judged_exact(self, index: int) -> Fraction:
        """Objective ``index``'s judged value, exactly."""
        pk = int(self.ids[index])
        found = self.pending.get(pk)
        if found is not None:
            assert found.judged is not None
            return found.judged.exact()
        return self.exacts.of(pk, 1)

    def results(self) -> LazyResults:
        return LazyResults(self)


def _flag(**when: Any) -> Case:
    return Case(When(**when, then=Value(1)), default=Value(0), output_field=IntegerField())


def read_table(
    scope: QuerySet[Objective],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    silent_by: dt.date | None = None,
) -> CycleTable:
    """The objectives of ``scope`` (all of one cycle, from ``start`` to ``end``) as a
    :class:`CycleTable`: one query, plus :func:`~.evaluation._pending`'s for those not
    settled today and one for the exact values if a value falls within NEAR of a line.
    With ``silent_by``, ``silent`` flags those whose stored ``silent_since`` is that day
    or earlier (the dashboard's stale key results can only be in those)."""
    flags = [_flag(settles__gt=today), _flag(status=Objective.Status.ACTIVE)]
    if silent_by is not None:
        flags.append(_flag(silent_since__lte=silent_by))
    width = 6 + len(flags)
    query = scope.order_by("id").values_list(
        "id", "owner_person_id", "owner_team_id", "progress", "judged", "lowest", *flags
    )
    # compiled by the ORM, its rows fetched as the driver gives them: plain numbers, no
    # converter per row (Django's iterator was a fifth of the read)
    try:
        sql, params = query.query.get_compiler(using=query.db).as_sql()
    except EmptyResultSet:  # a filter nothing can match (``pk__in=[]``): no query at all
        numbers = []
    else:
        with connections[query.db].cursor() as cursor:
            cursor.execute(sql, params)
            numbers = cursor.fetchall()
    found = (
        np.array(numbers, dtype=np.float64).reshape(-1, width)
        if numbers
        else np.zeros((0, width), dtype=np.float64)
    )
    del numbers
    ids = found[:, _ID].astype(np.int64)
    judged = found[:, _JUDGED].copy()
    progress_of = found[:, _PROGRESS].copy()
    pace = progress.Pace(start, end, today)
    exacts = Exacts(scope)
    waiting = np.flatnonzero(found[:, _PENDING] == 1)
    pending = _pending(ids[waiting].tolist(), today) if len(waiting) else {}
    for index in waiting.tolist():
        result = pending[int(ids[index])]
        progress_of[index] = result.progress.value
        judged[index] = result.judged.value if result.judged is not None else np.nan
    on, off = pace.lines
    codes, undecided = columns.pacing_codes(judged, on, off, pace.before)
    for index in np.flatnonzero(undecided).tolist():
        pk = int(ids[index])
        if pk in pending:
            continue
        value = progress.Explained(float(judged[index]), "judged", partial(exacts.of, pk, 1))
        codes[index] = columns.CODE[pace.status(value)]
    for index in waiting.tolist():
        codes[index] = columns.CODE[pending[int(ids[index])].pacing]
    return CycleTable(
        ids=ids,
        person=found[:, _PERSON],
        team=found[:, _TEAM],
        shown=progress_of,
        judged=judged,
        lowest=found[:, _LOWEST],
        active=found[:, _ACTIVE] == 1,
        silent=(
            found[:, _SILENT] == 1 if silent_by is not None else np.zeros(len(ids), dtype=bool)
        ),
        codes=codes,
        pending=pending,
        exacts=exacts,
        pace=pace,
        expected=pace.explained(),
        rows=RowLoader(scope, start, end),
        today=today,
    )


class LazyResults(Mapping[int, progress.ObjectiveResult]):
    """Each objective's :class:`~ampwork.okrs.progress.ObjectiveResult`, built when first
    read (a page shows a few hundred of a cycle's objectives) from its row, exactly as
    :func:`~.evaluation.results_of` builds it."""

    def __init__(self, table: CycleTable) -> None:
        self._table = table
        self._ids = set(table.ids.tolist())
        self._built: dict[int, progress.ObjectiveResult] = {}

    def __getitem__(self, pk: int) -> progress.ObjectiveResult:
        found = self._built.get(pk)
        if found is not None:
            return found
        if pk not in self._ids:
            raise KeyError(pk)
        table = self._table
        found = table.pending.get(pk)
        if found is None:
            row = table.rows.row(pk)
            found = _from_stored(row, table.exacts, table.pace, table.expected)
        self._built[pk] = found
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._table.ids.tolist())

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class Teams:
    """Each team's objectives, each once (``objectives_by_team``'s rule), as index pairs
    into a :class:`CycleTable`: ``team`` (an index into ``order``, the teams' ids in the
    tree's order) and ``objective``, sorted by team and then by objective id."""

    order: list[int]
    team: np.ndarray
    objective: np.ndarray

    @property
    def size(self) -> int:
        return len(self.order)


def team_incidence(
    tree: list[core_selectors.TeamOutline],
    members: Mapping[int, Sequence[int]],
    table: CycleTable,
    root: int | None,
) -> Teams:
    """:func:`ampwork.okrs.selectors.alignment.objectives_by_team` over the table's arrays:
    a team holds the objectives it owns, its active members' and those of the teams inside
    it, each once; ``root`` (the team that is the organisation) also the organisation's own."""
    nodes = core_selectors.flatten(tree)
    index = {node.team.pk: i for i, node in enumerate(nodes)}
    parents = [index.get(node.team.parent_id or -1, -1) for node in nodes]
    ancestors = columns.ancestors_matrix(parents)
    # owner keys: 0 the organisation, then the teams (1 …), then the people
    person_ids = np.unique(table.person[~np.isnan(table.person)]).astype(np.int64)
    people = {p: len(nodes) + 1 + i for i, p in enumerate(person_ids.tolist())}
    keys = 1 + len(nodes) + len(people)
    objective_keys = np.zeros(len(table.ids), dtype=np.int64)
    is_person = ~np.isnan(table.person)
    objective_keys[is_person] = (
        len(nodes) + 1 + np.searchsorted(person_ids, table.person[is_person].astype(np.int64))
    )
    is_team = ~np.isnan(table.team)
    team_ids = np.array([node.team.pk for node in nodes], dtype=np.int64)
    order = np.argsort(team_ids)
    owned = table.team[is_team].astype(np.int64)
    at = np.searchsorted(team_ids, owned, sorter=order) if len(team_ids) else owned * 0
    at = np.minimum(at, max(len(team_ids) - 1, 0))
    known = (team_ids[order[at]] == owned) if len(team_ids) else np.zeros(len(owned), bool)
    team_keys = np.full(len(owned), keys, dtype=np.int64)  # a team outside the tree: no key
    team_keys[known] = 1 + order[at[known]]
    objective_keys[is_team] = team_keys
    # where each key sits
    places: list[tuple[int, int]] = [(i, 1 + i) for i in range(len(nodes))]
    for i, node in enumerate(nodes):
        for person in members.get(node.team.pk, ()):
            key = people.get(person)
            if key is not None:
                places.append((i, key))
    if root is not None and root in index:
        places.append((index[root], 0))
    place = np.array(places, dtype=np.int64).reshape(-1, 2)
    team, objective = columns.team_incidence(
        ancestors, keys + 1, place[:, 0], place[:, 1], objective_keys
    )
    return Teams([node.team.pk for node in nodes], team, objective)
