"""What a page says, without the parts that change on every request.

A page carries a fresh, random CSRF token (64 letters and digits) in its forms and its
htmx headers. A test that checks a short marker is *absent* ("N0", "8D", a three-letter
name) fails now and then when the token happens to contain it; these helpers take the
token out first.
"""

from __future__ import annotations

import re
from typing import Any

CSRF_TOKEN = re.compile(r"[A-Za-z0-9]{64}")


def without_tokens(html: str) -> str:
    """The page's text with every CSRF-sized token removed."""
    return CSRF_TOKEN.sub("", html)


def text_of(response: Any) -> str:
    """A response's body, decoded, without its CSRF tokens."""
    return without_tokens(response.content.decode())


def page_as(client: Any, person: Any, url: str, **headers: str) -> str:
    """The page at ``url`` as ``person`` sees it (signed in on ``client``): its HTML, after
    checking it answered 200."""
    assert person.user is not None
    client.force_login(person.user)
    response = client.get(url, **headers)
    assert response.status_code == 200
    return str(response.content.decode())


def main_of(html: str) -> str:
    """A page's ``<main>`` element: its own words, without the navigation and footer."""
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    return found.group()
