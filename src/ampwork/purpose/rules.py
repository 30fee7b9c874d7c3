"""Who may do what with the purpose: registered in the core permission table at start-up.

- Admins publish the shared purpose and set the question everyone answers; in a school,
  head teachers and teachers do.
"""

from __future__ import annotations

from ampwork.core.permissions import ADMIN_ONLY, TEACHERS, register


def install() -> None:
    register("purpose.manage", ADMIN_ONLY, school=TEACHERS)
