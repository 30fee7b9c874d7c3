from __future__ import annotations

from django.apps import AppConfig


class MasteryConfig(AppConfig):
    name = "ampwork.mastery"
    label = "mastery"
    verbose_name = "Mastery made visible"

    def ready(self) -> None:
        from ampwork.classroom import retention_services
        from ampwork.core import backup
        from ampwork.core.panels import add_home_panel
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, panels, rules, selectors, services
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
        # a school's retention policy purges leavers' reflections (classroom asks; mastery
        # sits above it, so it plugs its kind in)
        retention_services.add_kind(
            retention_services.Kind(
                "Reflections (weekly reviews, with their replies)",
                selectors.reflection_count,
                services.purge_reflections,
            )
        )
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
            backup.register(model, backup.organisation_scoped(model))
        # above the purpose: it asks for action
        add_home_panel(panels.this_weeks_review, first=True)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
