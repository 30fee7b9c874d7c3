"""AMPWORK_CACHE_URL → Django's default cache (ampwork.core.caches)."""

from __future__ import annotations

import pytest

from ampwork.core.caches import LOCAL_MAX_ENTRIES, CacheURLError, cache_from_url


@pytest.mark.parametrize("url", ["", "  ", "locmem", "locmem://"])
def test_local_memory_by_default(url: str) -> None:
    assert cache_from_url(url) == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES},
    }


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/0", "rediss://:pw@cache.internal:6380/1", "unix:///run/r.sock"]
)
def test_redis(url: str) -> None:
    assert cache_from_url(url) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
    }


def test_memcached_one_or_several_servers() -> None:
    assert cache_from_url("memcached://10.0.0.5:11211")["LOCATION"] == ["10.0.0.5:11211"]
    several = cache_from_url("memcached://a.internal:11211, b.internal:11212")
    assert several["BACKEND"] == "django.core.cache.backends.memcached.PyMemcacheCache"
    assert several["LOCATION"] == ["a.internal:11211", "b.internal:11212"]


def test_database_table() -> None:
    found = cache_from_url("db://ampwork_cache")
    assert found["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert found["LOCATION"] == "ampwork_cache"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mongodb://127.0.0.1", "is not one of"),
        ("redis://", "names no Redis host"),
        ("memcached://", "names no Memcached server"),
        ("memcached://cache.internal", "is not host:port"),
        ("db://", "needs a table name"),
        ("db://cache; DROP TABLE core_person", "needs a table name"),
        ("db://cäche", "needs a table name"),
    ],
)
def test_a_url_it_does_not_know_names_the_problem(url: str, says: str) -> None:
    with pytest.raises(CacheURLError, match=says):
        cache_from_url(url)
