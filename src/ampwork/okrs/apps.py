from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "ampwork.okrs"
    label = "okrs"
    verbose_name = "OKRs and check-ins"

    def ready(self) -> None:
        from ampwork.core import backup

        from . import rules
        from .models import CheckIn, Cycle, KeyResult, Milestone, Objective, ObjectiveLink

        rules.install()
        from ampwork.core.imports import register_importer

        from .imports import import_okrs

        register_importer("okrs", import_okrs)
        from ampwork.demo.services import DEMO_STEPS

        from . import demo

        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        for model in (Cycle, Objective, ObjectiveLink, KeyResult, CheckIn):
            backup.register(model, _scoped(model))
        backup.register(
            Milestone, lambda ids: Milestone.objects.filter(key_result__organisation_id__in=ids)
        )


def _scoped(model: Any) -> Any:
    return lambda ids: model.objects.filter(organisation_id__in=ids)
