from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ampwork.core.staticfiles import collect_if_changed


class Command(BaseCommand):
    help = "Serve ampwork with a production WSGI server (waitress) and compressed static files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("AMPWORK_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("AMPWORK_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-collect",
            dest="collect",
            action="store_false",
            help="Skip collecting static files (then served uncompressed, from the apps).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write("The database needs migrating: run 'ampwork migrate' first.")
            raise SystemExit(2)
        if options["collect"] and collect_if_changed():
            self.stdout.write("Collected the static files (hashed and compressed).")
        # after collecting: whitenoise lists the collected files when the application loads
        from ampwork.wsgi import application

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Serving ampwork on {url}")
        self.stdout.flush()
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="ampwork",
        )
