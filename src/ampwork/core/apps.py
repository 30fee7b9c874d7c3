from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ampwork.core"
    label = "core"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from . import backup, throttle  # noqa: F401  (throttle: the lockout audit signal)
        from .models import ApiToken, AuditEvent, Organisation, Person, Team, TeamMembership, User

        backup.register(User, lambda ids: User.objects.filter(people__organisation_id__in=ids))
        backup.register(Organisation, lambda ids: Organisation.objects.filter(pk__in=ids))
        for model in (Team, Person, TeamMembership, ApiToken, AuditEvent):
            backup.register(model, backup.organisation_scoped(model))
