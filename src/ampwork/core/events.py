"""Domain events for integrations: an app's service says what happened with
:func:`publish`, in its transaction; the listeners (``ampwork.integrations`` registers its
webhook fan-out from its ``AppConfig.ready()``, ``ampwork.notifications`` its notification
centre) hear it once that transaction commits — never for a write that was rolled back.
Core's code knows no listener by name.

``data`` is plain JSON (ids, numbers, short codes, dates as ISO text) and carries only
what the organisation's admins may see: the publishing service leaves out private
objectives, pulse answers and a review's text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

Listener = Callable[[int, str, dict[str, Any]], object]
_LISTENERS: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def publish(organisation_id: int, event_type: str, data: dict[str, Any]) -> None:
    """Tell the listeners about ``event_type`` once the open transaction commits."""
    if not _LISTENERS:
        return

    def tell() -> None:
        for listener in list(_LISTENERS):
            listener(organisation_id, event_type, data)

    # robust: a listener that fails (its error is logged by Django) never fails the write
    # that was committed already, nor the request that made it
    transaction.on_commit(tell, robust=True)
