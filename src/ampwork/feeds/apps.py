from __future__ import annotations

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "ampwork.feeds"
    label = "feeds"
    verbose_name = "Calendar feeds"
