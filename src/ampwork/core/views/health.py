"""What load balancers, orchestrators and Prometheus ask (docs/operations.md).

* ``/healthz`` — the process is alive and answers (no database query: a database outage
  must not make an orchestrator restart every app server);
* ``/readyz`` — this server can serve: it is not draining before a stop
  (ampwork.core.servers), the database answers and holds every migration this code knows
  (``ampwork serve`` does not start before; a server started another way says 503);
* ``/metrics`` — Prometheus metrics, to a bearer token (``AMPWORK_METRICS_TOKEN``) or an
  address in ``AMPWORK_METRICS_ALLOW``.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView

from ampwork.core import worker
from ampwork.core.servers import draining


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@cache
def newest_migrations() -> frozenset[tuple[str, str]]:
    """Each app's newest migration in this code (read from the files once: they do not
    change while the process runs); all are applied only when every migration is."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.leaf_nodes())


def pending_migrations() -> int:
    """How many apps have a migration the database has not applied (one query)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {(app, name) for app, name in cursor.fetchall()}
    return len(newest_migrations() - applied)


def _not_ready(body: dict[str, str]) -> JsonResponse:
    response = JsonResponse({"status": "error", **body}, status=503)
    # the `request` event says it (status 503); Django's own "Service Unavailable" line
    # would repeat it at every check, once a second from each balancer
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    if draining():  # stopping: the balancer takes this server out first
        return _not_ready({"server": "draining"})
    try:
        pending = pending_migrations()
    except DatabaseError:
        return _not_ready({"database": "unreachable"})
    if pending:
        return _not_ready({"database": "ok", "migrations": f"{pending} apps not migrated"})
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "ok"})


# headers a proxy adds: a request carrying one came through a proxy, whatever its address
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to ``METRICS_TOKEN``, or a direct connection from an allowed
    address. A request that came through a proxy (it carries ``X-Forwarded-For``,
    ``Forwarded`` or ``X-Real-IP``) is never let in by address: behind a proxy on the same
    machine every visitor would otherwise come from 127.0.0.1."""
    token = str(settings.METRICS_TOKEN)
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if any(header in request.headers for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # a dual-stack socket: ::ffff:10.0.0.5 is 10.0.0.5
    return any(address in network for network in settings.METRICS_NETWORKS)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS:
        return HttpResponse(
            "Metrics are off (AMPWORK_METRICS=0).\n", status=404, content_type="text/plain"
        )
    if not metrics_allowed(request):
        return HttpResponse(
            "Metrics need a token (AMPWORK_METRICS_TOKEN) or an address in "
            "AMPWORK_METRICS_ALLOW.\n",
            status=403,
            content_type="text/plain",
        )
    response: HttpResponse = ExportToDjangoView(request)
    # the background worker's queue, read from the database (the same for every server)
    response.content += (
        b"# HELP ampwork_tasks_waiting Tasks queued for the background worker (ampwork worker).\n"
        b"# TYPE ampwork_tasks_waiting gauge\n"
        + f"ampwork_tasks_waiting {worker.queue_depth()}\n".encode()
    )
    return response
