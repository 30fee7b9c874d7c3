"""Who may do what with webhooks: registered in the core permission table at start-up.

- Only the organisation's admins (head teachers) see and manage its webhook endpoints,
  their secrets and their deliveries; nobody else, whatever their role.
"""

from __future__ import annotations

from ampwork.core.permissions import ADMIN_ONLY, register


def install() -> None:
    register("webhooks.manage", ADMIN_ONLY)
