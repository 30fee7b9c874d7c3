from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorConfig(AppConfig):
    name = "ampwork.advisor"
    label = "advisor"
    verbose_name = _("The advisor")

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.panels import add_home_panel
        from ampwork.demo.services import DEMO_STEPS

        from . import dashboards, demo, rules
        from .models import Acknowledgement, DigestSent, Incentive, StyleAssessment, Tick

        rules.install()
        for model in (Tick, Incentive, StyleAssessment, Acknowledgement, DigestSent):
            backup.register(model, backup.organisation_scoped(model))
        # the role's dashboard comes first on the home page
        add_home_panel(dashboards.home_panel, first=True)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
