from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "ampwork.pulse"
    # The one name kept from before the app was called pulse: the label names its tables
    # (surveys_round, ...), its migration history and the model labels in backup files
    # ("surveys.round"), so existing databases and exports stay as they are
    # (docs/architecture.md, "Names").
    label = "surveys"
    verbose_name = "Pulse"

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.services import ANONYMITY_LOCKS
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, rules
        from .models import Invitation, PooledAnswer, Question, ReportingGroup, Response, Round

        rules.install()
        backup.register(Round, lambda ids: Round.objects.filter(organisation_id__in=ids))
        for model in (Question, ReportingGroup, Invitation):
            backup.register(model, _by_round(model))
        # pooled answers are never exported: they are written into responses first, all
        # of a round's in one shuffled batch (docs/privacy.md)
        backup.register(PooledAnswer, _settled_pool)
        backup.register(Response, _by_round(Response))
        if _open_round_lock not in ANONYMITY_LOCKS:
            ANONYMITY_LOCKS.append(_open_round_lock)
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)


def _by_round(model: Any) -> Any:
    return lambda ids: model.objects.filter(round__organisation_id__in=ids)


def _settled_pool(ids: list[int]) -> Any:
    from . import services
    from .models import PooledAnswer

    services.settle_organisations(ids)
    return PooledAnswer.objects.none()


def _open_round_lock(org: Any) -> str | None:
    from .models import Round

    if Round.objects.filter(organisation=org, status=Round.Status.OPEN).exists():
        from django.utils.translation import gettext

        return gettext("a pulse is open: the minimum is locked until it closes")
    return None
