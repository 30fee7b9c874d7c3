"""Who may do what with pulses: registered in the core permission table at start-up.

- Admins and people ops open, close and export pulses and read every group's results
  (each only at or above the anonymity minimum); managers read the teams they lead.
"""

from __future__ import annotations

from ampwork.core.models import Role
from ampwork.core.permissions import STAFF, register


def install() -> None:
    register("pulse.manage", STAFF)
    register("pulse.team_results", {Role.MANAGER})
