from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ampwork.surveys"
    label = "surveys"
    verbose_name = "Pulse surveys"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.permissions import STAFF, register
        from ampwork.core.services import ANONYMITY_LOCKS
        from ampwork.demo.services import DEMO_STEPS

        from . import demo
        from .models import Invitation, Question, Response, Round

        register("pulse.manage", STAFF)
        backup.register(Round, lambda ids: Round.objects.filter(organisation_id__in=ids))
        for model in (Question, Invitation, Response):
            backup.register(model, _by_round(model))
        if _open_round_lock not in ANONYMITY_LOCKS:
            ANONYMITY_LOCKS.append(_open_round_lock)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _by_round(model: Any) -> Any:
    return lambda ids: model.objects.filter(round__organisation_id__in=ids)


def _open_round_lock(org: Any) -> str | None:
    from .models import Round

    if Round.objects.filter(organisation=org, status=Round.Status.OPEN).exists():
        return "a pulse is open: the minimum is locked until it closes"
    return None
