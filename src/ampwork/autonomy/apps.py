from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutonomyConfig(AppConfig):
    name = "ampwork.autonomy"
    label = "autonomy"
    verbose_name = _("Autonomy over the four Ts")

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, permissions
        from .models import (
            Decision,
            Kudos,
            LedgerEntry,
            Project,
            Proposal,
            ShipItEvent,
            TimeLog,
            TimePolicy,
        )

        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        permissions.install()
        for model in (
            LedgerEntry,
            Decision,
            TimePolicy,
            Project,
            TimeLog,
            ShipItEvent,
            Proposal,
            Kudos,
        ):
            backup.register(model, backup.organisation_scoped(model))
