from __future__ import annotations

from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "ampwork.classroom"
    label = "classroom"
    verbose_name = "Classroom"

    def ready(self) -> None:
        from ampwork.core import backup, imports
        from ampwork.demo.services import DEMO_STEPS
        from ampwork.pulse import services as pulse_services

        from . import consent_services, demo, rules, services
        from .models import (
            ConsentPolicy,
            Goal,
            GoalSettings,
            Guardian,
            GuardianOf,
            PulseConsent,
            RosterRecord,
        )

        rules.install()
        # a student pulse touching a protected area opens only as the consent policy says
        if consent_services.gate not in pulse_services.GATES:
            pulse_services.GATES.append(consent_services.gate)
        for model in (
            RosterRecord,
            Guardian,
            GuardianOf,
            ConsentPolicy,
            PulseConsent,
            Goal,
            GoalSettings,
        ):
            backup.register(model, backup.organisation_scoped(model))
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        imports.register_bundle_importer("oneroster", services.import_roster_path)
