from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


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
            help="Skip collecting static files (they are served from the apps).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from ampwork.wsgi import application

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write("The database needs migrating: run 'ampwork migrate' first.")
            raise SystemExit(2)
        if options["collect"]:
            call_command("collectstatic", interactive=False, verbosity=0)
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
