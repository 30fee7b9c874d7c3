from __future__ import annotations

from django.apps import AppConfig


class FairnessConfig(AppConfig):
    name = "ampwork.fairness"
    label = "fairness"
    verbose_name = "Baseline fairness: the pay audit"
