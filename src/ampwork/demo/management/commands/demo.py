from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from ampwork.core import worker
from ampwork.core.cli import TranslatedCommand, gettext_lazy
from ampwork.demo import outbox
from ampwork.demo.services import demo_sign_ins, ensure_demo, others_than_demo, speak

# addresses that mean "every address of this machine": nobody can browse to them
WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Create (or reuse) the demo organisations, migrate, and serve them. Mail is kept "
        "in an outbox page, and emailed links point at the address served."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=gettext_lazy("Create the demo data and print the sign-ins, then stop."),
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=gettext_lazy(
                "The demo's language: both organisations' default and every demo person's "
                "own choice (e.g. de, fr, es)."
            ),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=gettext_lazy(
                "Start over: empty the demo's database and outbox, then build the demo anew "
                "(refused when the database holds any other organisation)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        values = demo_settings(host, port, os.environ)
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            self._reset()
        result = ensure_demo()
        names = {"company": result.company.name, "school": result.school.name}
        if options.get("language"):
            speak(result, options["language"])
        self.stdout.write(
            _("Created the demo: %(company)s (company) and %(school)s (school).") % names
            if result.created
            else _("Reusing the demo: %(company)s (company) and %(school)s (school).") % names
        )
        if options.get("language"):
            self.stdout.write(
                _(
                    "The demo speaks %(language)s (%(code)s): the organisations' default "
                    "and everyone's choice."
                )
                % {
                    "language": dict(settings.LANGUAGES)[options["language"]],
                    "code": options["language"],
                }
            )
        self.stdout.write(
            "\n" + _("Open %(url)s/ and sign in as one of:") % {"url": served_url(host, port)}
        )
        for email, what, password in demo_sign_ins():
            self.stdout.write(f"  {email:<30} {password}   ({what})")
        if values.get("EMAIL_BACKEND") == outbox.BACKEND:
            base = values.get("BASE_URL", settings.BASE_URL)
            self.stdout.write(
                "\n"
                + _(
                    "Mail is kept, not sent: one line here per batch, the messages at "
                    "%(url)s (as an admin)."
                )
                % {"url": outbox.page_url(base)}
            )
        self.stdout.write(
            _("The demo's data: %(where)s ('ampwork demo --reset' starts over).")
            % {"where": where_data_lives()}
        )
        if options["no_serve"]:
            return
        # only now, for the server this process becomes: links in mail point at it
        for name, value in values.items():
            setattr(settings, name, value)
        if worker.start_thread() is not None:
            self.stdout.write(_("A background worker runs in this process: mail goes out from it."))
        self.stdout.write("\n" + _("Press Ctrl+C to stop.") + "\n")
        call_command("serve", host=host, port=port)

    def _reset(self) -> None:
        others = others_than_demo()
        if others:
            raise CommandError(
                _(
                    "--reset empties the whole database, and it also holds %(others)s: "
                    "nothing was deleted. Point the demo at a database of its own "
                    "(AMPWORK_DATA_DIR=/some/empty/folder ampwork demo)."
                )
                % {"others": ", ".join(others)}
            )
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(outbox.default_folder(), ignore_errors=True)
        self.stdout.write(_("Emptied the demo's database and outbox."))


def reachable_host(host: str) -> str:
    """The name a browser uses for ``host``: for every address of this machine, its address
    on the network (the one a route out of it uses), else 127.0.0.1."""
    if host not in WILDCARDS:
        return host
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: connecting a UDP socket sends nothing
            address = str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    return "127.0.0.1" if address.startswith("0.") else address


def served_url(host: str, port: int) -> str:
    """The demo's address, as emailed links and the printed sign-in page give it (no slash)."""
    name = reachable_host(host)
    if ":" in name and not name.startswith("["):  # an IPv6 address
        name = f"[{name}]"
    return f"http://{name}:{port}"


def demo_settings(host: str, port: int, environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings the demo changes for the address it serves: links in its mail point at
    it, and the mail goes to the outbox. What the environment sets explicitly is kept."""
    url = served_url(host, port)
    values: dict[str, Any] = {}
    if not environ.get("AMPWORK_BASE_URL"):
        values["BASE_URL"] = url
    if not environ.get("AMPWORK_EMAIL_BACKEND"):
        values["EMAIL_BACKEND"] = outbox.BACKEND
        values["DEMO_OUTBOX_DIR"] = outbox.default_folder()
    if not environ.get("AMPWORK_ALLOWED_HOSTS"):
        if host in WILDCARDS:  # served to the network: reached by any of its names
            values["ALLOWED_HOSTS"] = ["*"]
        else:
            name = url.removeprefix("http://").rsplit(":", 1)[0]
            hosts = list(settings.ALLOWED_HOSTS)
            values["ALLOWED_HOSTS"] = hosts if name in hosts else [*hosts, name]
    return values


def where_data_lives() -> str:
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return str(settings.DATA_DIR)
    return _("the database %(name)s on %(host)s") % {
        "name": database.get("NAME"),
        "host": database.get("HOST") or "localhost",
    }
