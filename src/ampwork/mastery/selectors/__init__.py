"""Reads for mastery, one module per sub-domain: reviews and who may see them, a person's
timeline and charts' data, Goldilocks calibration, the team review page, the skills matrix,
feedback, recognition, and who is due a reminder or a digest. Fixed query counts.

Every public name is re-exported here: callers write ``from ampwork.mastery import selectors``.
"""

from .calibration import (
    CycleAttainment,
    attainment,
    calibrations,
    flows,
    kr_facts,
)
from .digests import (
    Digest,
    DigestLine,
    coaching,
    digests,
    due_reviews,
)
from .feedback import (
    FEED_AUDIENCES,
    FEED_OPENERS,
    FeedbackPage,
    colleagues,
    feed_closed,
    feedback_page,
    kept_from,
    recognition_feed,
    visible_feedback,
)
from .portfolio import (
    SharedFeedback,
    SharedReview,
    SharedWithFamily,
    shared_with_family,
)
from .reviews import (
    get_person,
    get_review,
    latest_reviews,
    may_see_reviews,
    reflection_count,
    replies_of,
    review_of_week,
    reviews_written,
    unanswered_reviews,
    visible_reviews,
)
from .skills import (
    Matrix,
    SkillHistory,
    get_skill,
    growth_areas,
    skill_count,
    skill_histories,
    skill_names,
    skills,
    skills_matrix,
)
from .team import (
    TeamReviews,
    TeamRow,
    team_reviews,
)
from .timeline import (
    Event,
    timeline,
)
from .weeks import (
    FLOW_WEEKS,
    week_of,
    weeks_back,
)

__all__ = [
    "FEED_AUDIENCES",
    "FEED_OPENERS",
    "FLOW_WEEKS",
    "CycleAttainment",
    "Digest",
    "DigestLine",
    "Event",
    "FeedbackPage",
    "Matrix",
    "SharedFeedback",
    "SharedReview",
    "SharedWithFamily",
    "SkillHistory",
    "TeamReviews",
    "TeamRow",
    "attainment",
    "calibrations",
    "coaching",
    "colleagues",
    "digests",
    "due_reviews",
    "feed_closed",
    "feedback_page",
    "flows",
    "get_person",
    "get_review",
    "get_skill",
    "growth_areas",
    "kept_from",
    "kr_facts",
    "latest_reviews",
    "may_see_reviews",
    "recognition_feed",
    "reflection_count",
    "replies_of",
    "review_of_week",
    "reviews_written",
    "shared_with_family",
    "skill_count",
    "skill_histories",
    "skill_names",
    "skills",
    "skills_matrix",
    "team_reviews",
    "timeline",
    "unanswered_reviews",
    "visible_feedback",
    "visible_reviews",
    "week_of",
    "weeks_back",
]
