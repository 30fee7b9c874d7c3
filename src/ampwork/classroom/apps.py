from __future__ import annotations

from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "ampwork.classroom"
    label = "classroom"
    verbose_name = "Classroom"

    def ready(self) -> None:
        from ampwork.core import backup, imports
        from ampwork.pulse import services as pulse_services

        from . import consent_services, privacy_selectors, rules, services
        from .models import (
            ClassSetting,
            ConsentPolicy,
            Guardian,
            GuardianOf,
            PulseConsent,
            RosterRecord,
        )

        rules.install()
        # a student pulse touching a protected area opens only as the consent policy says
        if consent_services.gate not in pulse_services.GATES:
            pulse_services.GATES.append(consent_services.gate)
        # a class's age band picks the wording of the AMP Pulse its students read
        if privacy_selectors.wording not in pulse_services.WORDINGS:
            pulse_services.WORDINGS.append(privacy_selectors.wording)
        for model in (
            RosterRecord,
            Guardian,
            GuardianOf,
            ConsentPolicy,
            PulseConsent,
            ClassSetting,
        ):
            backup.register(model, backup.organisation_scoped(model))
        imports.register_bundle_importer("oneroster", services.import_roster_path)
