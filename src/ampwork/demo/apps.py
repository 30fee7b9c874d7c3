from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ampwork.demo"
    label = "demo"
    verbose_name = "Demo and synthetic organisations"

    def ready(self) -> None:
        from . import rules

        rules.install()
