"""The background worker: Django's tasks framework (the ``django-tasks`` backport on
Django 5.2) with its database backend (``django-tasks-db``).

Web requests, API calls and cron commands *enqueue* slow work — email, webhook
deliveries — as a row in the database; ``ampwork worker`` (a separate process, or a thread
of ``ampwork demo``) runs it. With ``AMPWORK_TASKS=immediate`` (and in most tests) a task
runs at once where it is enqueued, and nothing can wait for later: a retry is then not
scheduled but only logged.

A failed attempt is retried by enqueueing the task again with ``run_after`` (the library
has no retries of its own), after a wait from ``core/backoff.py``."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import default_task_backend
from django_tasks.base import Task

from ampwork.core.backoff import Backoff
from ampwork.logs import event

log = logging.getLogger(__name__)


def defers() -> bool:
    """Whether the configured backend can keep a task for later (the database can)."""
    return bool(default_task_backend.supports_defer)


def later(task: Task[Any, Any], after: float | None, **kwargs: Any) -> dt.datetime | None:
    """Enqueue ``task`` to run ``after`` seconds from now. Returns when it will run, or
    None if it was not enqueued (no delay: no further attempt; or a backend that cannot
    wait, when the retry is only logged)."""
    if after is None or not defers():
        return None
    at = timezone.now() + dt.timedelta(seconds=after)
    task.using(run_after=at).enqueue(**kwargs)
    return at


def retry(
    task: Task[Any, Any], backoff: Backoff, attempt: int, kwargs: dict[str, Any], *, kind: str
) -> dt.datetime | None:
    """After failed attempt ``attempt``, enqueue attempt ``attempt + 1`` with the backoff's
    wait (``kwargs``: the task's, without ``attempt``; ``kind`` for the log). Returns when
    it will run."""
    at = later(task, backoff.delay(attempt), attempt=attempt + 1, **kwargs)
    event(
        log,
        "task.retry" if at else "task.gave_up",
        level=logging.WARNING,
        kind=kind,
        failures=attempt,
        result="scheduled" if at else ("last" if backoff.delay(attempt) is None else "immediate"),
    )
    return at


def _worker(*, batch: bool, interval: float, max_tasks: int | None = None) -> Any:
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )


STALE = dt.timedelta(minutes=30)  # a task "running" this long was lost with its worker
SWEEP_EVERY = 300.0  # seconds between sweeps of a long-running worker
SWEEPS: list[Callable[[dt.datetime], int]] = []  # apps' own sweeps (integrations: deliveries)


def register_sweep(sweep: Callable[[dt.datetime], int]) -> None:
    """An app's sweep, run with :func:`sweep`: it re-queues work of its own that a lost
    task left behind, and returns how many."""
    if sweep not in SWEEPS:
        SWEEPS.append(sweep)


def sweep(now: dt.datetime | None = None) -> int:
    """Put back what a worker that died (killed, out of memory, the machine stopped) left
    half done: tasks marked running for longer than ``STALE`` are made ready again, and
    each app's sweep re-queues its own. Every task is safe to run twice (emails are
    recorded once sent; a delivery attempt is claimed before it is sent): at least once.
    Returns how many were put back."""
    if not defers():
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    back = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - STALE
    ).update(status=TaskResultStatus.READY, run_after=now, started_at=None)
    back += sum(one(now) for one in SWEEPS)
    if back:
        event(log, "task.swept", level=logging.WARNING, result=str(back))
    return back


def _sweeping(stop: threading.Event) -> None:
    while not stop.wait(SWEEP_EVERY):
        try:
            sweep()
        except Exception:
            log.exception("task sweep failed")
        finally:
            close_old_connections()


def run(*, batch: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> None:
    """Run tasks as they come (``batch``: those due now, then return), after a sweep (and
    one every ``SWEEP_EVERY`` seconds while it runs). In this thread: ``ampwork worker``
    installs its signal handlers first."""
    sweep()
    worker = _worker(batch=batch, interval=interval, max_tasks=max_tasks)
    stop = threading.Event()
    if not batch:
        worker.configure_signals()
        threading.Thread(target=_sweeping, args=(stop,), name="ampwork-sweep", daemon=True).start()
    try:
        worker.run()
    finally:
        stop.set()


def run_due() -> int:
    """Run every task that is due now, here, then return how many ran: the worker's loop
    without its care for long-lived connections (it would close a test's)."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    runner = _worker(batch=True, interval=0)
    ran = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            found = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if found is not None:
                found.claim(runner.worker_id)
        if found is None:
            return ran
        runner.run_task(found)
        ran += 1


def start_thread(interval: float = 1.0) -> threading.Thread | None:
    """A worker in a daemon thread of this process (``ampwork demo``), or None when the
    backend runs tasks where they are enqueued."""
    if not defers():
        return None
    sweep()
    worker = _worker(batch=False, interval=interval)
    thread = threading.Thread(target=worker.run, name="ampwork-worker", daemon=True)
    thread.start()
    return thread


def queue_depth() -> int:
    """Tasks waiting (ready now or later), for /metrics; 0 without a database backend."""
    if not defers():
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return int(DBTaskResult.objects.filter(status=TaskResultStatus.READY).count())


__all__ = [
    "defers",
    "later",
    "queue_depth",
    "register_sweep",
    "retry",
    "run",
    "run_due",
    "start_thread",
    "sweep",
]
