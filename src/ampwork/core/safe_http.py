"""HTTP to addresses an admin typed (an OpenID Connect provider's issuer and the endpoints
its discovery document names), guarded against server-side request forgery: the host must
resolve only to public addresses (never loopback, private, link-local, reserved or
multicast), redirects are never followed, a response may hold at most ``MAX_BYTES`` and
the whole request ends by ``DEADLINE`` seconds.

``AMPWORK_OIDC_ALLOW_PRIVATE=1`` (operator's setting) lifts the address check, for a
provider inside the operator's own network or the test provider on 127.0.0.1.

The address is checked just before the request; a name whose DNS answer changes between
the check and the connection (rebinding) is a residual risk the operator's egress
firewall covers.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import requests

MAX_BYTES = 1_000_000
DEADLINE = 10.0  # seconds for the whole request, body included
TIMEOUT = (5.0, 5.0)  # connect, read (each)
ALLOW_PRIVATE_ENV = "AMPWORK_OIDC_ALLOW_PRIVATE"


class Refused(requests.RequestException):
    """The request was not made, or its answer was dropped (the reason is for the log)."""


def private_allowed() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_url(url: str) -> None:
    """Raises :class:`Refused` unless ``url`` is http(s) to a host whose every address is
    public (or the operator allowed private ones)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) URL: {url!r}")
    if private_allowed():
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        answers = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError) as exc:
        raise Refused(f"{parts.hostname} does not resolve") from exc
    addresses = {str(a[4][0]) for a in answers}
    if not addresses or not all(_public(a) for a in addresses):
        raise Refused(f"{parts.hostname} resolves to a non-public address")


class GuardedSession(requests.Session):
    """A ``requests.Session`` with the checks above on every request."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        url = url.decode() if isinstance(url, bytes) else url
        method = method.decode() if isinstance(method, bytes) else method
        check_url(url)
        kwargs["allow_redirects"] = False
        kwargs["stream"] = True
        kwargs["timeout"] = TIMEOUT
        deadline = time.monotonic() + DEADLINE
        response = super().request(method, url, *args, **kwargs)
        body = bytearray()
        try:
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise Refused(f"{url} answered more than {MAX_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise Refused(f"{url} took longer than {DEADLINE} seconds")
        finally:
            response.close()
        if response.is_redirect:
            raise Refused(f"{url} redirected (redirects are not followed)")
        response._content = bytes(body)
        response._content_consumed = True
        return response


def session() -> GuardedSession:
    return GuardedSession()
