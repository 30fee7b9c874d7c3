"""Password reset by email through allauth's views: the same answer whether or not the
address has an account, throttled, only for active people, the emailed link sets it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from ampwork.core import services
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor

RESET = "/accounts/password/reset/"
NEW = "a brand new passphrase 2026"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()  # allauth counts requests in the cache


def _ask(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(RESET, {"email": email})


def _link(email: str) -> str:
    (letter,) = [m for m in mail.outbox if m.to == [email]]
    found = re.search(r"(/accounts/password/reset/key/[^\s]+/)", letter.body)
    assert found is not None
    return found.group(1)


def test_a_known_address_gets_a_link_that_sets_a_new_password(
    admin: Person, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert admin.user is not None
    answer = _ask(client, admin.email.upper(), django_capture_on_commit_callbacks)
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password/reset/done/"
    letter = mail.outbox[-1]
    assert letter.subject == "ampwork: Reset your password"
    link = _link(admin.email)
    assert letter.body.count("http") == 1
    assert "testserver" not in letter.body
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"password1": NEW, "password2": NEW})
    assert done.status_code == 302
    admin.user.refresh_from_db()
    assert admin.user.check_password(NEW)
    # used once: the link no longer works
    again = client.get(link, follow=True)
    assert b"This link cannot be used" in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    admin: Person, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    known = _ask(client, admin.email, django_capture_on_commit_callbacks)
    unknown = _ask(Client(), "nobody@nowhere.example", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[admin.email]]  # nothing to the unknown address
    page_known = client.get(known["Location"])
    page_unknown = Client().get(unknown["Location"])
    assert page_known.content.replace(b"\n", b"")
    assert page_unknown.status_code == 200
    assert b"If that address has an ampwork account" in page_unknown.content


def test_a_deactivated_person_gets_no_email(
    org: Organisation,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    leaver = make_person(org, Role.MEMBER)
    services.update_person(actor=admin_actor, person=leaver, active=False)
    answer = _ask(client, leaver.email, django_capture_on_commit_callbacks)
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password/reset/done/"
    assert not mail.outbox


def test_an_inactive_account_gets_no_email(
    admin: Person, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert admin.user is not None
    admin.user.is_active = False
    admin.user.save(update_fields=["is_active"])
    assert _ask(client, admin.email, django_capture_on_commit_callbacks).status_code == 302
    assert not mail.outbox


@pytest.mark.parametrize(("asked", "refused"), [(4, False), (5, False), (6, True)])
def test_five_resets_a_minute_per_address(
    admin: Person,
    django_capture_on_commit_callbacks: Any,
    asked: int,
    refused: bool,
) -> None:
    """The per-address limit (5 a minute), from different network addresses: on the
    limit the fifth still works, above it the sixth is refused."""
    answers = [
        _ask(Client(REMOTE_ADDR=f"10.0.0.{n}"), admin.email, django_capture_on_commit_callbacks)
        for n in range(asked)
    ]
    assert [a.status_code for a in answers[:5]] == [302] * min(asked, 5)
    assert (answers[-1].status_code == 429) is refused
    assert len(mail.outbox) == min(asked, 5)
    if refused:
        assert b"Too many attempts" in answers[-1].content


def test_the_limit_is_the_same_for_an_unknown_address(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A limit reached tells nothing either: an unknown address is counted the same."""
    codes = [
        _ask(
            Client(REMOTE_ADDR=f"10.0.1.{n}"),
            "nobody@x.example",
            django_capture_on_commit_callbacks,
        ).status_code
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]


def test_a_forged_key_gets_a_clear_page_and_changes_nothing(admin: Person, client: Client) -> None:
    assert admin.user is not None
    page = client.get(f"/accounts/password/reset/key/{admin.user.pk}-forged-key/", follow=True)
    assert page.status_code == 200
    assert b"This link cannot be used" in page.content
    assert admin.user.check_password("correct horse battery")


def test_the_sign_in_page_links_to_the_reset(db: Any, client: Client) -> None:
    assert f'href="{RESET}"'.encode() in client.get("/sign-in/").content
