"""``AMPWORK_CACHE_URL``: which cache Django's ``default`` cache is (docs/operations.md).

Pure (no Django import): ``settings.py`` calls :func:`cache_from_url` while it loads.

========================================  =============================================
``locmem://`` (or unset)                  local memory of each process (the default)
``redis://host:6379/0``, ``rediss://…``   Redis (``pip install "ampwork[redis]"``)
``memcached://host:11211[,host2:11211]``  Memcached through pymemcache
                                          (``pip install "ampwork[memcached]"``)
``db://table_name``                       a table in ampwork's own database (``ampwork
                                          serve`` creates it; ``ampwork createcachetable``
                                          does too)
========================================  =============================================

Nothing in ampwork is wrong with a per-process cache: the organisation-wide summaries
check their data versions in the database before they use a cached copy, sign-in
throttling counts in the database, and sessions live in the database. A shared cache only
saves work (one server computes a summary, all use it) and makes the shared pulse link's
per-address rate (``pulse.services.check_rate``) count across servers instead of per
server.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

LOCAL_MAX_ENTRIES = 5000  # the organisation-wide summaries: one per page and reader

_SCHEMES = "locmem://, redis://, rediss://, memcached:// or db://"


class CacheURLError(ValueError):
    """``AMPWORK_CACHE_URL`` names no cache ampwork knows."""


def cache_from_url(url: str) -> dict[str, Any]:
    """Django's ``CACHES["default"]`` for ``url``; :class:`CacheURLError` names the problem."""
    url = url.strip()
    if not url or url in {"locmem", "locmem://"}:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES},
        }
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"redis", "rediss", "unix"}:
        if not parts.hostname and scheme != "unix":
            raise CacheURLError(f"AMPWORK_CACHE_URL: {url!r} names no Redis host.")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached":
        # several servers: memcached://a:11211,b:11211 (the comma is in the netloc)
        servers = [server.strip() for server in parts.netloc.split(",") if server.strip()]
        if not servers:
            raise CacheURLError(f"AMPWORK_CACHE_URL: {url!r} names no Memcached server.")
        for server in servers:
            host, _, port = server.rpartition(":")
            if not host or not port.isdigit():
                raise CacheURLError(
                    f"AMPWORK_CACHE_URL: Memcached server {server!r} is not host:port."
                )
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": servers,
        }
    if scheme == "db":
        table = (parts.netloc + parts.path).strip("/")
        if not table.replace("_", "").isalnum() or not table.isascii():
            raise CacheURLError(
                f"AMPWORK_CACHE_URL: {url!r} needs a table name of letters, digits and "
                "underscores, e.g. db://ampwork_cache."
            )
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES * 10},
        }
    raise CacheURLError(f"AMPWORK_CACHE_URL: {url!r} is not one of {_SCHEMES}.")
