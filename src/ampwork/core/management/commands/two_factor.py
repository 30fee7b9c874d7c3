from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core.cli import TranslatedCommand, gettext_lazy
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import User
from ampwork.core.services import reset_two_factor
from ampwork.core.services.two_factor import methods_of


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Two-factor sign-in of an account: 'two_factor show EMAIL' lists what it has set up; "
        "'two_factor reset EMAIL --reason R' removes it all (a lost phone and lost recovery "
        "codes), only after checking the person's identity another way (docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help=gettext_lazy("List the account's second factors."))
        show.add_argument("email")
        reset = sub.add_parser(
            "reset", help=gettext_lazy("Remove every second factor of the account.")
        )
        reset.add_argument("email")
        reset.add_argument(
            "--reason",
            required=True,
            help=gettext_lazy("How you checked who they are (kept in the audit log)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(
                _("email: no account with the email %(email)s") % {"email": options["email"]}
            )
        if options["action"] == "show":
            methods = methods_of(user)
            if not methods:
                self.stdout.write(_("%(email)s has no two-factor methods.") % {"email": user.email})
            for line in methods:
                self.stdout.write(line)
            return
        try:
            removed = reset_two_factor(user=user, reason=options["reason"])
        except ValidationFailed as exc:
            raise CommandError(
                _("--reason %(problem)s") % {"problem": exc.errors[0].message}
            ) from None
        self.stdout.write(
            ngettext(
                "%(email)s: removed %(count)d two-factor method; "
                "their password alone signs them in now. Ask them to set it up again.",
                "%(email)s: removed %(count)d two-factor methods; "
                "their password alone signs them in now. Ask them to set it up again.",
                removed,
            )
            % {"email": user.email, "count": removed}
        )
