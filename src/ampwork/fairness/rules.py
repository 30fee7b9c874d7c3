"""Who may do what with pay: registered in the core permission table at start-up.

- People ops and admins read and edit pay data and run the audit. (One's own pay is
  shown to the person themselves by ``fairness.selectors``.)
- Under the organisation's two-factor policy, only once they have set up two-factor
  sign-in (``two_factor=True``; ampwork.core.permissions.TWO_FACTOR_ACTIONS).
"""

from __future__ import annotations

from ampwork.core.permissions import STAFF, register


def install() -> None:
    register("fairness.view", STAFF, two_factor=True)
    register("fairness.edit", STAFF, two_factor=True)
