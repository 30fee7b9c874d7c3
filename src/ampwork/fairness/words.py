"""The pay data's own values as people read them: the compared groups' categories (the
gender column holds "male", "female", … as imported) and the regression's controls. A value
ampwork does not know (an organisation's own category or factor) is shown as written."""

from __future__ import annotations

from ampwork.core.words import label, pgettext_lazy

GROUPS = {
    "male": pgettext_lazy("gender group", "male"),
    "female": pgettext_lazy("gender group", "female"),
    "nonbinary": pgettext_lazy("gender group", "nonbinary"),
}

CONTROLS = {
    "role": pgettext_lazy("pay factor", "role"),
    "level": pgettext_lazy("pay factor", "level"),
    "location": pgettext_lazy("pay factor", "location"),
    "tenure": pgettext_lazy("pay factor", "tenure"),
    "performance": pgettext_lazy("pay factor", "performance"),
}


def group_label(value: str | None) -> str:
    """'female' → 'Frauen' in German; an organisation's own category as it is."""
    return label(GROUPS, value)


def control_label(value: str | None) -> str:
    """'tenure' → 'Betriebszugehörigkeit' in German; a custom factor's name as it is."""
    return label(CONTROLS, value)
