from __future__ import annotations

from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "ampwork.classroom"
    label = "classroom"
    verbose_name = "Classroom"

    def ready(self) -> None:
        from ampwork.core import backup, imports
        from ampwork.core.models import User
        from ampwork.core.views import shared
        from ampwork.demo.services import DEMO_STEPS
        from ampwork.pulse import services as pulse_services

        from . import consent_services, demo, family_selectors, rules, services
        from .models import (
            ConsentPolicy,
            FamilySharing,
            Goal,
            GoalSettings,
            Guardian,
            GuardianInvite,
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
            GuardianInvite,
            FamilySharing,
        ):
            backup.register(model, backup.organisation_scoped(model))
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        # a guardian's sign-in is no person of the school: its account goes with the export
        backup.widen(User, lambda ids: User.objects.filter(guardianships__organisation_id__in=ids))
        # a guardian signs in to their family page, and to nothing else
        if family_selectors.home_of not in shared.ELSEWHERE:
            shared.ELSEWHERE.append(family_selectors.home_of)
        imports.register_bundle_importer("oneroster", services.import_roster_path)
