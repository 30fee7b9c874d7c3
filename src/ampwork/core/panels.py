"""The home page's panels, added by other apps from their ``AppConfig.ready``.

A panel builder takes the actor and returns a template name and its context (the
``"template"`` key), or None when it has nothing to show (e.g. no impact story yet).
Each app keeps its builders in its own ``panels.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .permissions import Actor

Panel = Callable[[Actor], dict[str, Any] | None]

HOME_PANELS: list[Panel] = []


def add_home_panel(panel: Panel, *, first: bool = False) -> None:
    """Show ``panel`` on the home page: above those added so far when ``first``, else below.
    Adding the same builder twice is a no-op."""
    if panel in HOME_PANELS:
        return
    if first:
        HOME_PANELS.insert(0, panel)
    else:
        HOME_PANELS.append(panel)
