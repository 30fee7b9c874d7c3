"""Who may do what in the demo: registered in the core permission table at start-up.

- Admins (head teachers) read the demo's outbox: the mail sent to their organisation's
  people while ``ampwork demo`` runs, one-time links included. Nobody else does.
"""

from __future__ import annotations

from ampwork.core.permissions import ADMIN_ONLY, register


def install() -> None:
    register("demo.outbox", ADMIN_ONLY)
