from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ampwork.demo.services import demo_sign_ins, ensure_demo


class Command(BaseCommand):
    help = "Create (or reuse) the demo organisations, migrate, and serve them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Create the demo data and print the sign-ins, then stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        result = ensure_demo()
        verb = "Created" if result.created else "Reusing"
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            f"{verb} the demo: {result.company.name} (company) and {result.school.name} (school)."
        )
        self.stdout.write(f"\nOpen {url} and sign in as one of:")
        for email, what, password in demo_sign_ins():
            self.stdout.write(f"  {email:<30} {password}   ({what})")
        if options["no_serve"]:
            return
        self.stdout.write("\nPress Ctrl+C to stop.\n")
        call_command("serve", host=options["host"], port=options["port"])
