"""What the benchmarks share: a throwaway data directory, Django, and a median timer."""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


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


def median_ms(
    fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times) * 1000


def add_clock_and_reuse(parser: argparse.ArgumentParser) -> None:
    """The options the scale benchmarks share: ``--cpu`` (see :func:`cpu_clock`) and
    ``--reuse`` (the data of an earlier run)."""
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time CPU (this process: with SQLite, the database too; with a local PostgreSQL, "
        "plus its backend's) rather than wall clock: steadier on a shared machine",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with AMPWORK_DATA_DIR (or a database URL) of an earlier run: skip generating",
    )


def cpu_clock(connection: Any) -> Callable[[], float]:
    """CPU time of this process (with SQLite: the database's work too) and, with a local
    PostgreSQL, of its backend (its /proc/PID/schedstat, in nanoseconds), with parallel
    query off so that the backend does all the database's work: steadier than the wall
    clock on a shared machine."""
    if connection.vendor != "postgresql":
        return time.process_time
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    path = f"/proc/{pid}/schedstat"

    def clock() -> float:
        with open(path) as stat:
            backend = int(stat.read().split()[0]) / 1e9
        return time.process_time() + backend

    clock()  # fails here if the server is not local
    return clock
