from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core import worker
from ampwork.core.cli import TranslatedCommand, gettext_lazy


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Run the background worker: it sends the email and webhook deliveries that the web "
        "pages, the API and the cron commands queue, and retries failures with backoff. "
        "Keep one running beside 'ampwork serve' (several may run at once). "
        "'--batch' runs what is due now and stops (a cron job instead of a service)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=gettext_lazy("seconds to wait when the queue is empty (default 1)"),
        )
        parser.add_argument(
            "--batch", action="store_true", help=gettext_lazy("run the tasks due now, then stop")
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help=gettext_lazy("stop after this many tasks")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not worker.defers():
            raise CommandError(
                _(
                    "AMPWORK_TASKS=immediate runs every task where it is queued: there is "
                    "nothing for a worker to do"
                )
            )
        if options["interval"] < 0 or (options["max_tasks"] or 1) < 1:
            raise CommandError(_("--interval must be 0 or more, --max-tasks 1 or more"))
        if options["batch"]:
            worker.sweep()
            with translation.override(None):  # as a worker always ran, not in the CLI's
                ran = worker.run_due()
            self.stdout.write(
                ngettext("ran %(count)d task", "ran %(count)d tasks", ran) % {"count": ran}
            )
            return
        self.stdout.write(_("ampwork worker: waiting for tasks (Ctrl+C to stop)"))
        with translation.override(None):  # each task says whom it speaks to itself
            worker.run(interval=options["interval"], max_tasks=options["max_tasks"])
