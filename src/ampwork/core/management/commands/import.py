from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.progress import Progress

from ampwork.core import backup, imports
from ampwork.core.cli import TranslatedCommand, fail, gettext_lazy, organisation
from ampwork.core.errors import ValidationFailed
from ampwork.core.permissions import Actor
from ampwork.logs import work


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import a CSV file ('import people FILE.csv', 'import teams FILE.csv', …) into an "
        "organisation, or restore an export ('import FILE.json'). All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = [*imports.CLI_IMPORTERS, *imports.BUNDLE_IMPORTERS]
        parser.add_argument(
            "kind",
            # the parser is built when it is used, in the language active then
            help=_("%(kinds)s, or an export .json") % {"kinds": "|".join(kinds)},
        )
        parser.add_argument(
            "file", nargs="?", help=gettext_lazy("FILE.csv; for oneroster a zip or a directory")
        )
        parser.add_argument(
            "--org", default="", help=gettext_lazy("Organisation slug for CSV imports.")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy(
                "oneroster: check the bundle and say what would change; write nothing."
            ),
        )
        parser.add_argument(
            "--invite-guardians",
            action="store_true",
            help=gettext_lazy(
                "oneroster: email each guardian with an email address and no sign-in yet an "
                "invitation (sent only if the import succeeds; never on a dry run)."
            ),
        )
        parser.add_argument(
            "--allow-outside-users",
            action="store_true",
            help=gettext_lazy(
                "Restore: let people link to accounts already in this database (not in the "
                "export). Refused without it, so a crafted export cannot add existing accounts "
                "to an organisation."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, file = options["kind"], options["file"]
        if file is None and kind.endswith(".json"):
            kind, file = "backup", kind
        if file is None:
            raise CommandError(_("name the file: ampwork import KIND FILE"))
        path = Path(file)
        if kind in imports.BUNDLE_IMPORTERS:
            extra = {"invite_guardians": True} if options["invite_guardians"] else {}
            self._bundle(kind, path, org=options["org"], dry_run=options["dry_run"], **extra)
            return
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": file})
        try:
            if kind == "backup":
                count = self._restore(path, allow_outside_users=options["allow_outside_users"])
                self.stdout.write(
                    ngettext(
                        "Restored %(count)d object from %(file)s.",
                        "Restored %(count)d objects from %(file)s.",
                        count,
                    )
                    % {"count": count, "file": file}
                )
                return
            if kind not in imports.CLI_IMPORTERS:
                known = ", ".join(imports.CLI_IMPORTERS)
                raise CommandError(
                    _("unknown import '%(kind)s' (known: %(known)s, or FILE.json)")
                    % {"kind": kind, "known": known}
                )
            text = imports.decode(path.read_bytes(), str(path))
            actor = Actor.system(organisation(options["org"]))
            with Progress(transient=True) as progress:
                task = progress.add_task(_("Importing %(name)s") % {"name": path.name}, total=None)
                count = imports.CLI_IMPORTERS[kind](
                    actor=actor,
                    text=text,
                    source=str(path),
                    progress=lambda n: progress.update(task, completed=n),
                )
        except ValidationFailed as exc:
            raise fail(exc) from None
        self.stdout.write(
            _("Imported %(count)d %(kind)s from %(file)s into %(slug)s.")
            % {"count": count, "kind": kind, "file": file, "slug": actor.organisation.slug}
        )

    def _bundle(self, kind: str, path: Path, *, org: str, dry_run: bool, **extra: bool) -> None:
        if not path.exists():
            raise CommandError(_("%(path)s: no such file or directory") % {"path": path})
        actor = Actor.system(organisation(org))
        try:
            result = imports.BUNDLE_IMPORTERS[kind](
                actor=actor, path=path, dry_run=dry_run, **extra
            )
        except ValidationFailed as exc:
            raise fail(exc) from None
        for note in result.notes:
            self.stdout.write(_("note: %(note)s") % {"note": note})
        for entity, counts in result.counts.items():
            said = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
            self.stdout.write(f"{entity}: {said or _('nothing')}")
        done = (
            _("Checked (dry run, nothing written): %(path)s into %(slug)s.")
            if dry_run
            else _("Imported: %(path)s into %(slug)s.")
        )
        self.stdout.write(done % {"path": path, "slug": actor.organisation.slug})

    def _restore(self, path: Path, *, allow_outside_users: bool) -> int:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(
                _("%(path)s: not a JSON export (%(problem)s)") % {"path": path, "problem": exc}
            ) from None
        with work("import", "restore") as counts:
            restored = backup.restore(
                document, source=str(path), allow_outside_users=allow_outside_users
            )
            counts["objects"] = restored
        return restored
