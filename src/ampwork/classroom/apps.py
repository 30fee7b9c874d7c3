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
        from ampwork.mastery import selectors as mastery_selectors
        from ampwork.pulse import services as pulse_services

        from . import consent_services, demo, family_selectors, privacy_selectors, rules, services
        from .models import (
            ClassCode,
            ClassSetting,
            ConsentPolicy,
            FamilySharing,
            Goal,
            GoalCheckIn,
            GoalSettings,
            Guardian,
            GuardianInvite,
            GuardianOf,
            PulseConsent,
            RosterRecord,
            SchoolPrivacy,
            StudentSecret,
        )

        rules.install()
        # a student pulse touching a protected area opens only as the consent policy says
        if consent_services.gate not in pulse_services.GATES:
            pulse_services.GATES.append(consent_services.gate)
        # a school's student sees the recognition feed once a teacher opened it to them
        if privacy_selectors.recognition_open not in mastery_selectors.FEED_OPENERS:
            mastery_selectors.FEED_OPENERS.append(privacy_selectors.recognition_open)
        # …and reads there only about people whose feed is open too (staff, opened classes)
        if privacy_selectors.recognition_audience not in mastery_selectors.FEED_AUDIENCES:
            mastery_selectors.FEED_AUDIENCES.append(privacy_selectors.recognition_audience)
        # a class's age band picks the wording of the AMP Pulse its students read
        if privacy_selectors.wording not in pulse_services.WORDINGS:
            pulse_services.WORDINGS.append(privacy_selectors.wording)
        for model in (
            RosterRecord,
            Guardian,
            GuardianOf,
            ConsentPolicy,
            PulseConsent,
            Goal,
            GoalCheckIn,
            GoalSettings,
            GuardianInvite,
            FamilySharing,
            ClassSetting,
            SchoolPrivacy,
            ClassCode,
            StudentSecret,
        ):
            backup.register(model, backup.organisation_scoped(model))
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        # a guardian's sign-in is no person of the school: its account goes with the export
        backup.widen(User, lambda ids: User.objects.filter(guardianships__organisation_id__in=ids))
        # a guardian signs in to their family page, and to nothing else
        if family_selectors.home_of not in shared.ELSEWHERE:
            shared.ELSEWHERE.append(family_selectors.home_of)
        # a guardian's account may reset its password (it is nobody's Person)
        from ampwork.core import accounts

        if family_selectors.is_guardian not in accounts.RESET_ALLOWED:
            accounts.RESET_ALLOWED.append(family_selectors.is_guardian)
        imports.register_bundle_importer("oneroster", services.import_roster_path)
