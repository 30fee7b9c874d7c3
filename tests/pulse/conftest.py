"""Pulse tests start with an empty cache: a shared link's answers-a-minute counter is kept
per round id, and a later test's round may get the same id after a rollback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
