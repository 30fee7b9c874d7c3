from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MasteryConfig(AppConfig):
    name = "ampwork.mastery"
    label = "mastery"
    verbose_name = "Mastery made visible"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.permissions import ADMIN_ONLY, STAFF, register
        from ampwork.core.views import HOME_PANELS
        from ampwork.demo.services import DEMO_STEPS

        from . import demo
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

        register("reviews.view", ADMIN_ONLY, _self_or_coach)
        register("reviews.reply", ADMIN_ONLY, _coach)
        register("skills.define", STAFF, _teacher)
        register("skills.rate", ADMIN_ONLY, _self_or_coach)
        register("mastery.team", ADMIN_ONLY, _leads_team)
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


def _coach(actor: Any, person: Any) -> bool:
    """A person's managers (up the line) and the leads of their teams — never themselves."""
    from ampwork.core import selectors
    from ampwork.core.models import Person

    me = actor.person
    if me is None or not isinstance(person, Person) or person.pk == me.pk:
        return False
    return selectors.coaches(me, person.pk)


def _self_or_coach(actor: Any, person: Any) -> bool:
    me = actor.person
    if me is not None and type(person).__name__ == "Person" and person.pk == me.pk:
        return True
    return _coach(actor, person)


def _teacher(actor: Any, obj: Any) -> bool:
    """In a school, teachers name the skills their classes grow."""
    from ampwork.core.models import Role

    return bool(actor.organisation.is_school and actor.role == Role.MANAGER)


def _leads_team(actor: Any, team: Any) -> bool:
    from ampwork.core import selectors
    from ampwork.core.models import Team

    return (
        actor.person is not None
        and isinstance(team, Team)
        and team.pk in selectors.led_teams(actor.person)
    )


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
