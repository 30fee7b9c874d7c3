"""Where a person is signed in (allauth.usersessions): their list, signing out the others,
an admin's "sign out everywhere", and deactivation ending every session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client

from ampwork.core import middleware, services, useragents
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
SESSIONS = "/accounts/sessions/"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _signed_in(person: Person, agent: str, ip: str = "192.0.2.1") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    answer = client.post("/sign-in/", {"login": person.email, "password": "correct horse battery"})
    assert answer.status_code == 302, answer.content[:300]
    return client


def test_a_person_sees_their_sessions_and_signs_out_the_others(admin: Person) -> None:
    laptop = _signed_in(admin, FIREFOX, "192.0.2.10")
    phone = _signed_in(admin, IPHONE, "198.51.100.7")
    page = laptop.get(SESSIONS)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Firefox on Windows" in text
    assert "Safari on iPhone" in text
    assert "192.0.2.10" in text
    assert "198.51.100.7" in text
    assert text.count("this session") == 1
    assert "just now" in text
    assert "Sign out of the other 1 session" in text
    assert laptop.post(SESSIONS).status_code == 302
    assert phone.get("/")["Location"].startswith("/sign-in/")  # signed out
    assert laptop.get("/").status_code == 200  # still signed in
    assert UserSession.objects.filter(user=admin.user).count() == 1


def test_the_account_menu_links_to_the_sessions(admin: Person) -> None:
    assert f'href="{SESSIONS}"'.encode() in _signed_in(admin, FIREFOX).get("/").content


def test_a_member_cannot_end_another_users_session(
    org: Organisation, make_person: Callable[..., Person], admin: Person
) -> None:
    member = make_person(org, Role.MEMBER)
    victim = _signed_in(admin, FIREFOX)
    victim_key = victim.session.session_key
    attacker = _signed_in(member, IPHONE)
    # the form takes no session id: naming another account's session changes nothing
    attacker.post(SESSIONS, {"session_key": victim_key, "sessions": victim_key})
    assert victim.get("/").status_code == 200
    assert UserSession.objects.filter(session_key=victim_key).exists()
    # nor may a member sign a colleague out everywhere
    assert attacker.post(f"/people/{admin.pk}/sign-out/").status_code == 403
    assert victim.get("/").status_code == 200


def test_deactivation_ends_every_session_and_the_tokens(
    org: Organisation,
    admin: Person,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
    actor_of: Callable[[Person], Actor],
) -> None:
    leaver = make_person(org, Role.MEMBER)
    headers = bearer(leaver)
    one, two = _signed_in(leaver, FIREFOX), _signed_in(leaver, IPHONE)
    old_cookie = one.cookies["sessionid"].value
    assert Client(**headers).get("/api/v1/me").status_code == 200
    services.update_person(actor=actor_of(admin), person=leaver, active=False)
    assert not UserSession.objects.filter(user=leaver.user).exists()
    # the old cookie, replayed by an attacker, gets nothing
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    assert replay.get("/")["Location"].startswith("/sign-in/")
    assert replay.get("/api/v1/me").status_code == 401
    assert two.get("/people/")["Location"].startswith("/sign-in/")
    assert Client(**headers).get("/api/v1/me").status_code == 401  # tokens: still refused
    event = AuditEvent.objects.get(action="person.sessions_ended", target_id=str(leaver.pk))
    assert event.detail == {"sessions": 2}


def test_an_admin_signs_a_person_out_everywhere(
    org: Organisation, admin: Person, make_person: Callable[..., Person]
) -> None:
    person = make_person(org, Role.MEMBER)
    theirs = _signed_in(person, FIREFOX)
    admin_client = _signed_in(admin, IPHONE)
    page = admin_client.get(f"/people/{person.pk}/")
    assert f"/people/{person.pk}/sign-out/" in page.text
    answer = admin_client.post(f"/people/{person.pk}/sign-out/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/people/{person.pk}/"
    assert theirs.get("/")["Location"].startswith("/sign-in/")
    assert admin_client.get("/").status_code == 200  # the admin's own session stays
    assert AuditEvent.objects.filter(action="person.sessions_ended", actor=admin.user).exists()
    _signed_in(person, FIREFOX)  # they may sign in again


def test_people_ops_may_not_sign_people_out(
    org: Organisation, admin: Person, make_person: Callable[..., Person]
) -> None:
    ops = make_person(org, Role.PEOPLE_OPS)
    theirs = _signed_in(admin, FIREFOX)
    ops_client = _signed_in(ops, IPHONE)
    assert f"/people/{admin.pk}/sign-out/" not in ops_client.get(f"/people/{admin.pk}/").text
    assert ops_client.post(f"/people/{admin.pk}/sign-out/").status_code == 403
    assert theirs.get("/").status_code == 200


def test_an_admin_signing_themselves_out_everywhere_lands_on_sign_in(admin: Person) -> None:
    client = _signed_in(admin, FIREFOX)
    answer = client.post(f"/people/{admin.pk}/sign-out/")
    assert answer.status_code == 302
    assert answer["Location"] == "/sign-in/"
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_last_seen_is_written_at_most_every_few_minutes(
    admin: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signing in writes the row; pages within SEEN_EVERY seconds write nothing (one page
    costs no extra query); on SEEN_EVERY, the next page writes "last seen" again."""
    start = 1_900_000_000
    monkeypatch.setattr(middleware, "clock", lambda: start)
    client = _signed_in(admin, FIREFOX)
    row = UserSession.objects.get(user=admin.user)
    monkeypatch.setattr(middleware, "clock", lambda: start + middleware.SEEN_EVERY - 1)
    client.get("/")
    client.get("/")
    assert UserSession.objects.get(pk=row.pk).last_seen_at == row.last_seen_at  # just below
    monkeypatch.setattr(middleware, "clock", lambda: start + middleware.SEEN_EVERY)
    client.get("/")
    seen = UserSession.objects.get(pk=row.pk).last_seen_at
    assert seen > row.last_seen_at  # on it: written again
    monkeypatch.setattr(middleware, "clock", lambda: start + 2 * middleware.SEEN_EVERY - 1)
    client.get("/")
    assert UserSession.objects.get(pk=row.pk).last_seen_at == seen


@pytest.mark.parametrize(
    ("agent", "said"),
    [
        (FIREFOX, "Firefox on Windows"),
        (IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
            "Chrome on Linux",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge on macOS",
        ),
        ("Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36", "Chrome on Android"),
        ("curl/8.5.0", "curl"),
        ("Mozilla/5.0 (Windows NT 10.0)", "A browser on Windows"),
        ("", "Unknown browser"),
    ],
)
def test_user_agents_in_peoples_words(agent: str, said: str) -> None:
    assert useragents.describe(agent) == said


def test_a_sign_in_leaves_no_log_row_and_a_failed_one_only_its_attempt(admin: Person) -> None:
    """Data kept only as long as it is needed: a successful sign-in writes no access-log row
    (address, browser, time) that nothing would ever prune — the session list is where a
    person's sign-ins live, and it ends with the session; a failed try is counted, then
    cleared by the next success."""
    from axes.models import AccessAttempt, AccessLog

    wrong = Client(HTTP_USER_AGENT="Firefox", REMOTE_ADDR="192.0.2.9")
    wrong.post("/sign-in/", {"login": admin.email, "password": "not the password"})
    assert AccessAttempt.objects.filter(username=admin.email).count() == 1
    _signed_in(admin, "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0")
    assert not AccessLog.objects.exists()
    assert not AccessAttempt.objects.filter(username=admin.email).exists()
