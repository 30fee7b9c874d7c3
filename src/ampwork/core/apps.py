from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ampwork.core"
    label = "core"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import backup, summaries, throttle  # noqa: F401  (throttle: the lockout audit signal)
        from .models import (
            ApiToken,
            AuditEvent,
            Organisation,
            Person,
            ScimToken,
            Team,
            TeamMembership,
            User,
        )

        backup.register(User, lambda ids: User.objects.filter(people__organisation_id__in=ids))
        backup.register(Organisation, lambda ids: Organisation.objects.filter(pk__in=ids))
        for model in (Team, Person, TeamMembership, ApiToken, ScimToken, AuditEvent):
            backup.register(model, backup.organisation_scoped(model))
        # every write is noted as a data version for the organisation-wide summaries
        connection_created.connect(summaries.install, dispatch_uid="ampwork-summaries")
        post_migrate.connect(summaries.migrated, dispatch_uid="ampwork-summaries")
