"""Server-side request forgery guard: a webhook goes only to a public http(s) address.

The URL is checked when an endpoint is saved (scheme, host) and its host is resolved
again at every delivery: every address it resolves to must be public (not loopback,
private, link-local, multicast, reserved or unspecified), and the connection is made to
the address checked, not to a second lookup (a DNS answer cannot change in between).
``AMPWORK_WEBHOOKS_ALLOW_PRIVATE=1`` allows private addresses (a receiver on the same
network; the tests' receiver on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

DEADLINE_FACTOR = 3  # the whole exchange takes at most this many times the socket timeout


class Refused(Exception):
    """The URL may not be called; the message says why (shown to the admin)."""


def parse(url: str) -> SplitResult:
    """The URL's parts, if it is an absolute http(s) URL with a host (else Refused)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(_("is not a valid URL")) from None
    if parts.scheme not in ("http", "https"):
        raise Refused(_("must start with https:// (or http://)"))
    if not parts.hostname:
        raise Refused(_("needs a host name"))
    if parts.username or parts.password:
        raise Refused(_("must not hold a user name or password"))
    if port == 0:
        raise Refused(_("needs a valid port"))
    return parts


def _allow_private() -> bool:
    return bool(getattr(settings, "AMPWORK_WEBHOOKS_ALLOW_PRIVATE", False))


# IPv6 ranges that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052, 8215) and
# the deprecated IPv4-compatible addresses (RFC 4291) — a NAT64 gateway would carry
# 64:ff9b::a00:1 to 10.0.0.1
EMBEDDING = [
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
    ipaddress.IPv6Network("::/96"),
]


def _inner(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64, compatible)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # (server, client): the client is where it goes
    if any(ip in net for net in EMBEDDING):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def public(address: str) -> bool:
    """Whether an address is a public unicast one, looking through every IPv4 address an
    IPv6 one carries (both must be public)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:  # fec0::/10, deprecated but still routed on some networks
            return False
        inner = _inner(ip)
        if inner is not None and not (inner.is_global and not inner.is_multicast):
            return False
        if inner is not None:
            return True
    return bool(ip.is_global) and not ip.is_multicast


def check_host(host: str) -> None:
    """Refuse a literal private address when the URL is saved (names are checked at
    delivery, when they are resolved)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        name = host.lower().rstrip(".")
        local = name in ("localhost", "localhost.localdomain") or name.endswith(".localhost")
        if local and not _allow_private():
            raise Refused(_("points at this server (localhost)")) from None
        return
    if not _allow_private() and not public(host.strip("[]")):
        raise Refused(_("points at a private or local address"))


def resolve(host: str, port: int) -> str:
    """The address to connect to: the first the host resolves to, after every one of them
    was checked (Refused if any is not public, unless private ones are allowed)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(_("the host name does not resolve")) from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise Refused(_("the host name does not resolve"))
    if not _allow_private() and not all(public(a) for a in addresses):
        raise Refused(_("the host name resolves to a private or local address"))
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
    """POST ``body`` to ``url`` after the checks above; no redirect is followed. Returns the
    status code and the first 4 KB of the answer. Raises Refused or OSError."""
    parts = parse(url)
    host = parts.hostname or ""
    check_host(host)
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    address = resolve(host, port)
    kind = _PinnedTLS if tls else _Pinned
    connection = kind(host, port, address, timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    # ``timeout`` bounds each socket operation; the whole exchange is bounded too, so a
    # receiver that drips a byte now and then cannot hold the worker: at the deadline the
    # socket is shut down and the read in progress fails (OSError)
    cutoff = threading.Timer(timeout * DEADLINE_FACTOR, _cut, args=(connection,))
    cutoff.daemon = True
    cutoff.start()
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read(4096)
    finally:
        cutoff.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
