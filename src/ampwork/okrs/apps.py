from __future__ import annotations

from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "ampwork.okrs"
    label = "okrs"
    verbose_name = "OKRs and check-ins"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core import services as core_services
        from ampwork.core.imports import register_importer
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, rules
        from .imports import import_okrs
        from .models import CheckIn, Cycle, KeyResult, Milestone, Objective, ObjectiveLink
        from .services.objectives import team_holds_objectives, team_objectives_removed

        rules.install()
        core_services.register_team_owned(team_objectives_removed, team_holds_objectives)
        register_importer("okrs", import_okrs)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        for model in (Cycle, Objective, ObjectiveLink, KeyResult, CheckIn):
            backup.register(model, backup.organisation_scoped(model))
        backup.register(
            Milestone, lambda ids: Milestone.objects.filter(key_result__organisation_id__in=ids)
        )
