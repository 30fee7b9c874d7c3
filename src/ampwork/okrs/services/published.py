"""What the OKR services tell integrations (``core.events``): objectives, key results and
check-ins that the whole organisation may see — a private objective, its key results and
their check-ins are never published."""

from __future__ import annotations

from typing import Any

from ampwork.core.events import publish
from ampwork.okrs.models import CheckIn, Cycle, KeyResult, Objective


def _open(objective: Objective) -> bool:
    return objective.visibility != Objective.Visibility.PRIVATE


def objective_data(objective: Objective) -> dict[str, Any]:
    return {
        "objective_id": objective.pk,
        "cycle_id": objective.cycle_id,
        "title": objective.title,
        "owner_kind": objective.owner_kind,
        "owner_person_id": objective.owner_person_id,
        "owner_team_id": objective.owner_team_id,
        "kind": objective.kind,
        "status": objective.status,
    }


def objective(event_type: str, found: Objective) -> None:
    if _open(found):
        publish(found.organisation_id, event_type, objective_data(found))


def made_private(found: Objective) -> None:
    """An objective the organisation saw was made private: receivers are told only its id,
    so they can take down what they showed of it (its title, its key results)."""
    publish(
        found.organisation_id,
        "objective.updated",
        {"objective_id": found.pk, "visibility": Objective.Visibility.PRIVATE.value},
    )


def key_result(event_type: str, found: KeyResult) -> None:
    if _open(found.objective):
        publish(
            found.organisation_id,
            event_type,
            {
                "key_result_id": found.pk,
                "objective_id": found.objective_id,
                "title": found.title,
                "kind": found.kind,
                "start": found.start,
                "target": found.target,
                "current": found.current,
                "unit": found.unit,
            },
        )


def check_in(entry: CheckIn, found: KeyResult) -> None:
    if _open(found.objective):
        publish(
            entry.organisation_id,
            "check_in.created",
            {
                "check_in_id": entry.pk,
                "key_result_id": found.pk,
                "objective_id": found.objective_id,
                "value": entry.value,
                "done": entry.done,
                "confidence": entry.confidence,
                "note": entry.note,
                "date": entry.date.isoformat(),
                "author_id": entry.author_id,
            },
        )


def cycle_closed(cycle: Cycle) -> None:
    publish(
        cycle.organisation_id,
        "cycle.closed",
        {
            "cycle_id": cycle.pk,
            "name": cycle.name,
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
        },
    )
