from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class PurposeConfig(AppConfig):
    name = "ampwork.purpose"
    label = "purpose"
    verbose_name = "Purpose"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.panels import add_home_panel
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, panels, rules
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
            backup.register(model, backup.organisation_scoped(model))
        for child in (DraftComment, Endorsement):
            backup.register(child, _by_draft(child))
        add_home_panel(panels.purpose_and_latest_story)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _by_draft(model: Any) -> Any:
    return lambda ids: model.objects.filter(draft__organisation_id__in=ids)
