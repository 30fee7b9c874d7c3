"""What the benchmarks share: a throwaway data directory, Django, and a median timer."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable


def setup_django() -> None:
    """Django on a throwaway data directory (unless AMPWORK_DATA_DIR or a database URL is
    set), migrated, with one kept connection so that queries can be counted."""
    os.environ.setdefault("AMPWORK_DATA_DIR", tempfile.mkdtemp(prefix="ampwork-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ampwork.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # as Django's test runner does: keep one connection across requests
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000
