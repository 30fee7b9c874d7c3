"""The audit log: every service records what it changed, who changed it and when."""

from __future__ import annotations

from typing import Any

from ampwork.core.models import AuditEvent, Organisation
from ampwork.core.permissions import Actor


def record(
    actor: Actor | None, organisation: Organisation, action: str, target: Any = None, **detail: Any
) -> AuditEvent:
    """Append an audit event. ``detail`` must never hold survey answers."""
    user = actor.user if actor else None
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=user,
        actor_email=actor.label if actor else "system",
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(getattr(target, "pk", "") or ""),
        detail=detail,
    )
