from __future__ import annotations

from functools import partial

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairnessConfig(AppConfig):
    name = "ampwork.fairness"
    label = "fairness"
    verbose_name = _("Baseline fairness: the pay audit")

    def ready(self) -> None:
        from ampwork.core import backup
        from ampwork.core.imports import register_importer
        from ampwork.demo.services import DEMO_STEPS

        from . import demo, rules
        from .models import (
            AuditRun,
            CompensationRecord,
            CurrencyRate,
            FairnessSettings,
            MarketBenchmark,
            PayAttribute,
            PayBand,
        )
        from .services import COLUMNS, import_pay

        rules.install()
        for model in (
            FairnessSettings,
            CurrencyRate,
            PayBand,
            MarketBenchmark,
            CompensationRecord,
            PayAttribute,
            AuditRun,
        ):
            backup.register(model, backup.organisation_scoped(model))
        for kind in COLUMNS:
            register_importer(kind, partial(import_pay, kind=kind))
        if demo.seed not in DEMO_STEPS:
            DEMO_STEPS.append(demo.seed)
