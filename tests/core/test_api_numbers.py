"""Whole numbers in paths and query strings are digits only: what the schema promises (an
integer) is what the API takes — "0.0", " 5", "+5" and "1.0" are refused with a 422 naming
the parameter (schemathesis found "offset=0.0" accepted)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ampwork.core.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["0.0", "1.0", " 5", "5 ", "+5", "1e1", "²"])
def test_odd_numbers_are_refused(
    admin: Person, bearer: Callable[[Person], dict[str, str]], client: Client, bad: str
) -> None:
    auth = bearer(admin)
    for url, name in (
        (f"/api/v1/teams?offset={bad}", "offset"),
        (f"/api/v1/teams?limit={bad}", "limit"),
        (f"/api/v1/people/{bad}", "person_id"),
    ):
        answer = client.get(url, **auth)
        assert answer.status_code == 422, url
        assert name in answer.content.decode(), url


def test_plain_digits_are_taken(
    admin: Person, bearer: Callable[[Person], dict[str, str]], client: Client
) -> None:
    auth = bearer(admin)
    assert client.get("/api/v1/teams?offset=0&limit=5", **auth).status_code == 200
    assert client.get("/api/v1/teams?offset=007", **auth).status_code == 200
    assert client.get(f"/api/v1/people/{admin.pk}", **auth).status_code == 200
