"""The notification centre: who is told of what (and nobody else), choices per kind and
channel, quiet hours, one-click unsubscribe (RFC 8058), privacy, query counts, the API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ampwork.autonomy import services as autonomy
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.mastery import services as mastery
from ampwork.notifications import kinds, selectors, services
from ampwork.notifications.models import Notification, Preference, QuietHours
from ampwork.okrs.services import check_in
from tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory
from tests.pages import text_of

Make = Callable[[Person], Actor]
BASE = "http://testserver"


@pytest.fixture(autouse=True)
def _locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BASE_URL = BASE


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run the events' listeners as a committed transaction would."""

    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return run


def told(person: Person, kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(recipient=person)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows)


def everyone_told(org: Organisation) -> set[int]:
    return set(Notification.objects.filter(organisation=org).values_list("recipient", flat=True))


# ---------------------------------------------------------------- who is told


def test_feedback_reaches_its_receiver_only_with_no_text(
    crew: dict[str, Any], actor_of: Make, org: Organisation, committed: Any
) -> None:
    with committed():
        mastery.give_feedback(
            actor=actor_of(crew["bob"]), receiver_id=crew["ann"].pk, body="Secret praise"
        )
    [note] = told(crew["ann"])
    assert note.kind == "feedback_received"
    assert note.title == "Bob Member gave you feedback"
    assert "Secret praise" not in note.title
    assert everyone_told(org) == {crew["ann"].pk}
    # by email too (on by default), with the one-click unsubscribe headers
    [letter] = mail.outbox
    assert letter.to == [crew["ann"].email]
    assert "Secret praise" not in letter.body
    unsubscribe = letter.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{BASE}/notifications/unsubscribe/")
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_feedback_request_reaches_the_person_asked_in_the_app_only(
    crew: dict[str, Any], actor_of: Make, org: Organisation, committed: Any
) -> None:
    with committed():
        mastery.request_feedback(actor=actor_of(crew["ann"]), asked_id=crew["bob"].pk, about="x")
    assert [n.kind for n in told(crew["bob"])] == ["feedback_requested"]
    assert everyone_told(org) == {crew["bob"].pk}
    assert mail.outbox == []  # email off by default for requests


def test_a_reply_to_a_review_reaches_its_author(
    crew: dict[str, Any], actor_of: Make, org: Organisation, committed: Any
) -> None:
    review = mastery.save_review(actor=actor_of(crew["ann"]), wins="shipped the thing")
    with committed():
        mastery.reply(actor=actor_of(crew["lead"]), review=review, body="Well done")
    [note] = told(crew["ann"], "review_answered")
    assert note.url == f"/mastery/reviews/{review.pk}/"
    assert "Well done" not in note.title
    assert "shipped" not in note.title
    assert everyone_told(org) == {crew["ann"].pk}


def test_recognition_reaches_each_recipient_not_the_author(
    crew: dict[str, Any], actor_of: Make, org: Organisation, committed: Any
) -> None:
    with committed():
        mastery.recognise(
            actor=actor_of(crew["lead"]),
            recipient_ids=[crew["ann"].pk, crew["bob"].pk],
            body="now that you fixed the build",
        )
    assert everyone_told(org) == {crew["ann"].pk, crew["bob"].pk}


@pytest.mark.parametrize(("outcome", "word"), [("granted", "granted"), ("deferred", "deferred")])
def test_an_autonomy_decision_reaches_the_person_decided_on(
    crew: dict[str, Any],
    actor_of: Make,
    org: Organisation,
    committed: Any,
    outcome: str,
    word: str,
) -> None:
    with committed():
        autonomy.decide(
            actor=actor_of(crew["lead"]),
            person=crew["ann"],
            t="time",
            level=2,
            outcome=outcome,
            note="private note",
        )
    [note] = told(crew["ann"], "autonomy_decided")
    assert word in note.title
    assert "private note" not in note.title
    assert everyone_told(org) == {crew["ann"].pk}


