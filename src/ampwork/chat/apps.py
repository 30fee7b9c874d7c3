from __future__ import annotations

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "ampwork.chat"
    label = "chat"
    verbose_name = "Chat: Slack and Microsoft Teams"

    def ready(self) -> None:
        from ampwork.core import backup, events
        from ampwork.notifications import selectors as reach
        from ampwork.notifications import services as notifications

        from . import rules, services
        from .models import ChatAccount, SlackLinkCode, SlackWorkspace, TeamChannel

        rules.install()
        for model in (SlackWorkspace, ChatAccount, TeamChannel, SlackLinkCode):
            backup.register(model, backup.organisation_scoped(model))
        notifications.SENDERS["slack"] = services.send_slack_notes
        notifications.SENDERS["teams"] = services.send_teams_notes
        reach.REACHES["slack"] = lambda person: services.reachable(person)[0]
        reach.REACHES["teams"] = lambda person: services.reachable(person)[1]
        events.listen(services.hear)
