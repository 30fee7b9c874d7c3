from __future__ import annotations

from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "ampwork.classroom"
    label = "classroom"
    verbose_name = "Classroom"

    def ready(self) -> None:
        from ampwork.core import backup, imports

        from . import rules, services
        from .models import Guardian, GuardianOf, RosterRecord

        rules.install()
        for model in (RosterRecord, Guardian, GuardianOf):
            backup.register(model, backup.organisation_scoped(model))
        imports.register_bundle_importer("oneroster", services.import_roster_path)
