from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MasteryConfig(AppConfig):
    name = "ampwork.mastery"
    label = "mastery"
    verbose_name = "Mastery made visible"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.views import HOME_PANELS
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, rules
        from .models import (
            Feedback,
            FeedbackRequest,
            GrowthArea,
            Recognition,
            ReminderSent,
            Reply,
            Review,
            Skill,
            SkillRating,
        )

        rules.install()
        for model in (
            Review,
            Reply,
            Skill,
            SkillRating,
            GrowthArea,
            FeedbackRequest,
            Feedback,
            Recognition,
            ReminderSent,
        ):
            backup.register(model, _scoped(model))
        if _home_review not in HOME_PANELS:
            HOME_PANELS.insert(0, _home_review)  # above the purpose: it asks for action
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _scoped(model: Any) -> Any:
    return lambda ids: model.objects.filter(organisation_id__in=ids)


def _home_review(actor: Any) -> dict[str, Any] | None:
    """The home page says whether this week's review is written."""
    from django.utils import timezone

    from . import selectors

    if actor.person is None:
        return None
    week = selectors.week_of(timezone.localdate())
    return {
        "template": "mastery/_home.html",
        "week": week,
        "review": selectors.review_of_week(actor.person, week, with_replies=True),
        "school": actor.organisation.is_school,
    }
