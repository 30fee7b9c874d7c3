"""Who may do what with pay: registered in the core permission table at start-up.

- People ops and admins read and edit pay data and run the audit. (One's own pay is
  shown to the person themselves by ``fairness.selectors``.)
"""

from __future__ import annotations

from ampwork.core.permissions import STAFF, register


def install() -> None:
    register("fairness.view", STAFF)
    register("fairness.edit", STAFF)
