from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ampwork.notifications"
    label = "notifications"
    verbose_name = "Notifications: the bell, its page and each person's choices"

    def ready(self) -> None:
        from ampwork.core import backup, events
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, rules, services
        from .models import Notification, Preference, QuietHours

        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        rules.install()
        for model in (Notification, Preference, QuietHours):
            backup.register(model, backup.organisation_scoped(model))
        events.listen(services.hear)
