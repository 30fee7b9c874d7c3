"""Set the test provider up, from the command line (it runs in its own process and
database): ``python -m tests.oidc_provider.control '<json>'`` with the provider's settings.

Commands (a JSON object with ``do``):
- ``client``: register ampwork (``id``, ``secret``, ``redirect_uri``), no consent screen
- ``user``: a person at the provider (``email``, ``password``), email verified; prints
  their subject
- ``email``: change a person's email (``old`` to ``new``), as an identity team would
"""

from __future__ import annotations

import json
import sys
import uuid


def main(raw: str) -> str:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth import get_user_model

    command = json.loads(raw)
    User = get_user_model()
    if command["do"] == "client":
        client, _ = Client.objects.get_or_create(id=command["id"], defaults={"name": "ampwork"})
        client.set_secret(command["secret"])
        client.type = Client.Type.CONFIDENTIAL
        client.skip_consent = True
        client.set_redirect_uris([command["redirect_uri"]])
        client.set_scopes(["openid", "profile", "email"])
        client.set_default_scopes(["openid", "profile", "email"])
        client.grant_types = "authorization_code"
        client.response_types = "code"
        client.save()
        return client.id
    if command["do"] == "user":
        user = User.objects.create_user(
            username=uuid.uuid4().hex, email=command["email"], password=command["password"]
        )
        EmailAddress.objects.create(user=user, email=command["email"], primary=True, verified=True)
        return str(user.pk)
    if command["do"] == "email":
        address = EmailAddress.objects.get(email=command["old"])
        address.email = command["new"]
        address.save()
        User.objects.filter(pk=address.user_id).update(email=command["new"])
        return str(address.user_id)
    raise SystemExit(f"unknown command {command['do']!r}")


if __name__ == "__main__":
    print(main(sys.argv[1]))
