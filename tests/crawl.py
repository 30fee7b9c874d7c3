"""A demo role's walk through the web pages, with Django's test client.

The walk starts at every page that needs no object (``/``, ``/people/``, ``/okrs/`` …; a
page the role may not open is left out) and follows every same-site ``<a href>`` that the
pages it reads show. Each distinct link is asked once, following redirects: it must end on
a page that answers 200 — never the sign-in page, a 403, a 404, a 405 or a 500.

To stay quick the walk reads (and looks for further links in) at most ``PER_KIND`` pages of
one kind — a kind is the route's name plus the names of its query parameters, so
``/people/3/`` and ``/people/9/`` are one kind — but asks every link it finds.

Used by tests/core/test_dead_ends.py (the links) and tests/e2e/test_accessibility.py (one
page of each kind is checked with axe-core in a real browser).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from ampwork.core.middleware import SESSION_KEY
from ampwork.core.models import Person

# role -> (the demo sign-in, the organisation it works in)
DEMO_ROLES: dict[str, tuple[str, str]] = {
    "admin": ("admin@brightwater.example", "brightwater"),
    "ops": ("people@brightwater.example", "brightwater"),
    "manager": ("manager@brightwater.example", "brightwater"),
    "member": ("member@brightwater.example", "brightwater"),
    "head": ("admin@brightwater.example", "hillside"),  # the admin is Hillside's head teacher
    "teacher": ("teacher@hillside.example", "hillside"),
    "student": ("student@hillside.example", "hillside"),
}
PER_KIND = 3
SIGN_IN = "/sign-in/"
# pages that are not part of the product's pages (the API's own, sign-in/out)
NOT_PAGES = ("/api/", SIGN_IN, "/sign-out/", "/healthz", "/readyz", "/metrics")


def signed_in(role: str) -> Client:
    """A test client signed in as the demo person of a role, in that role's organisation."""
    email, slug = DEMO_ROLES[role]
    person = Person.objects.select_related("user").get(email=email, organisation__slug=slug)
    assert person.user is not None
    client = Client(raise_request_exception=False)  # a 500 is an answer too
    client.force_login(person.user)
    session = client.session
    session[SESSION_KEY] = person.organisation_id
    session.save()
    return client


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str, base: str) -> list[str]:
    """The same-site links of a page, as paths with their query (fragments dropped)."""
    parser = _Links()
    parser.feed(html)
    found: list[str] = []
    for href in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(urljoin("http://testserver" + base, href))
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url not in found:
            found.append(url)
    return found


def kind_of(url: str) -> str:
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return name + (f"?{'&'.join(keys)}" if keys else "")


def _routes(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def start_pages() -> list[str]:
    """Every web page whose address names no object."""
    urls: list[str] = []
    for name, entry in _routes(get_resolver()):
        if entry.pattern.regex.groups:
            continue
        url = reverse(name)
        if not url.startswith(NOT_PAGES):
            urls.append(url)
    return urls


@dataclass
class Answer:
    status: int  # the last answer's status, after redirects
    final: str  # where the redirects ended
    html: str | None  # the page, when it is one


@dataclass
class Walk:
    role: str
    pages: dict[str, list[str]] = field(default_factory=dict)  # kind -> pages read
    answers: dict[str, Answer] = field(default_factory=dict)  # every URL asked
    shown_on: dict[str, str] = field(default_factory=dict)  # link -> first page showing it

    def dead_ends(self) -> list[str]:
        """Every link shown that does not end on a page the role may read."""
        return [
            f"{self.role}: {page} links to {url} -> {self.answers[url].status}"
            + (f" at {self.answers[url].final}" if self.answers[url].final != url else "")
            for url, page in self.shown_on.items()
            if not _fine(self.answers[url])
        ]

    def one_page_per_kind(self) -> list[str]:
        return [urls[0] for urls in self.pages.values()]


def _fine(answer: Answer) -> bool:
    return answer.status == 200 and not answer.final.startswith(SIGN_IN)


def ask(client: Client, url: str) -> Answer:
    """GET a URL, following (same-site) redirects."""
    for _ in range(10):
        response: Any = client.get(url)
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        parts = urlsplit(urljoin("http://testserver" + url, response["Location"]))
        if parts.netloc != "testserver":
            break
        url = parts.path + (f"?{parts.query}" if parts.query else "")
    html = None
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        html = response.content.decode()
    return Answer(response.status_code, url, html)


def walk(role: str, client: Client | None = None) -> Walk:
    """Read the role's pages breadth-first from the start pages, asking every link shown."""
    client = client or signed_in(role)
    result = Walk(role)
    queue: list[str] = []
    for url in ["/", *start_pages()]:
        answer = ask(client, url)
        result.answers[url] = answer
        if _fine(answer) and answer.html is not None and url not in queue:
            queue.append(url)
    while queue:
        url = queue.pop(0)
        answer = result.answers[url]
        kind = kind_of(answer.final)
        read = result.pages.setdefault(kind, [])
        if len(read) >= PER_KIND or answer.final in read or answer.html is None:
            continue
        read.append(answer.final)
        for link in links_in(answer.html, answer.final):
            if link.startswith(NOT_PAGES[1:]):  # sign-in and sign-out are not the role's pages
                continue
            result.shown_on.setdefault(link, url)
            if link not in result.answers:
                result.answers[link] = ask(client, link)
                if result.answers[link].html is not None and _fine(result.answers[link]):
                    queue.append(link)
    return result


# Browser-side: the text nodes holding a lower-case Greek letter (α, β, …), or a lone
# lower-case letter that is a symbol (n), that CSS sets in capitals (text-transform on a
# table heading): α would show as the capital Α, n as N — other symbols. Used by the page
# walks in the browser; answers "TAG: text" for each.
CAPITALISED_GREEK = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    // a Greek letter, or a lone letter that is a symbol (n, the respondents; N is another)
    const text = node.textContent.trim();
    if (!el || !(/[\\u03b1-\\u03c9]/.test(text) || /^[a-z]$/.test(text))) continue;
    const style = getComputedStyle(el);
    if (style.textTransform === "uppercase" || style.textTransform === "capitalize") {
      found.push(el.tagName + ": " + node.textContent.trim().slice(0, 80));
    }
  }
  return found;
}"""
