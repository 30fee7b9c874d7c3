"""Who may roster a school.

- ``roster.import``: head teachers (the admin role). A roster sets who is a teacher and
  who a student, as only an admin may (``people.change_role``), and the importers of
  people and teams are staff only; a school has no people ops, so: its head teachers.
"""

from __future__ import annotations

from ampwork.core.permissions import ADMIN_ONLY, register


def install() -> None:
    register("roster.import", ADMIN_ONLY)
