"""The test provider's issuer: fixed (``OIDC_PROVIDER_ISSUER``), as a real provider's is,
rather than allauth's default of whatever host a request named."""

from __future__ import annotations

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.conf import settings


class Adapter(DefaultOIDCAdapter):  # type: ignore[misc]  # allauth is untyped
    def get_issuer(self) -> str:
        issuer: str = getattr(settings, "OIDC_PROVIDER_ISSUER", "") or super().get_issuer()
        return issuer