def test_an_event_never_reaches_another_organisation(
    crew: dict[str, Any], other_org: Organisation, make_person: Callable[..., Person]
) -> None:
    stranger = make_person(other_org)
    # an event of Acme that names a Globex person's id tells nobody there
    services.hear(
        crew["ann"].organisation_id,
        "feedback.given",
        {"feedback_id": 1, "giver_id": crew["bob"].pk, "receiver_id": stranger.pk},
    )
    assert told(stranger) == []
    services.hear(
        other_org.pk,
        "recognition.given",
        {"recognition_id": 1, "author_id": stranger.pk, "recipient_ids": [crew["ann"].pk]},
    )
    assert told(crew["ann"]) == []


def test_unknown_events_and_inactive_people_tell_nobody(crew: dict[str, Any]) -> None:
    gone = crew["ann"]
    gone.active = False
    gone.save()
    assert services.hear(gone.organisation_id, "no.such", {"person_id": gone.pk}) == 0
    data = {"feedback_id": 1, "giver_id": crew["bob"].pk, "receiver_id": gone.pk}
    assert services.hear(gone.organisation_id, "feedback.given", data) == 0


def test_the_weekly_reminder_also_notifies_in_the_app_once(
    crew: dict[str, Any], org: Organisation, committed: Any
) -> None:
    with committed():
        mastery.send_reminders(org=org)
        mastery.send_reminders(org=org)  # a second run tells nobody again
    due = told(crew["bob"], "checkin_due")
    assert len(due) == 1
    assert due[0].url == "/mastery/review/"


def test_the_advisor_digest_notifies_a_manager_of_open_findings(crew: dict[str, Any]) -> None:
    org_id = crew["lead"].organisation_id
    data = {"person_id": crew["lead"].pk, "count": 2, "week": "2026-11-30"}
    services.hear(org_id, "advisor.findings", data)
    [note] = told(crew["lead"], "manager_finding")
    assert note.title == "The advisor has 2 open findings for you"
    services.hear(org_id, "advisor.findings", {**data, "count": 0})
    assert len(told(crew["lead"])) == 1


def test_a_shipit_day_tomorrow_and_now_tells_everyone_once_each(
    crew: dict[str, Any], org: Organisation, admin_actor: Actor, committed: Any
) -> None:
    from ampwork.autonomy.models import ShipItEvent

    now = timezone.now()
    start = timezone.localtime(now).replace(hour=9, minute=0) + dt.timedelta(days=1)
    ShipItEvent.objects.create(
        organisation=org, title="Winter ShipIt", starts_at=start, ends_at=start + dt.timedelta(1)
    )
    with committed():
        assert autonomy.announce_shipit(org=org, now=now) == ["Winter ShipIt (tomorrow)"]
        autonomy.announce_shipit(org=org, now=now)
    people = set(Person.objects.filter(organisation=org).values_list("pk", flat=True))
    assert everyone_told(org) == people
    assert len(told(crew["ann"], "shipit_phase")) == 1
    with committed():
        autonomy.announce_shipit(org=org, now=start + dt.timedelta(hours=1))
    assert [n.title for n in told(crew["ann"])] == [
        "Winter ShipIt has started",
        "Winter ShipIt starts tomorrow",
    ]


@pytest.mark.parametrize(("closes_in", "told_anyone"), [(-1, False), (0, True), (7, True)])
def test_a_pulse_that_opens_tells_the_invited(
    crew: dict[str, Any],
    org: Organisation,
    admin_actor: Actor,
    committed: Any,
    closes_in: int,
    told_anyone: bool,
) -> None:
    """Everyone invited hears it is open — unless it closed already (a round opened for
    the record after its closing day, as the demo's history is: nothing is open then)."""
    from ampwork.pulse import services as pulse
    from tests.factories import RoundFactory

    today = timezone.localdate()
    round = RoundFactory(
        organisation=org,
        opens=today - dt.timedelta(days=10),
        closes=today + dt.timedelta(days=closes_in),
    )
    round.teams.set([crew["team"]])
    with committed():
        pulse.open_round(actor=admin_actor, round=round, send=False)
    if not told_anyone:
        assert everyone_told(org) == set()
        return
    assert everyone_told(org) == {crew[w].pk for w in ("lead", "ann", "bob")}
    title = told(crew["ann"])[0].title
    assert "answer" not in title.lower()
    assert f"open until {round.closes:%-d %B}" in title


