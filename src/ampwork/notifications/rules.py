"""Who may do what with notifications: registered in the core permission table at start-up.

- Everyone with a person in the organisation reads, marks and chooses their own
  notifications, and nobody else's (whatever their role: an admin cannot read another's).
"""

from __future__ import annotations

from typing import Any

from ampwork.core.permissions import Actor, is_self, register


def _own(actor: Actor, person: Any) -> bool:
    return is_self(actor, person)


def install() -> None:
    register("notifications.own", frozenset(), _own)
