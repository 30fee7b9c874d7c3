"""Settings come from the environment, with safe defaults."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Reads the settings as a fresh process would; `django.setup()` (loading every app, about two
# seconds of CPU) only where a test asks for it: the settings do not depend on it.
SNIPPET = """
import json, sys
from django.conf import settings
import django
if sys.argv[1] == "setup":
    django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "debug": settings.DEBUG,
    "secret": settings.SECRET_KEY, "hashers": settings.PASSWORD_HASHERS,
    "secure_cookie": settings.SESSION_COOKIE_SECURE, "hosts": settings.ALLOWED_HOSTS,
    "init": db.get("OPTIONS", {}).get("init_command", ""),
    "cache": settings.CACHES["default"],
}))
"""


def _settings(tmp_path: Path, *, setup: bool = False, **env: str) -> dict[str, object]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AMPWORK_") and k not in {"DATABASE_URL"}
    }
    environ.update(
        {"AMPWORK_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "ampwork.settings", **env}
    )
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET, "setup" if setup else "read"],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out))


def test_defaults(tmp_path: Path) -> None:
    first = _settings(tmp_path, setup=True)  # Django starts on the defaults
    # SQLite, its queries counted for /metrics by django-prometheus' wrapper of Django's backend
    assert first["engine"] == "django_prometheus.db.backends.sqlite3"
    assert first["cache"]["BACKEND"].endswith("LocMemCache")  # type: ignore[index]
    assert first["name"] == str(tmp_path / "ampwork.sqlite3")
    assert "journal_mode=WAL" in str(first["init"])
    assert first["debug"] is False
    assert first["secure_cookie"] is False
    assert str(first["hashers"][0]).endswith("Argon2PasswordHasher")  # type: ignore[index]
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _settings(tmp_path)["secret"] == first["secret"]  # generated once, then kept


def test_environment_overrides(tmp_path: Path) -> None:
    found = _settings(
        tmp_path,
        setup=True,  # and on a PostgreSQL URL, HTTPS and a host list
        AMPWORK_DATABASE_URL="postgres://u:p@127.0.0.1:5432/amp",
        AMPWORK_SECRET_KEY="s" * 50,
        AMPWORK_DEBUG="1",
        AMPWORK_HTTPS="true",
        AMPWORK_ALLOWED_HOSTS="amp.example.org, localhost",
    )
    assert found["engine"] == "django_prometheus.db.backends.postgresql"
    assert found["name"] == "amp"
    assert found["secret"] == "s" * 50
    assert found["debug"] is True
    assert found["secure_cookie"] is True
    assert found["hosts"] == ["amp.example.org", "localhost"]
    assert not (tmp_path / "secret_key").exists()


def test_metrics_off_keeps_djangos_own_backend(tmp_path: Path) -> None:
    assert _settings(tmp_path, AMPWORK_METRICS="0")["engine"] == "django.db.backends.sqlite3"


def test_cache_url_sets_the_shared_cache(tmp_path: Path) -> None:
    found = _settings(tmp_path, AMPWORK_CACHE_URL="redis://127.0.0.1:6379/2")
    assert found["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
    }


def test_a_cache_url_ampwork_does_not_know_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _settings(tmp_path, AMPWORK_CACHE_URL="mongodb://127.0.0.1")
    assert "AMPWORK_CACHE_URL: 'mongodb://127.0.0.1' is not one of" in failed.value.stderr


def test_behind_https_the_checks_are_answered_in_plain_http(tmp_path: Path) -> None:
    """AMPWORK_HTTPS=1 redirects plain HTTP to HTTPS, but not the balancer's health checks
    and Prometheus' scrapes, which reach each app server directly."""
    snippet = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "print(json.dumps({p: c.get(p).status_code for p in "
        "['/healthz', '/readyz', '/metrics', '/sign-in/']}))\n"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AMPWORK_")}
    environ.update(
        AMPWORK_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ampwork.settings",
        AMPWORK_HTTPS="1",
        AMPWORK_ALLOWED_HOSTS="testserver",
    )
    subprocess.run([sys.executable, "-m", "ampwork", "migrate", "-v0"], env=environ, check=True)
    out = subprocess.run(
        [sys.executable, "-c", snippet], env=environ, capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out)
    assert found == {"/healthz": 200, "/readyz": 200, "/metrics": 200, "/sign-in/": 301}


def test_metrics_allow_list_none_and_nonsense(tmp_path: Path) -> None:
    snippet = (
        "import json; from django.conf import settings; "
        "print(json.dumps([str(n) for n in settings.METRICS_NETWORKS]))"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AMPWORK_")}
    environ.update(AMPWORK_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ampwork.settings")

    def networks(value: str) -> subprocess.CompletedProcess[str]:
        env = dict(environ, AMPWORK_METRICS_ALLOW=value)
        return subprocess.run([sys.executable, "-c", snippet], env=env, capture_output=True,
                              text=True)  # fmt: skip

    assert json.loads(networks("10.0.0.0/8, ::1").stdout) == ["10.0.0.0/8", "::1/128"]
    assert json.loads(networks("none").stdout) == []  # the token only
    wrong = networks("10.0.0.300")
    assert wrong.returncode != 0
    assert "AMPWORK_METRICS_ALLOW: '10.0.0.300' does not appear to be" in wrong.stderr
