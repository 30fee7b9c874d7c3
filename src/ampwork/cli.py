"""The ``ampwork`` command: Django's management commands under the project's settings.

``ampwork demo``, ``ampwork serve``, ``ampwork import people FILE.csv`` … are management
commands in the apps' ``management/commands``; this only points Django at the settings.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ampwork.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__.strip() if __doc__ else "")
        print(
            "\nMain commands: demo, serve, worker, migrate, createadmin, token create, backup, "
            "import people|teams FILE.csv, export, generate --people N.\n"
            "Run 'ampwork help' for every command, 'ampwork help COMMAND' for one."
        )
        return 0
    execute_from_command_line(["ampwork", *args])
    return 0
