from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ampwork.notifications"
    label = "notifications"
    verbose_name = "Notifications: the bell, its page and each person's choices"

    def ready(self) -> None:
        from ampwork.core import backup, events
        from ampwork.demo.services import DEMO_STEPS
        from ampwork.pulse import services as pulse_services

        from . import demo, rules, services
        from .models import Notification, Preference, QuietHours

        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        rules.install()
        for model in (Notification, Preference, QuietHours):
            backup.register(model, backup.organisation_scoped(model))
        events.listen(services.hear)
        # a retention purge that forgets who was asked to a pulse forgets the notices too
        if services.forget_pulses not in pulse_services.FORGETTERS:
            pulse_services.FORGETTERS.append(services.forget_pulses)
