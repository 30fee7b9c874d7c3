from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ampwork.core"
    label = "core"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import backup, middleware, summaries, throttle  # noqa: F401  (throttle: the lockout audit signal)
        from .models import (
            ApiToken,
            AuditEvent,
            Organisation,
            Person,
            ScimToken,
            SignInInvite,
            Team,
            TeamMembership,
            User,
        )

        backup.register(User, lambda ids: User.objects.filter(people__organisation_id__in=ids))
        backup.register(Organisation, lambda ids: Organisation.objects.filter(pk__in=ids))
        for model in (Team, Person, TeamMembership, ApiToken, ScimToken, AuditEvent, SignInInvite):
            backup.register(model, backup.organisation_scoped(model))
        # every write is noted as a data version for the organisation-wide summaries
        connection_created.connect(summaries.install, dispatch_uid="ampwork-summaries")
        post_migrate.connect(summaries.migrated, dispatch_uid="ampwork-summaries")
        # a session's "last seen" is stamped at sign-in (core.middleware.UserSessionsMiddleware)
        user_logged_in.connect(middleware.seen_at_sign_in, dispatch_uid="ampwork-seen")
        # a second factor added ends the account's other sessions (core.services.sessions)
        from allauth.mfa.signals import authenticator_added

        from .services.sessions import end_other_sessions

        authenticator_added.connect(end_other_sessions, dispatch_uid="ampwork-mfa-added")
