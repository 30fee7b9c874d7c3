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
from typing import Any

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


def run(*, batch: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> None:
    """Run tasks as they come (``batch``: those due now, then return). In this thread:
    ``ampwork worker`` installs its signal handlers first."""
    worker = _worker(batch=batch, interval=interval, max_tasks=max_tasks)
    if not batch:
        worker.configure_signals()
    worker.run()


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


__all__ = ["defers", "later", "queue_depth", "retry", "run", "run_due", "start_thread"]
