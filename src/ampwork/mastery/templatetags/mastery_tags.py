"""Template filters of the mastery pages."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext_lazy

from ampwork.core.words import label

register = template.Library()

# Where a week sits on the challenge/skill map (flow.py); the word itself stays the CSS class.
QUADRANTS = {
    "flow": pgettext_lazy("flow map", "flow"),
    "anxiety": pgettext_lazy("flow map", "anxiety"),
    "boredom": pgettext_lazy("flow map", "boredom"),
    "apathy": pgettext_lazy("flow map", "apathy"),
    "neutral": pgettext_lazy("flow map", "neutral"),
    "mixed": pgettext_lazy("flow map", "mixed"),
}

# A timeline event's kind (selectors/timeline.py); the kind itself stays the CSS class.
EVENT_KINDS = {
    "win": pgettext_lazy("timeline", "win"),
    "feedback": pgettext_lazy("timeline", "feedback"),
    "recognition": pgettext_lazy("timeline", "recognition"),
    "achieved": pgettext_lazy("timeline", "achieved"),
    "skill": pgettext_lazy("timeline", "skill"),
    "autonomy": pgettext_lazy("timeline", "autonomy"),
}


@register.filter
def quadrant(value: str | None) -> str:
    """'flow' → 'Flow' in German; any other word as it is."""
    return label(QUADRANTS, value)


@register.filter
def event_kind(value: str | None) -> str:
    """A timeline event's kind in the reader's language."""
    return label(EVENT_KINDS, value)
