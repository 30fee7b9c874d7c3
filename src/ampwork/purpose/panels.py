"""The purpose app's panel on the home page (registered in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from ampwork.core.permissions import Actor

from . import selectors


def purpose_and_latest_story(actor: Actor) -> dict[str, Any] | None:
    """The home page shows the purpose and the most recent impact story."""
    story = selectors.stories(actor).first()
    versions = selectors.published(actor)
    if story is None and not versions:
        return None
    return {
        "template": "purpose/_home.html",
        "story": story,
        "purpose": versions[0] if versions else None,
    }
