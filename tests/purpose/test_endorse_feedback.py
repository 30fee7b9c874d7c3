"""Endorsing a draft says so, with the count as it now stands (issue 18, item 13): in place
for htmx, as a message on the page without JavaScript; an endorsement counts once."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.test import Client

from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.purpose import services


def test_endorse_counts_once(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    member = actor_of(make_person(org))
    draft = services.propose(actor=member, text="Help patients recover at home.")
    assert services.endorse(actor=member, draft=draft) is True
    assert services.endorse(actor=member, draft=draft) is False
    assert draft.endorsements.count() == 1


def test_endorse_without_javascript_and_with_htmx(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    web: Callable[[Person], Client],
) -> None:
    author, first, second = (make_person(org) for _ in range(3))
    draft = services.propose(actor=actor_of(author), text="Help patients recover at home.")
    client = web(first)
    response = client.post(f"/purpose/drafts/{draft.pk}/", {"action": "endorse"})
    assert response.status_code == 302
    assert response["Location"] == "/purpose/"
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["You endorse this draft: it has 1 endorsement now."]
    page = client.get("/purpose/").content.decode()
    assert "1\n        endorsement</span>" in page
    assert "✓ You endorse this draft" in page
    again = client.post(f"/purpose/drafts/{draft.pk}/", {"action": "endorse"})
    assert [str(m) for m in get_messages(again.wsgi_request)] == [
        "You already endorse this draft: it has 1 endorsement now."
    ]
    # htmx: the draft alone comes back, with the message and the new count
    client = web(second)
    swapped = client.post(
        f"/purpose/drafts/{draft.pk}/", {"action": "endorse"}, headers={"HX-Request": "true"}
    )
    assert swapped.status_code == 200
    html = swapped.content.decode()
    assert html.lstrip().startswith(f'<article class="draft" id="draft-{draft.pk}">')
    assert "You endorse this draft: it has 2 endorsements now." in html
    assert 'role="status" tabindex="-1" autofocus' in html
    assert "2\n        endorsements</span>" in html
    assert 'value="endorse"' not in html  # the button is gone: endorsed
