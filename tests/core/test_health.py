"""/healthz, /readyz and /metrics: what load balancers, orchestrators and Prometheus ask."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from ampwork.core.views import health


def test_healthz_answers_without_the_database(client: Client, db: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "cursor", _broken)
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def _broken(*args: Any, **kwargs: Any) -> Any:
    from django.db import OperationalError

    raise OperationalError("connection refused")


def test_readyz_ok_when_every_migration_is_applied(client: Client, db: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_readyz_503_when_the_database_does_not_answer(client: Client, db: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "cursor", _broken)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_readyz_503_while_a_migration_is_not_applied(client: Client, db: Any) -> None:
    """A server started with new code before `ampwork migrate` ran: not ready. The attack on
    the check: remove the record of one app's newest migration, as if it had not run."""
    app, name = sorted(health.newest_migrations())[0]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 apps not migrated"


def test_newest_migrations_names_every_app_with_migrations() -> None:
    apps = {app for app, _ in health.newest_migrations()}
    assert {"core", "okrs", "surveys", "fairness", "auth", "sessions", "axes"} <= apps


# ---------------------------------------------------------------- /metrics


def test_metrics_from_loopback_in_prometheus_format(client: Client, db: Any) -> None:
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert 'view="healthz"' in text
    # queries are counted by the database wrapper
    assert "django_db_execute_total" in text


@override_settings(METRICS_NETWORKS=[ipaddress.ip_network("10.1.0.0/16")])
def test_metrics_refuse_an_address_outside_the_allow_list(client: Client, db: Any) -> None:
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.4.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 403
    # a dual-stack socket gives IPv4 clients as IPv4-mapped IPv6 addresses
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.1.4.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.2.0.1").status_code == 403


def test_metrics_refuse_a_visitor_through_a_proxy_on_the_same_machine(
    client: Client, db: Any
) -> None:
    """Behind a balancer on 127.0.0.1 every visitor connects from loopback: the forwarded
    header gives them away, and the address alone never lets them in."""
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403
    assert client.get("/metrics", HTTP_FORWARDED="for=203.0.113.9").status_code == 403
    assert client.get("/metrics", HTTP_X_REAL_IP="203.0.113.9").status_code == 403  # nginx


@override_settings(METRICS_NETWORKS=[], METRICS_TOKEN="s3cret-token")
def test_metrics_with_the_token_from_anywhere(client: Client, db: Any) -> None:
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-tokeN")
    assert wrong.status_code == 403
    right = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert right.status_code == 200


@override_settings(METRICS=False)
def test_metrics_off(client: Client, db: Any) -> None:
    assert client.get("/metrics").status_code == 404


def test_metrics_never_name_a_path(client: Client, db: Any, admin: Any) -> None:
    """Labels are views and statuses: a one-time pulse link or an id in a path never
    reaches the metrics."""
    client.get("/pulse/answer/secret-link-token-123/")
    client.get("/okrs/objectives/987654/")
    text = client.get("/metrics").content.decode()
    assert "secret-link-token-123" not in text
    # Only the labels: a sample's value (a *_created timestamp such as 1.796177598765e+09)
    # may contain any run of digits by chance.
    labels = " ".join(re.findall(r"\{[^}]*\}", text))
    assert "objectives" in labels or "okrs" in labels
    assert "987654" not in labels
