from __future__ import annotations

import os
import signal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django.utils.translation import gettext as _

from ampwork.core.cli import TranslatedCommand, gettext_lazy
from ampwork.core.servers import (
    SERVERS,
    ServeOptions,
    gunicorn_available,
    run_gunicorn,
    run_waitress,
)
from ampwork.core.staticfiles import collect_if_changed


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Serve ampwork with a production WSGI server (waitress, or gunicorn with several "
        "worker processes) and compressed static files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("AMPWORK_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=_env_int("AMPWORK_PORT", 8000))
        parser.add_argument(
            "--server",
            choices=SERVERS,
            default=os.environ.get("AMPWORK_SERVER", "waitress"),
            help=gettext_lazy(
                "waitress (default: one process) or gunicorn (pip install 'ampwork[server]')."
            ),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("AMPWORK_WORKERS", 0),
            help=gettext_lazy("gunicorn's worker processes (default: 2 × CPUs + 1)."),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_env_int("AMPWORK_THREADS", 8),
            help=gettext_lazy("Threads per process (default 8)."),
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=_env_int("AMPWORK_TIMEOUT", 60),
            help=gettext_lazy(
                "Seconds a request may take (gunicorn) or a connection may idle (waitress)."
            ),
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=_env_int("AMPWORK_GRACEFUL_TIMEOUT", 30),
            help=gettext_lazy("Seconds in-flight requests get to finish after SIGTERM (gunicorn)."),
        )
        parser.add_argument(
            "--drain",
            type=float,
            default=float(os.environ.get("AMPWORK_DRAIN_SECONDS", "6") or 6),
            help=gettext_lazy(
                "Seconds /readyz says 503 after SIGTERM before the stop, for the load "
                "balancer to take this server out (gunicorn; default 6)."
            ),
        )
        parser.add_argument(
            "--no-collect",
            dest="collect",
            action="store_false",
            help=gettext_lazy(
                "Skip collecting static files (then served uncompressed, from the apps)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # `systemctl reload` while this process still checks migrations and collects static
        # files: ignored (Python's default would end the server, and systemd would take that
        # for a clean exit and not restart it); gunicorn's supervisor handles it from then on
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        serve = ServeOptions(
            host=options["host"],
            port=options["port"],
            server=options["server"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
            graceful_timeout=options["graceful_timeout"],
            drain=options["drain"],
        )
        for name in ("workers", "threads", "timeout", "graceful_timeout"):
            if getattr(serve, name) < (0 if name == "workers" else 1):
                flag = "--" + name.replace("_", "-")
                raise CommandError(
                    _("%(flag)s: give a whole number of at least 1.") % {"flag": flag}
                )
        if serve.drain < 0:
            raise CommandError(_("--drain: give a number of seconds, 0 or more."))
        if serve.server == "gunicorn" and not gunicorn_available():
            raise CommandError(
                _(
                    "gunicorn is not installed: pip install 'ampwork[server]' (or use --server "
                    "waitress)."
                )
            )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(_("The database needs migrating: run 'ampwork migrate' first."))
            raise SystemExit(2)
        if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
            try:  # AMPWORK_CACHE_URL=db://…; two servers starting at once may both try
                call_command("createcachetable", verbosity=0)
            except DatabaseError:
                call_command("createcachetable", verbosity=0)  # exists now: a no-op
        if options["collect"] and collect_if_changed():
            self.stdout.write(_("Collected the static files (hashed and compressed)."))
        url = f"http://{serve.bind}/"
        if serve.server == "gunicorn":
            self.stdout.write(
                _(
                    "Serving ampwork on %(url)s with gunicorn: "
                    "%(workers)d workers × %(threads)d threads"
                )
                % {"url": url, "workers": serve.worker_count(), "threads": serve.threads}
            )
            self.stdout.flush()
            connection.close()  # this process only supervises: no database connection
            # the workers it forks answer each request in its reader's language, not the CLI's
            translation.deactivate()
            raise SystemExit(run_gunicorn(serve, settings.DATA_DIR))
        # after collecting: whitenoise lists the collected files when the application loads
        self.stdout.write(_("Serving ampwork on %(url)s") % {"url": url})
        self.stdout.flush()
        translation.deactivate()  # each request is answered in its reader's language
        run_waitress(serve)
