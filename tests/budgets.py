"""Query budgets of many pages measured over one organisation, built once per size.

Building a large organisation (`ampwork.demo.services.generate`) costs far more than
measuring a page, so a query-count test builds each size once and measures every page of
it, instead of one test per (size, page) that each built the organisation again. Each page
is still measured as a test of its own measured it: from the database exactly as the build
left it (whatever the page or its sign-in writes is rolled back to a savepoint afterwards),
with an empty cache (as the autouse `_fresh_summaries` fixture leaves it) and a fresh test
client. Every page over its limit is reported, in one assertion message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ampwork.core import services
from ampwork.core.models import Person
from ampwork.core.permissions import Actor

Prepare = Callable[[str, Person], Callable[[], Any]]


@contextmanager
def same_start() -> Iterator[Prepare]:
    """A fresh start for one page: yields `prepare(url, person)`, which signs in as
    `prepared_get` does (tests/conftest.py) and returns the GET to count. On leaving,
    everything written since the start is rolled back and the cache emptied."""
    cache.clear()
    client = Client()

    def prepare(url: str, person: Person) -> Callable[[], Any]:
        headers: dict[str, str] = {}
        if url.startswith("/api/"):
            actor = Actor(
                organisation=person.organisation, role=person.role, user=person.user, person=person
            )
            _, token = services.create_token(actor=actor, name="test")
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        else:
            assert person.user is not None
            client.force_login(person.user)
        return lambda: client.get(url, **headers)

    try:
        with transaction.atomic():
            yield prepare
            transaction.set_rollback(True)
    finally:
        cache.clear()


def counted(get: Callable[[], Any]) -> tuple[Any, int]:
    """The response and the number of queries it ran (as django_assert_max_num_queries
    counts them: every statement on the default connection)."""
    with CaptureQueriesContext(connection) as queries:
        response = get()
    return response, len(queries.captured_queries)


def over_budget(
    pages: Mapping[str, int], person: Person, contents: dict[str, str] | None = None
) -> list[str]:
    """Each page (a URL, already formatted) GET as `person` from the same start: one line
    for every page over its query limit or not answering 200. Each page's text goes into
    `contents` when one is given."""
    over = []
    for url, limit in pages.items():
        with same_start() as prepare:
            response, count = counted(prepare(url, person))
        if contents is not None:
            contents[url] = response.content.decode()
        if count > limit:
            over.append(f"{url}: {count} queries, over its limit of {limit}")
        if response.status_code != 200:
            over.append(f"{url}: status {response.status_code}: {response.content[:300]!r}")
    return over
