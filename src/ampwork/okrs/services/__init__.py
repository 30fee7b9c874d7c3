"""Writes for the OKR app, one module per sub-domain.

- ``cycles``: opening a cycle, changing its name or dates; a school's terms from its roster
- ``objectives``: creating, changing and deleting objectives (and who may own one)
- ``alignment``: linking an objective under a parent, without loops
- ``key_results``: creating and changing key results
- ``check_ins``: recording progress on a key result
- ``assignment``: one objective for every member of a team
- ``closing``: closing a cycle — final scores, retrospective, carrying objectives on
- ``derived``: keeping the stored progress, roll-ups and scores current (every write above
  calls it)

Callers use ``from ampwork.okrs import services`` and ``services.create_objective(...)``.
"""

from . import derived
from .alignment import link, unlink
from .assignment import assign_template
from .check_ins import check_in, checkin_field_name
from .closing import close_cycle
from .cycles import TermCycle, create_cycle, roster_cycles, update_cycle
from .key_results import KR_FIELDS, create_key_result, update_key_result
from .objectives import OBJECTIVE_FIELDS, create_objective, delete_objective, update_objective

__all__ = [
    "KR_FIELDS",
    "OBJECTIVE_FIELDS",
    "TermCycle",
    "assign_template",
    "check_in",
    "checkin_field_name",
    "close_cycle",
    "create_cycle",
    "create_key_result",
    "create_objective",
    "delete_objective",
    "derived",
    "link",
    "roster_cycles",
    "unlink",
    "update_cycle",
    "update_key_result",
    "update_objective",
]
