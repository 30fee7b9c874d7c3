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
        from .models import (
            ActionItem,
            FeedbackAnswer,
            FeedbackAsked,
            FeedbackRequest360,
            Meeting,
            OneOnOne,
            PooledUpwardAnswer,
            PrivateNote,
            TalkingPoint,
            UpwardAnswer,
        )

        rules.install()
        for model in (
            OneOnOne,
            Meeting,
            TalkingPoint,
            ActionItem,
            FeedbackRequest360,
            FeedbackAsked,
        ):
            backup.register(model, backup.organisation_scoped(model))
        # private notes are their author's alone: never in an export (docs/privacy.md)
        backup.register(PrivateNote, _no_private_notes)
        # feedback answers leave in an export only once their receiver shared them with
        # their manager; upward ones only as a shared whole, and never with an author
        backup.register(FeedbackAnswer, _shared_answers)
        backup.register(UpwardAnswer, _shared_upward_answers)
        # answers still pooled (sealed, the request open) are shown to nobody yet
        backup.register(PooledUpwardAnswer, _nothing_pooled)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _no_private_notes(ids: list[int]) -> Any:
    from .models import PrivateNote

    return PrivateNote.objects.none()


def _nothing_pooled(ids: list[int]) -> Any:
    from .models import PooledUpwardAnswer

    return PooledUpwardAnswer.objects.none()


def _shared_answers(ids: list[int]) -> Any:
    from .models import FeedbackAnswer

    return FeedbackAnswer.objects.filter(organisation_id__in=ids, shared=True)


def _shared_upward_answers(ids: list[int]) -> Any:
    from .models import UpwardAnswer

    return UpwardAnswer.objects.filter(organisation_id__in=ids, request__shared=True)
