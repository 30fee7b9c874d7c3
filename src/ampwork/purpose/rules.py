"""Who may do what with the purpose: registered in the core permission table at start-up.

- Admins publish the shared purpose and set the question everyone answers; in a school,
  head teachers and teachers do.
- ``purpose.shared_by_default``: whose statement is counted in the themes unless they keep
  it private — everyone's, but in a school only staff's: a student's (an under-18's) is
  private until they choose to share it (high-privacy defaults).
"""

from __future__ import annotations

from ampwork.core.permissions import ADMIN_ONLY, ALL_ROLES, TEACHERS, register


def install() -> None:
    register("purpose.manage", ADMIN_ONLY, school=TEACHERS)
    register("purpose.shared_by_default", ALL_ROLES, school=TEACHERS)
