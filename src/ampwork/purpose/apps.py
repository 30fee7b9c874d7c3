from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class PurposeConfig(AppConfig):
    name = "ampwork.purpose"
    label = "purpose"
    verbose_name = "Purpose"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.permissions import ADMIN_ONLY, register
        from ampwork.demo.services import DEMO_STEPS

        from . import demo
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

        register("purpose.manage", ADMIN_ONLY)
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
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _scoped(model: Any) -> Any:
    return lambda ids: model.objects.filter(organisation_id__in=ids)


def _by_draft(model: Any) -> Any:
    return lambda ids: model.objects.filter(draft__organisation_id__in=ids)
