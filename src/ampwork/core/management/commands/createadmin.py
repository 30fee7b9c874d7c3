from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core import services
from ampwork.core.cli import TranslatedCommand, fail, gettext_lazy
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Create an admin with a sign-in. Creates the organisation if --org names a new one. "
        "The password comes from AMPWORK_ADMIN_PASSWORD or is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--org", required=True, help=gettext_lazy("Organisation name or slug."))
        parser.add_argument(
            "--school",
            action="store_true",
            help=gettext_lazy("A new organisation is a school rather than a company."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("AMPWORK_ADMIN_PASSWORD") or ""
        if not password:
            if not os.isatty(0):
                raise CommandError(_("set AMPWORK_ADMIN_PASSWORD or run in a terminal"))
            password = getpass.getpass(_("Password for the admin: "))
        try:
            with transaction.atomic():
                org = (
                    Organisation.objects.filter(slug=options["org"]).first()
                    or Organisation.objects.filter(name=options["org"]).first()
                )
                if org is None:
                    kind = (
                        Organisation.Kind.SCHOOL if options["school"] else Organisation.Kind.COMPANY
                    )
                    org = services.create_organisation(name=options["org"], kind=kind)
                person = services.create_admin(
                    email=options["email"],
                    password=password,
                    name=options["name"],
                    organisation=org,
                )
        except ValidationFailed as exc:
            raise fail(exc) from None
        self.stdout.write(
            _("%(email)s is an admin of %(org)s (slug %(slug)s).")
            % {"email": person.email, "org": org.name, "slug": org.slug}
        )
