"""Walking up a tree of rows (reporting lines, teams inside teams) to refuse a loop."""

from __future__ import annotations

from typing import Any

from ampwork.core.models import Organisation


def walks_into(
    model: Any, org: Organisation, start_id: int, field: str, target: int | None
) -> bool | None:
    """Walk up ``field`` links from ``start_id``. None when ``start_id`` is not in ``org``;
    otherwise whether the walk meets ``target`` (a loop)."""
    first = model.objects.filter(organisation=org, pk=start_id).values_list(field, flat=True)
    if not first.exists():
        return None
    current: int | None = start_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        if current == target:
            return True
        seen.add(current)
        current = model.objects.filter(pk=current).values_list(field, flat=True).first()
    return False