# ---------------------------------------------------------------- privacy


def test_a_private_objectives_check_in_never_carries_its_title(
    crew: dict[str, Any], actor_of: Make, org: Organisation, committed: Any
) -> None:
    cycle = CycleFactory(organisation=org, start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31))
    objective = ObjectiveFactory(
        cycle=cycle, owner_person=crew["ann"], title="Secret merger plan", visibility="private"
    )
    kr = KeyResultFactory(objective=objective)
    with committed():
        check_in(actor=actor_of(crew["ann"]), key_result=kr, value=3)
    assert not Notification.objects.filter(title__contains="Secret merger").exists()
    assert all("Secret merger" not in f"{m.subject} {m.body}" for m in mail.outbox)


# ---------------------------------------------------------------- choices


def test_a_channel_turned_off_gets_nothing(
    crew: dict[str, Any], actor_of: Make, committed: Any
) -> None:
    ann = actor_of(crew["ann"])
    services.set_preferences(actor=ann, enabled=[("feedback_received", kinds.IN_APP)])
    with committed():
        mastery.give_feedback(actor=actor_of(crew["bob"]), receiver_id=crew["ann"].pk, body="x")
    assert len(told(crew["ann"])) == 1
    assert mail.outbox == []
    services.set_preferences(actor=ann, enabled=[("feedback_received", kinds.EMAIL)])
    with committed():
        mastery.give_feedback(actor=actor_of(crew["bob"]), receiver_id=crew["ann"].pk, body="y")
    assert len(told(crew["ann"])) == 1  # nothing new in the app
    assert len(mail.outbox) == 1


def test_preferences_refuse_unknown_kinds_and_half_quiet_hours(
    crew: dict[str, Any], actor_of: Make
) -> None:
    from ampwork.core.errors import ValidationFailed

    ann = actor_of(crew["ann"])
    with pytest.raises(ValidationFailed):
        services.set_preferences(actor=ann, enabled=[("nope", kinds.EMAIL)])
    with pytest.raises(ValidationFailed):
        services.set_preferences(actor=ann, enabled=[], quiet_start=dt.time(22))
    with pytest.raises(ValidationFailed):
        services.set_preferences(
            actor=ann, enabled=[], quiet_start=dt.time(1), quiet_end=dt.time(1)
        )


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dt.datetime], None]]:
    def freeze(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    yield freeze


def test_quiet_hours_hold_email_until_they_end_not_the_app(
    crew: dict[str, Any],
    actor_of: Make,
    task_queue: None,
    frozen: Callable[[dt.datetime], None],
    settings: Any,
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TIME_ZONE = "UTC"
    QuietHours.objects.create(
        organisation=crew["ann"].organisation, person=crew["ann"], start=dt.time(22), end=dt.time(7)
    )
    note = services.Note((crew["ann"].pk, crew["bob"].pk), "feedback_received", "A title", "/x/")
    frozen(dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC))
    services.notify(organisation_id=crew["ann"].organisation_id, note=note)
    assert len(told(crew["ann"])) == 1  # the app is not held back
    runs = sorted(DBTaskResult.objects.values_list("run_after", flat=True))
    # Ann's waits until 07:00 tomorrow; Bob's (no quiet hours) has no run_after, which the
    # database backend stores as its "any time" date in the year 9999
    assert runs[0] == dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)
    assert len(runs) == 2
    assert runs[1].year == 9999


# ---------------------------------------------------------------- one-click unsubscribe


def _token(person: Person, kind: str = "feedback_received") -> str:
    return services.unsubscribe_token(person, kind)


