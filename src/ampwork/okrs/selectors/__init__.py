"""Reads for OKRs, one module per sub-domain; every public name is re-exported here, so
callers write ``from ampwork.okrs import selectors`` and ``selectors.evaluate(...)``.

Each function runs a fixed number of queries whatever the size of the organisation; the
maths runs in :mod:`ampwork.okrs.progress` over plain values.
"""

from .alignment import (
    Alignment,
    Branch,
    alignment,
)
from .checkins import (
    my_check_in,
)
from .cycles import (
    current_cycle,
    cycles,
    get_cycle,
)
from .dashboard import (
    STATUSES,
    Dashboard,
    TeamRow,
    dashboard,
    owner_warnings,
)
from .detail import (
    Detail,
    objective_detail,
)
from .evaluation import (
    KR_VALUES,
    ObjectiveRow,
    State,
    evaluate,
    kr_input_row,
    milestones_of,
)
from .facts import (
    CycleRef,
    KeyResultFact,
    KeyResultRef,
    ObjectiveFact,
    ObjectiveOwner,
    ObjectivePace,
    ObjectiveTitle,
    OwnedKeyResult,
    active_pacing,
    authorship,
    check_in_days,
    current_active_owners,
    current_visible_titles,
    cycle_key_results,
    last_closed_scores,
    my_key_results,
    objectives_and_key_results,
    open_objective_titles,
    owned_key_results,
    started_open_cycle,
)
from .visibility import (
    get_key_result,
    get_objective,
    hide_unseen,
    may_see,
    only_visible,
    open_objectives_of,
    referenced,
    referenced_many,
    seen_links,
    visible_objectives,
)

__all__ = [
    "KR_VALUES",
    "STATUSES",
    "Alignment",
    "Branch",
    "CycleRef",
    "Dashboard",
    "Detail",
    "KeyResultFact",
    "KeyResultRef",
    "ObjectiveFact",
    "ObjectiveOwner",
    "ObjectivePace",
    "ObjectiveRow",
    "ObjectiveTitle",
    "OwnedKeyResult",
    "State",
    "TeamRow",
    "active_pacing",
    "alignment",
    "authorship",
    "check_in_days",
    "current_active_owners",
    "current_cycle",
    "current_visible_titles",
    "cycle_key_results",
    "cycles",
    "dashboard",
    "evaluate",
    "get_cycle",
    "get_key_result",
    "get_objective",
    "hide_unseen",
    "kr_input_row",
    "last_closed_scores",
    "may_see",
    "milestones_of",
    "my_check_in",
    "my_key_results",
    "objective_detail",
    "objectives_and_key_results",
    "only_visible",
    "open_objective_titles",
    "open_objectives_of",
    "owned_key_results",
    "owner_warnings",
    "referenced",
    "referenced_many",
    "seen_links",
    "started_open_cycle",
    "visible_objectives",
]
