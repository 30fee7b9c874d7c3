from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class PurposeConfig(AppConfig):
    name = "ampwork.purpose"
    label = "purpose"
    verbose_name = "Purpose"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, rules
        from .models import (
            Draft,
            DraftComment,
            Endorsement,
            ImpactStory,
            PublishedPurpose,
            PurposeLink,
            PurposeSettings,
            Statement,
        )

        rules.install()
        for model in (
            PurposeSettings,
            Draft,
            PublishedPurpose,
            Statement,
            ImpactStory,
            PurposeLink,
        ):
            backup.register(model, _scoped(model))
        for child in (DraftComment, Endorsement):
            backup.register(child, _by_draft(child))
        from ampwork.core.views import HOME_PANELS

        if _home_story not in HOME_PANELS:
            HOME_PANELS.append(_home_story)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _scoped(model: Any) -> Any:
    return lambda ids: model.objects.filter(organisation_id__in=ids)


def _by_draft(model: Any) -> Any:
    return lambda ids: model.objects.filter(draft__organisation_id__in=ids)


def _home_story(actor: Any) -> dict[str, Any] | None:
    """The home page shows the purpose and the most recent impact story."""
    from . import selectors

    story = selectors.stories(actor).first()
    versions = selectors.published(actor)
    if story is None and not versions:
        return None
    return {
        "template": "purpose/_home.html",
        "story": story,
        "purpose": versions[0] if versions else None,
    }
