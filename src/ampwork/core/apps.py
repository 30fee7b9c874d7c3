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
        backup.register(Team, lambda ids: Team.objects.filter(organisation_id__in=ids))
        backup.register(Person, lambda ids: Person.objects.filter(organisation_id__in=ids))
        backup.register(
            TeamMembership, lambda ids: TeamMembership.objects.filter(organisation_id__in=ids)
        )
        backup.register(ApiToken, lambda ids: ApiToken.objects.filter(organisation_id__in=ids))
        backup.register(AuditEvent, lambda ids: AuditEvent.objects.filter(organisation_id__in=ids))
