from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "ampwork.conversations"
    label = "conversations"
    verbose_name = "1:1s"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, rules
        from .models import ActionItem, Meeting, OneOnOne, PrivateNote, TalkingPoint

        rules.install()
        for model in (OneOnOne, Meeting, TalkingPoint, ActionItem):
            backup.register(model, backup.organisation_scoped(model))
        # private notes are their author's alone: never in an export (docs/privacy.md)
        backup.register(PrivateNote, _no_private_notes)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _no_private_notes(ids: list[int]) -> Any:
    from .models import PrivateNote

    return PrivateNote.objects.none()
