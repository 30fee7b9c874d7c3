from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from ampwork.core import selectors, services
from ampwork.core.cli import TranslatedCommand, gettext_lazy, organisation
from ampwork.core.models import User


class Command(TranslatedCommand):
    help = gettext_lazy("Personal API tokens: 'token create --email E [--org SLUG] [--name N]'.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create", help=gettext_lazy("Create a token; prints it alone on the last line.")
        )
        create.add_argument("--email", required=True)
        create.add_argument("--org", default="")
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(
                _("--email: no account with email %(email)s") % {"email": options["email"]}
            )
        if options["org"]:
            org = organisation(options["org"])
        else:
            orgs = selectors.organisations_for(user)
            if len(orgs) != 1:
                names = ", ".join(o.slug for o in orgs) or _("none")
                raise CommandError(
                    _("--org: %(email)s belongs to %(names)s; name one with --org")
                    % {"email": user.email, "names": names}
                )
            org = orgs[0]
        actor = selectors.actor_for(user, org)
        if actor is None:
            raise CommandError(
                _("--org: %(email)s is not an active member of %(slug)s")
                % {"email": user.email, "slug": org.slug}
            )
        _token, plaintext = services.create_token(actor=actor, name=options["name"])
        self.stdout.write(
            _("Token for %(email)s in %(slug)s (shown once, keep it safe):")
            % {"email": user.email, "slug": org.slug}
        )
        self.stdout.write(plaintext)