def test_one_click_unsubscribe_needs_no_session(crew: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    url = f"/notifications/unsubscribe/{_token(crew['ann'])}/"
    answer = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    pref = Preference.objects.get(person=crew["ann"], kind="feedback_received")
    assert (pref.channel, pref.enabled) == (kinds.EMAIL, False)
    assert selectors.choices(crew["ann"]).rows[2].cells[0][2]  # the app channel stays on


def test_a_get_of_the_unsubscribe_link_changes_nothing(crew: dict[str, Any]) -> None:
    answer = Client().get(f"/notifications/unsubscribe/{_token(crew['ann'])}/")
    assert answer.status_code == 200
    assert b"Unsubscribe" in answer.content
    assert b"<form" in answer.content
    assert not Preference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_bad_token_is_refused(crew: dict[str, Any], method: str) -> None:
    good = _token(crew["ann"])
    for bad in (good[:-2] + "xx", "nonsense", good.replace(":", "::", 1)):
        answer = getattr(Client(), method)(f"/notifications/unsubscribe/{bad}/")
        assert answer.status_code == 404
    assert not Preference.objects.exists()


def test_an_expired_token_is_refused(crew: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    token = _token(crew["ann"])
    monkeypatch.setattr(services, "UNSUBSCRIBE_MAX_AGE", -1)
    assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 404


# ---------------------------------------------------------------- pages


def _some(person: Person, n: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            organisation=person.organisation,
            recipient=person,
            kind="recognition",
            title=f"N{i}",
            url="/",
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [1, 60])
def test_the_bell_counts_unread_in_fixed_queries(
    crew: dict[str, Any],
    web: Callable[[Person], Client],
    django_assert_max_num_queries: Any,
    n: int,
) -> None:
    _some(crew["ann"], n)
    client = web(crew["ann"])
    client.get("/notifications/bell/", HTTP_HX_REQUEST="true")  # warm the session
    with django_assert_max_num_queries(8):
        answer = client.get("/notifications/bell/", HTTP_HX_REQUEST="true")
    assert f">{n}<".encode() in answer.content
    with django_assert_max_num_queries(1):
        assert selectors.unread_count(crew["ann"]) == n
    # opened by hand (not by htmx), the bell is the notifications page
    assert client.get("/notifications/bell/")["Location"] == "/notifications/"


def test_the_page_marks_one_and_all_read_and_shows_only_mine(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    _some(crew["ann"], 3)
    _some(crew["bob"], 1)
    client = web(crew["ann"])
    page = client.get("/notifications/").content.decode()
    assert page.count('class="notice ') == 3
    first = Notification.objects.filter(recipient=crew["ann"]).first()
    assert first is not None
    answer = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert answer["HX-Trigger"] == "notifications-read"
    assert selectors.unread_count(crew["ann"]) == 2
    bobs = Notification.objects.get(recipient=crew["bob"])
    client.post(f"/notifications/{bobs.pk}/read/")  # someone else's: untouched
    bobs.refresh_from_db()
    assert bobs.read_at is None
    client.post("/notifications/read-all/")
    assert selectors.unread_count(crew["ann"]) == 0
    assert selectors.unread_count(crew["bob"]) == 1


def test_an_empty_page_says_what_will_appear(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    page = web(crew["ann"]).get("/notifications/").content.decode()
    assert "Nothing yet" in page
    assert "feedback you receive" in page


def test_the_preferences_page_saves_the_grid_and_quiet_hours(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    client = web(crew["ann"])
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="feedback_received:email" value="1" checked' in page
    client.post(
        "/notifications/preferences/",
        {
            "shown": ["in_app", "email"],  # the columns the form showed
            "recognition:in_app": "1",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
    )
    grid = {
        (r.kind.code, c): on for r in selectors.choices(crew["ann"]).rows for c, _, on in r.cells
    }
    assert grid[("recognition", kinds.IN_APP)]
    assert not grid[("feedback_received", kinds.EMAIL)]
    assert QuietHours.objects.get(person=crew["ann"]).end == dt.time(7)
    bad = client.post("/notifications/preferences/", {"quiet_start": "25:00", "quiet_end": "1"})
    assert bad.status_code == 200
    assert QuietHours.objects.get(person=crew["ann"]).end == dt.time(7)


# ---------------------------------------------------------------- API


def test_the_api_lists_my_own_marks_read_and_sets_choices(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    _some(crew["ann"], 2)
    _some(crew["bob"], 1)
    auth = bearer(crew["ann"])
    listed = client.get("/api/v1/notifications", **auth).json()  # type: ignore[arg-type]
    assert listed["count"] == 2
    one = listed["items"][0]["id"]
    marked = client.post(
        "/api/v1/notifications/read",
        json.dumps({"ids": [one, Notification.objects.get(recipient=crew["bob"]).pk]}),
        content_type="application/json",
        **auth,  # type: ignore[arg-type]
    ).json()
    assert marked == {"marked": 1}
    body = {"preferences": [{"kind": "recognition", "channel": "email", "enabled": True}]}
    put = client.put(
        "/api/v1/notification-preferences",
        json.dumps({**body, "quiet_start": "22:00", "quiet_end": "06:30"}),
        content_type="application/json",
        **auth,  # type: ignore[arg-type]
    )
    assert put.status_code == 200
    got = put.json()
    assert got["quiet_end"] == "06:30"
    on = {(p["kind"], p["channel"]): p["enabled"] for p in got["preferences"]}
    assert on[("recognition", "email")]
    assert on[("feedback_received", "email")]


@pytest.mark.parametrize(
    "body",
    [
        {"ids": [1], "extra": 1},
        {"ids": "1"},
        "all",
        {},
    ],
)
def test_the_api_refuses_bad_bodies(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]], body: Any
) -> None:
    answer = client.post(
        "/api/v1/notifications/read",
        json.dumps(body),
        content_type="application/json",
        **bearer(crew["ann"]),  # type: ignore[arg-type]
    )
    assert answer.status_code in (400, 422)


def test_the_api_refuses_nul_and_unknown_kinds(
    crew: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    for item in (
        {"kind": "a\x00b", "channel": "email", "enabled": True},
        {"kind": "nope", "channel": "email", "enabled": True},
    ):
        answer = client.put(
            "/api/v1/notification-preferences",
            json.dumps({"preferences": [item]}),
            content_type="application/json",
            **bearer(crew["ann"]),  # type: ignore[arg-type]
        )
        assert answer.status_code in (400, 422)
    assert not Preference.objects.exists()


def test_someone_without_a_person_gets_404_not_500(org: Organisation, client: Client) -> None:
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    assert client.get("/notifications/").status_code in (403, 404)
    assert Role.MEMBER  # the matrix covers each role's own page


def test_another_organisations_notification_is_404_on_the_web(
    crew: dict[str, Any],
    other_org: Organisation,
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
) -> None:
    stranger = make_person(other_org)
    _some(stranger, 1)
    theirs = Notification.objects.get(recipient=stranger)
    client = web(crew["ann"])
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "N0" not in text_of(client.get("/notifications/"))


def test_the_demo_shows_notifications_to_its_people(demo: Any) -> None:
    from ampwork.demo.services import COMPANY_SLUG

    def person(email: str) -> Person:
        return Person.objects.get(organisation__slug=COMPANY_SLUG, email=email)

    member, manager = person("member@brightwater.example"), person("manager@brightwater.example")
    assert selectors.unread_count(member) >= 3
    titles = [n.title for n in selectors.mine(member)]
    assert f"{manager.name} gave you feedback" in titles
    assert f"{manager.name} recognised you" in titles
    assert "manager_finding" in {n.kind for n in selectors.mine(manager)}
    assert "manager_finding" not in {n.kind for n in selectors.mine(member)}


def test_the_page_is_paginated_newest_first(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            organisation=crew["ann"].organisation,
            recipient=crew["ann"],
            kind="recognition",
            title=f"Note {i:02}",
            url="/",
            created_at=now - dt.timedelta(minutes=i),
        )
        for i in range(30)
    )
    client = web(crew["ann"])
    first = client.get("/notifications/").content.decode()
    assert first.count('class="notice ') == 25
    assert first.index("Note 00") < first.index("Note 01")
    assert "Note 29" not in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('class="notice ') == 5
    assert "Note 29" in second


def test_the_shipit_command_runs_for_every_organisation(
    crew: dict[str, Any], org: Organisation
) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("autonomy", "shipit-notices", stdout=out)
    assert f"{org.slug}: 0 ShipIt notice(s)" in out.getvalue()


def test_the_emails_own_unsubscribe_link_turns_that_email_off(
    crew: dict[str, Any], actor_of: Make, committed: Any, org: Organisation
) -> None:
    from tests.factories import PersonFactory

    no_login = PersonFactory(organisation=org, name="No Sign-in")
    with committed():
        mastery.give_feedback(actor=actor_of(crew["bob"]), receiver_id=crew["ann"].pk, body="a")
        mastery.give_feedback(actor=actor_of(crew["bob"]), receiver_id=no_login.pk, body="b")
    assert len(told(no_login)) == 1  # in the app, but no email: they cannot sign in
    [letter] = mail.outbox
    url = letter.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    assert url in letter.body.replace(BASE, "")
    answer = Client().post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    mail.outbox.clear()
    with committed():
        mastery.give_feedback(actor=actor_of(crew["bob"]), receiver_id=crew["ann"].pk, body="c")
    assert mail.outbox == []
    assert len(told(crew["ann"])) == 2  # the app still tells her


def test_the_rule_own_only_whatever_the_role(
    crew: dict[str, Any], actor_of: Make, other_org: Organisation, make_person: Any
) -> None:
    from ampwork.core.permissions import can

    assert can(actor_of(crew["ann"]), "notifications.own", crew["ann"])
    for who in ("admin", "lead", "bob"):  # an admin, her manager, a teammate: never
        assert not can(actor_of(crew[who]), "notifications.own", crew["ann"])
    stranger = make_person(other_org, Role.ADMIN)
    assert not can(actor_of(stranger), "notifications.own", crew["ann"])


def test_a_notice_sent_once_is_not_sent_again_after_a_language_switch(
    crew: dict[str, Any],
) -> None:
    bob = crew["bob"]
    data = {"person_id": bob.pk, "week": "2026-11-30"}
    services.hear(bob.organisation_id, "review.due", data)
    [first] = told(bob, "checkin_due")
    bob.language = "de"
    bob.save(update_fields=["language"])
    services.hear(bob.organisation_id, "review.due", data)  # titled in German now: not again
    assert told(bob, "checkin_due") == [first]


# ---------------------------------------------------------------- the reader's language


def _in(language: str, msgid: str, **params: Any) -> str:
    """What the catalogue of ``language`` says for ``msgid`` (never the English)."""
    from django.utils import translation

    with translation.override(language):
        text = translation.gettext(msgid) % params
    assert text != msgid % params, f"{msgid!r} has no {language} translation"
    return text


def _speaks(person: Person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


def test_a_notification_made_in_english_reads_in_the_readers_language(
    crew: dict[str, Any],
    web: Callable[[Person], Client],
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    """Stored while Ann and Lena read English, it is written when read: in German on
    Ann's page once she chose German, in Spanish on the API for Lena, who reads Spanish."""
    ann, lena, bob = crew["ann"], crew["lead"], crew["bob"]
    _speaks(ann, "en-gb")
    _speaks(lena, "en-gb")
    data = {"author_id": bob.pk, "recipient_ids": [ann.pk, lena.pk]}
    services.hear(ann.organisation_id, "recognition.given", data)
    [note] = told(ann)
    assert note.title == "Bob Member recognised you"  # written in English when made
    assert (note.message, note.params) == ("recognised", {"name": "Bob Member"})
    _speaks(ann, "de")
    _speaks(lena, "es")
    german = _in("de", "%(name)s recognised you", name="Bob Member")
    page = web(ann).get("/notifications/").content.decode()
    assert german in page
    assert "Bob Member recognised you" not in page
    listed = Client().get("/api/v1/notifications", **bearer(lena)).json()  # type: ignore[arg-type]
    spanish = _in("es", "%(name)s recognised you", name="Bob Member")
    assert [item["title"] for item in listed["items"]] == [spanish]
    # and on the API in German for Ann, who chose it
    mine = Client().get("/api/v1/notifications", **bearer(ann)).json()  # type: ignore[arg-type]
    assert [item["title"] for item in mine["items"]] == [german]


def test_dates_and_counts_are_written_the_readers_way(crew: dict[str, Any]) -> None:
    from django.utils import translation

    from ampwork.core import l10n

    bob = crew["bob"]
    _speaks(bob, "en-gb")
    org_id = bob.organisation_id
    services.hear(org_id, "review.due", {"person_id": bob.pk, "week": "2026-11-30"})
    services.hear(org_id, "advisor.findings", {"person_id": bob.pk, "count": 2})
    due, found = told(bob, "checkin_due")[0], told(bob, "manager_finding")[0]
    assert due.params == {"date": "2026-11-30"}  # a plain value, written when read
    assert "30 November" in due.text
    with translation.override("fr"):
        day = l10n.format_day(dt.date(2026, 11, 30), "day_month_long")
        assert day in due.text
        assert "November" not in due.text
        assert found.text == translation.ngettext(
            "The advisor has %(count)d open finding for you",
            "The advisor has %(count)d open findings for you",
            2,
        ) % {"count": 2}
        assert found.text != "The advisor has 2 open findings for you"


def test_someone_unknown_is_someone_in_each_language(crew: dict[str, Any]) -> None:
    from django.utils import translation

    ann = crew["ann"]
    services.hear(ann.organisation_id, "feedback.given", {"giver_id": 0, "receiver_id": ann.pk})
    [note] = told(ann)
    assert note.params == {"name": None}
    with translation.override("es"):
        assert note.text == _in("es", "%(name)s gave you feedback", name=_in("es", "Someone"))


def test_old_rows_without_a_key_still_show_their_text(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    _some(crew["ann"], 1)  # a row of the previous release: a title, no key
    Notification.objects.create(
        organisation=crew["ann"].organisation,
        recipient=crew["ann"],
        kind="recognition",
        title="From a later release",
        url="/",
        message="a_key_this_release_does_not_know",
        params={"name": "X"},
    )
    Notification.objects.create(
        organisation=crew["ann"].organisation,
        recipient=crew["ann"],
        kind="recognition",
        title="Malformed",
        url="/",
        message="autonomy_granted",
        params=["not", "a", "mapping"],
    )
    _speaks(crew["ann"], "de")
    page = web(crew["ann"]).get("/notifications/").content.decode()
    assert "N0" in page
    assert "From a later release" in page
    assert page.count('class="notice ') == 3


def test_the_list_is_written_in_the_same_queries_whatever_its_length(
    crew: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ann = crew["ann"]
    _speaks(ann, "de")
    client = web(ann)
    counts = []
    for n in (1, 20):
        Notification.objects.filter(recipient=ann).delete()
        for i in range(n):
            services.hear(
                ann.organisation_id,
                "feedback.given",
                {"giver_id": crew["bob"].pk, "receiver_id": ann.pk, "n": i},
            )
        client.get("/notifications/")  # warm the session
        with CaptureQueriesContext(connection) as page:
            answer = client.get("/notifications/")
        assert answer.content.decode().count('class="notice ') == n
        counts.append(len(page))
    assert counts[0] == counts[1]


def test_the_demo_reads_in_german_though_built_in_english(demo: Any) -> None:
    from django.utils import translation

    from ampwork.demo.services import COMPANY_SLUG

    member = Person.objects.get(organisation__slug=COMPANY_SLUG, email="member@brightwater.example")
    manager = Person.objects.get(
        organisation__slug=COMPANY_SLUG, email="manager@brightwater.example"
    )
    notes = list(selectors.mine(member))
    assert all(n.message for n in notes)  # made as notify makes them: with their key
    with translation.override("de"):
        texts = [n.text for n in notes]
    assert _in("de", "%(name)s gave you feedback", name=manager.name) in texts
    assert f"{manager.name} gave you feedback" not in texts


@pytest.mark.parametrize("batch", [500, 2])  # one page; pages of two, split mid-way
def test_the_migration_keys_old_rows_it_can_read_back_in_any_language(
    crew: dict[str, Any], monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    import importlib

    from django.apps import apps
    from django.utils import translation

    migration = importlib.import_module("ampwork.notifications.migrations.0003_keys_for_old_rows")
    monkeypatch.setattr(migration, "BATCH", batch)
    ann = crew["ann"]

    def old(kind: str, title: str) -> Notification:
        return Notification.objects.create(
            organisation=ann.organisation, recipient=ann, kind=kind, title=title, url="/"
        )

    with translation.override("de"):
        german = translation.gettext("%(name)s gave you feedback") % {"name": "Bob Member"}
        someone = translation.gettext("%(name)s recognised you") % {
            "name": translation.gettext("Someone")
        }
    rows = [
        old("feedback_received", "Bob Member gave you feedback"),
        old("feedback_received", german),
        old("recognition", someone),
        old("manager_finding", "The advisor has 3 open findings for you"),
        old("autonomy_decided", "Your autonomy step (how, level 4) was granted"),
        old("shipit_phase", "Hack week starts tomorrow"),
        old("pulse_open", "The pulse “Q3” is open until 4 December: your link is in your email"),
        old("recognition", "Something an older release wrote"),
        old("feedback_received", "Bob Member recognised you"),  # another kind's wording
    ]
    assert migration.convert(apps) == 6
    for row in rows:
        row.refresh_from_db()
    assert [(r.message, r.params) for r in rows] == [
        ("feedback_given", {"name": "Bob Member"}),
        ("feedback_given", {"name": "Bob Member"}),
        ("recognised", {"name": None}),
        ("findings", {"count": 3}),
        ("autonomy_granted", {"t": "how", "level": 4}),
        ("shipit_tomorrow", {"name": "Hack week"}),
        ("", {}),
        ("", {}),
        ("", {}),
    ]
    with translation.override("es"):
        assert rows[0].text == translation.gettext("%(name)s gave you feedback") % {
            "name": "Bob Member"
        }
    assert rows[6].text == rows[6].title  # not read back: its stored text
    assert migration.convert(apps) == 0  # once is enough


def test_a_schools_kind_is_named_in_its_words_wherever_it_is_shown(
    school: Organisation, make_person: Callable[..., Person]
) -> None:
    """The email's footer, the unsubscribe page and the API name the kind as the
    preferences page does: a reflection, not a review."""
    student = make_person(school)
    note = Notification(
        organisation=school,
        recipient=student,
        kind="review_answered",
        title="Your teacher replied",
        url="/mastery/",
    )
    body = services.letter(student, note).body
    assert "Reflection answered" in body
    assert "Review answered" not in body
    token = services.unsubscribe_token(student, "review_answered")
    page = Client().get(f"/notifications/unsubscribe/{token}/").content.decode()
    assert "Reflection answered" in page
    assert "Review answered" not in page
    [row] = [r for r in selectors.choices(student).rows if r.kind.code == "review_answered"]
    assert (str(row.label), str(row.help)) == (
        "Reflection answered",
        "someone replied to your weekly reflection",
    )
    company_kind = kinds.BY_CODE["review_answered"]
    assert str(company_kind.label_for(False)) == "Review answered"
    assert str(kinds.BY_CODE["recognition"].label_for(True)) == "Recognition"  # no school word
