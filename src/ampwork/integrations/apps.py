from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "ampwork.integrations"
    label = "integrations"
    verbose_name = "Integrations: outgoing webhooks"

    def ready(self) -> None:
        from ampwork.core import backup, events, worker

        from . import rules, services
        from .models import Delivery, Endpoint

        rules.install()
        for model in (Endpoint, Delivery):
            backup.register(model, backup.organisation_scoped(model))
        events.listen(services.emit)
        worker.register_sweep(services.sweep)
