from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class AdvisorConfig(AppConfig):
    name = "ampwork.advisor"
    label = "advisor"
    verbose_name = "The advisor"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.models import Role
        from ampwork.core.permissions import ADMIN_ONLY, STAFF, register
        from ampwork.core.views import HOME_PANELS
        from ampwork.demo.services import DEMO_STEPS

        from . import dashboards, demo
        from .models import Acknowledgement, DigestSent, Incentive, StyleAssessment, Tick

        register("advisor.view", {Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER})
        register("advisor.tick", ADMIN_ONLY, _leads_team)
        register("incentives.edit", STAFF, _teacher)
        for model in (Tick, Incentive, StyleAssessment, Acknowledgement, DigestSent):
            backup.register(model, _scoped(model))
        # the role's dashboard comes first on the home page
        if dashboards.home_panel not in HOME_PANELS:
            HOME_PANELS.insert(0, dashboards.home_panel)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _scoped(model: Any) -> Any:
    return lambda ids: model.objects.filter(organisation_id__in=ids)


def _leads_team(actor: Any, team: Any) -> bool:
    """Team leads (teachers) tick their own team's items."""
    from ampwork.core import selectors
    from ampwork.core.models import Team

    return (
        actor.person is not None
        and isinstance(team, Team)
        and team.pk in selectors.led_teams(actor.person)
    )


def _teacher(actor: Any, obj: Any) -> bool:
    """In a school, teachers record the rewards they promise too (prizes, merits)."""
    from ampwork.core.models import Role

    return bool(actor.organisation.is_school and actor.role == Role.MANAGER)
