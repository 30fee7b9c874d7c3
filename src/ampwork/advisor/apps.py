from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class AdvisorConfig(AppConfig):
    name = "ampwork.advisor"
    label = "advisor"
    verbose_name = "The advisor"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.views import HOME_PANELS
        from ampwork.demo.services import DEMO_STEPS

        from . import dashboards, demo, rules
        from .models import Acknowledgement, DigestSent, Incentive, StyleAssessment, Tick

        rules.install()
        for model in (Tick, Incentive, StyleAssessment, Acknowledgement, DigestSent):
            backup.register(model, _scoped(model))
        # the role's dashboard comes first on the home page
        if dashboards.home_panel not in HOME_PANELS:
            HOME_PANELS.insert(0, dashboards.home_panel)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _scoped(model: Any) -> Any:
    return lambda ids: model.objects.filter(organisation_id__in=ids)
