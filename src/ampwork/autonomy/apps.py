from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class AutonomyConfig(AppConfig):
    name = "ampwork.autonomy"
    label = "autonomy"
    verbose_name = "Autonomy over the four Ts"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.models import Role
        from ampwork.core.permissions import ADMIN_ONLY, register
        from ampwork.demo.services import DEMO_STEPS

        from . import demo
        from .models import (
            Decision,
            Kudos,
            LedgerEntry,
            Project,
            Proposal,
            ShipItEvent,
            TimeLog,
            TimePolicy,
        )

        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
        register("autonomy.view", ADMIN_ONLY, _may_view)
        register("autonomy.manage", ADMIN_ONLY, _may_manage)
        # managers (teachers), people ops and admins run ShipIt days
        register("autonomy.shipit", {Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER})
        for model in (
            LedgerEntry,
            Decision,
            TimePolicy,
            Project,
            TimeLog,
            ShipItEvent,
            Proposal,
            Kudos,
        ):
            backup.register(model, _scoped(model))


def _scoped(model: Any) -> Any:
    return lambda ids: model.objects.filter(organisation_id__in=ids)


def _leads(actor: Any, obj: Any) -> bool:
    from ampwork.core import selectors
    from ampwork.core.models import Person, Team

    me = actor.person
    if me is None:
        return False
    if isinstance(obj, Team):
        return obj.pk in selectors.led_teams(me)
    if isinstance(obj, Person):
        return selectors.coaches(me, obj.pk)
    return False


def _may_view(actor: Any, obj: Any) -> bool:
    """A person sees their own ledger; their managers and team leads see it too."""
    me = actor.person
    return (
        me is not None and getattr(obj, "pk", None) == me.pk and type(obj).__name__ == "Person"
    ) or _leads(actor, obj)


def _may_manage(actor: Any, obj: Any) -> bool:
    """Managers and team leads widen others' autonomy — never their own."""
    me = actor.person
    if me is not None and type(obj).__name__ == "Person" and obj.pk == me.pk:
        return False
    return _leads(actor, obj)
