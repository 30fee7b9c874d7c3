"""Who may do what in the demo: registered in the core permission table at start-up.

- Everyone signed in reads their own mail in the demo's outbox (what ``ampwork demo``
  kept instead of sending), one-time links included, and nobody else's: an admin reading
  everyone's would see who has not answered a pulse and could answer as anyone.
"""

from __future__ import annotations

from ampwork.core.permissions import ALL_ROLES, register


def install() -> None:
    register("demo.outbox.view", ALL_ROLES)
