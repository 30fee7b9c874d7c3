"""Outgoing webhooks (issue 16) on the Standard Webhooks specification: signatures, the
retry schedule and when an endpoint is disabled, the SSRF guard, what each event carries,
and a real receiver on 127.0.0.1 that verifies every delivery."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail as django_mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook

from ampwork.core import events as core_events
from ampwork.core import worker
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import AuditEvent, Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.integrations import netguard, policy, services, tasks
from ampwork.integrations.models import Delivery, Endpoint
from ampwork.okrs import services as okrs
from ampwork.okrs.models import Objective
from tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory

from .receiver import receiver

# ---------------------------------------------------------------- signing


def test_a_signature_matches_the_specifications_example() -> None:
    # the example of the Standard Webhooks specification (and its reference libraries)
    headers = services.sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        dt.datetime.fromtimestamp(1614265330, tz=dt.UTC),
        '{"test": 2432232314}',
    )
    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }


def test_the_librarys_verifier_accepts_ours_and_refuses_a_changed_body() -> None:
    secret = services.new_secret()
    assert secret.startswith("whsec_")
    body = '{"type":"check_in.created"}'
    headers = services.sign(secret, "msg_1", timezone.now(), body)
    assert Webhook(secret).verify(body, headers) == {"type": "check_in.created"}
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(secret).verify(body.replace("check", "chuck"), headers)
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(services.new_secret()).verify(body, headers)


# ---------------------------------------------------------------- when to give up


NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("failing_for", "disabled"),
    [
        (None, False),
        (dt.timedelta(0), False),
        (dt.timedelta(days=3) - dt.timedelta(seconds=1), False),
        (dt.timedelta(days=3), True),
        (dt.timedelta(days=3, seconds=1), True),
    ],
)
def test_an_endpoint_failing_for_three_days_is_disabled(
    failing_for: dt.timedelta | None, disabled: bool
) -> None:
    since = None if failing_for is None else NOW - failing_for
    assert policy.to_disable(since, NOW) is disabled


@pytest.mark.parametrize(
    ("code", "ok"), [(None, False), (199, False), (200, True), (299, True), (300, False)]
)
def test_only_a_2xx_answer_is_a_delivery(code: int | None, ok: bool) -> None:
    assert policy.succeeded(code) is ok


def test_an_answer_is_kept_short_and_without_nul_bytes() -> None:
    assert policy.kept(b"ok\x00") == "ok"
    assert len(policy.kept(b"x" * 5000)) == policy.BODY_KEPT
    assert policy.kept("é".encode() * 600) == "é" * policy.BODY_KEPT


# ---------------------------------------------------------------- the SSRF guard


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://example.org/hook", "https://"),
        ("file:///etc/passwd", "https://"),
        ("https:///nohost", "host"),
        ("https://user:pw@example.org/", "user name"),
        ("http://127.0.0.1:8000/", "private or local"),
        ("http://10.1.2.3/", "private or local"),
        ("http://192.168.0.10/", "private or local"),
        ("http://169.254.169.254/latest/meta-data/", "private or local"),
        ("http://[::1]/", "private or local"),
        ("http://[::ffff:127.0.0.1]/", "private or local"),
        ("http://0.0.0.0/", "private or local"),
        ("http://localhost:8000/", "localhost"),
        ("http://api.localhost/", "localhost"),
        # IPv6 addresses that carry a private IPv4 one: NAT64, 6to4, IPv4-compatible,
        # Teredo (its client 192.0.2.45 is not public), and the old site-local range
        ("http://[64:ff9b::a00:1]/", "private or local"),
        ("http://[64:ff9b::7f00:1]/", "private or local"),
        ("http://[2002:7f00:1::]/", "private or local"),
        ("http://[::127.0.0.1]/", "private or local"),
        ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "private or local"),
        ("http://[fec0::1]/", "private or local"),
    ],
)
def test_a_private_or_odd_url_is_refused_when_saved(url: str, why: str, settings: Any) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(netguard.Refused, match=why):
        netguard.check_host(netguard.parse(url).hostname or "")


def test_a_public_address_is_accepted_and_a_private_one_when_allowed(settings: Any) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = False
    netguard.check_host("93.184.216.34")
    netguard.check_host("[64:ff9b::808:808]")  # NAT64 of a public address
    netguard.check_host("[2606:4700::1111]")
    netguard.check_host("hooks.example.org")  # a name: checked when resolved
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = True
    netguard.check_host("127.0.0.1")
    netguard.check_host("localhost")


def _resolves_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    def fake(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_name_is_resolved_at_delivery_and_refused_if_any_address_is_private(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = False
    _resolves_to(monkeypatch, "93.184.216.34", "10.0.0.7")  # a rebinding trick
    with pytest.raises(netguard.Refused, match="resolves to a private"):
        netguard.resolve("hooks.example.org", 443)
    _resolves_to(monkeypatch, "93.184.216.34")
    assert netguard.resolve("hooks.example.org", 443) == "93.184.216.34"
    with pytest.raises(netguard.Refused, match="resolves to a private"):
        _resolves_to(monkeypatch, "127.0.0.1")
        netguard.post("http://hooks.example.org/", b"{}", {}, 1.0)


# ---------------------------------------------------------------- endpoints


def test_only_an_admin_manages_endpoints(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    for role in (Role.MANAGER, Role.MEMBER, Role.PEOPLE_OPS):
        with pytest.raises(NotAllowed):
            services.create_endpoint(
                actor=actor_of(make_person(org, role)),
                url="https://hooks.example.org/",
                events=["check_in.created"],
            )


def test_an_endpoint_names_each_bad_field(admin_actor: Actor) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.create_endpoint(
            actor=admin_actor, url="http://10.0.0.1/", events=["nope"], description="x" * 201
        )
    assert [e.field for e in caught.value.errors] == ["url", "events", "description"]
    with pytest.raises(ValidationFailed, match="at least one"):
        services.create_endpoint(actor=admin_actor, url="https://example.org/", events=[])
    assert Endpoint.objects.count() == 0


def test_rotating_the_secret_changes_it(admin_actor: Actor) -> None:
    endpoint, old = services.create_endpoint(
        actor=admin_actor, url="https://example.org/", events=["cycle.closed"]
    )
    new = services.rotate_secret(actor=admin_actor, endpoint=endpoint)
    assert new != old
    assert new.startswith("whsec_")
    stored = Endpoint.objects.get()
    assert services.signing_secret(stored) == new
    # kept sealed: neither the secret nor its base64 key is in the row
    assert new not in stored.sealed_secret
    assert new.removeprefix("whsec_") not in stored.sealed_secret


# ---------------------------------------------------------------- a real receiver


@pytest.fixture
def local(settings: Any, task_queue: None) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = True


def _key_result(org: Organisation, owner: Person, **objective: Any) -> Any:
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=org, start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=60)
    )
    return KeyResultFactory(
        objective=ObjectiveFactory(cycle=cycle, owner_person=owner, **objective)
    )


@pytest.mark.usefixtures("local")
def test_a_check_in_reaches_a_real_receiver_signed(
    org: Organisation,
    admin: Person,
    admin_actor: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    kr = _key_result(org, admin)
    with receiver() as hook:
        _endpoint, secret = services.create_endpoint(
            actor=admin_actor, url=hook.url, events=["check_in.created", "cycle.closed"]
        )
        hook.secret = secret
        with django_capture_on_commit_callbacks(execute=True):
            entry = okrs.check_in(actor=admin_actor, key_result=kr, value=4, confidence=7)
        assert hook.received == []  # the web request only queued it
        assert worker.run_due() == 1
    assert hook.refused == []
    (got,) = hook.received
    assert got["payload"]["type"] == "check_in.created"
    assert got["payload"]["data"] == {
        "check_in_id": entry.pk,
        "key_result_id": kr.pk,
        "objective_id": kr.objective_id,
        "value": 4.0,
        "done": None,
        "confidence": 7,
        "note": "",
        "date": timezone.localdate().isoformat(),
        "author_id": admin.pk,
    }
    delivery = Delivery.objects.get()
    assert got["headers"]["webhook-id"] == delivery.message_id
    assert (delivery.status, delivery.status_code, delivery.attempts) == ("succeeded", 200, 1)
    assert delivery.response_body == '{"answered": 200}'
    assert delivery.duration_ms is not None


@pytest.mark.usefixtures("local")
def test_a_receiver_that_answers_500_then_200_gets_a_retry(
    org: Organisation, admin: Person, admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    kr = _key_result(org, admin)
    with receiver(answers=[500]) as hook:
        endpoint, secret = services.create_endpoint(
            actor=admin_actor, url=hook.url, events=["check_in.created"]
        )
        hook.secret = secret
        with django_capture_on_commit_callbacks(execute=True):
            okrs.check_in(actor=admin_actor, key_result=kr, value=4)
        worker.run_due()
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.status_code, delivery.attempts) == ("failed", 500, 1)
        assert delivery.next_attempt_at is not None
        assert delivery.last_attempt_at is not None
        wait = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
        assert wait == 60
        endpoint.refresh_from_db()
        assert endpoint.failing_since == delivery.last_attempt_at
        assert worker.run_due() == 0  # not due for a minute
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        assert worker.run_due() == 1
    assert [r["code"] for r in hook.received] == [500, 200]
    assert hook.received[0]["headers"]["webhook-id"] == hook.received[1]["headers"]["webhook-id"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.status_code, delivery.attempts) == ("succeeded", 200, 2)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


@pytest.mark.usefixtures("local")
def test_a_retry_while_the_next_attempt_waits_sends_once(
    org: Organisation, admin: Person, admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    """An admin's Retry while attempt 2 is scheduled: whichever runs first sends attempt 2,
    the other finds it taken — no second chain of retries."""
    kr = _key_result(org, admin)
    with receiver(answers=[500, 500, 500]) as hook:
        _, hook.secret = services.create_endpoint(
            actor=admin_actor, url=hook.url, events=["check_in.created"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            okrs.check_in(actor=admin_actor, key_result=kr, value=4)
        worker.run_due()  # attempt 1 fails: attempt 2 is scheduled in a minute
        delivery = Delivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            services.retry_delivery(actor=admin_actor, delivery=delivery)
        assert worker.run_due() == 1  # the manual attempt 2: fails, schedules attempt 3
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        assert worker.run_due() == 2  # the scheduled attempt 2 (taken: skipped) and 3
    assert len(hook.received) == 3
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1  # one chain


def test_a_new_url_forgets_the_old_ones_failures_and_the_log_keeps_only_the_host(
    admin_actor: Actor,
) -> None:
    endpoint, _ = services.create_endpoint(
        actor=admin_actor, url="https://old.example.org/hook?token=abc", events=["cycle.closed"]
    )
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now())
    endpoint.refresh_from_db()
    services.update_endpoint(actor=admin_actor, endpoint=endpoint, description="same url")
    assert Endpoint.objects.get().failing_since is not None
    services.update_endpoint(actor=admin_actor, endpoint=endpoint, url="https://new.example.org/")
    assert Endpoint.objects.get().failing_since is None
    services.delete_endpoint(actor=admin_actor, endpoint=endpoint)
    logged = AuditEvent.objects.get(action="webhook.deleted")
    assert logged.detail == {"host": "new.example.org"}
    assert "token" not in str(AuditEvent.objects.values_list("detail", flat=True))


@pytest.mark.usefixtures("local")
@pytest.mark.parametrize(
    ("failing_for", "disabled"),
    [(dt.timedelta(days=3) - dt.timedelta(seconds=1), False), (dt.timedelta(days=3), True)],
)
def test_three_days_of_failures_disable_the_endpoint_and_tell_the_admins(
    org: Organisation,
    admin: Person,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    failing_for: dt.timedelta,
    disabled: bool,
) -> None:
    other_admin = make_person(org, Role.ADMIN)
    make_person(org, Role.MANAGER)
    with receiver(answers=[503]) as hook:
        endpoint, secret = services.create_endpoint(
            actor=admin_actor, url=hook.url, events=["cycle.closed"]
        )
        hook.secret = secret
        now = timezone.now()
        Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=now - failing_for)
        delivery = services._new_delivery(endpoint, "cycle.closed", {"cycle_id": 1})
        done = services.attempt(delivery.pk, 5, now=now)
    worker.run_due()  # the notice, if any, goes out through the worker
    endpoint.refresh_from_db()
    assert done is not None
    assert endpoint.enabled is not disabled
    if disabled:
        assert done.status == "gave_up"
        assert "every delivery failed since" in endpoint.disabled_reason
        # to every admin, nobody else
        assert sorted(m.to[0] for m in django_mail.outbox) == sorted(
            [admin.email, other_admin.email]
        )
        assert endpoint.url in django_mail.outbox[0].body
    else:
        assert done.status == "failed"
        assert django_mail.outbox == []


@pytest.mark.usefixtures("local")
def test_a_refused_address_is_a_recorded_failure(
    org: Organisation, admin_actor: Actor, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint, _secret = services.create_endpoint(
        actor=admin_actor, url="http://127.0.0.1:9/", events=["cycle.closed"]
    )
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = False  # switched off after it was saved
    with django_capture_on_commit_callbacks(execute=True):
        services.send_test(actor=admin_actor, endpoint=endpoint)
    worker.run_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "gave_up"  # a test event is not retried
    assert delivery.status_code is None
    assert delivery.error == "refused: points at a private or local address"


# ---------------------------------------------------------------- what is published


def _emitted(org: Organisation, admin_actor: Actor, events: list[str]) -> Endpoint:
    return services.create_endpoint(actor=admin_actor, url="https://example.org/", events=events)[0]


def _payloads() -> list[tuple[str, dict[str, Any]]]:
    return [(d.event_type, d.payload["data"]) for d in Delivery.objects.order_by("pk")]


def test_a_private_objective_is_never_published(
    org: Organisation, admin: Person, admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    _emitted(org, admin_actor, ["check_in.created", "key_result.updated", "objective.updated"])
    kr = _key_result(org, admin, visibility=Objective.Visibility.PRIVATE)
    with django_capture_on_commit_callbacks(execute=True):
        okrs.check_in(actor=admin_actor, key_result=kr, value=4)
        okrs.update_key_result(actor=admin_actor, key_result=kr, title="Renamed")
        okrs.update_objective(actor=admin_actor, objective=kr.objective, title="Secret")
    assert _payloads() == []
    with django_capture_on_commit_callbacks(execute=True):
        okrs.update_objective(actor=admin_actor, objective=kr.objective, visibility="organisation")
    assert [t for t, _ in _payloads()] == ["objective.updated"]
    # made private again: receivers are told to take it down — its id, nothing more
    Delivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        okrs.update_objective(actor=admin_actor, objective=kr.objective, visibility="private")
        okrs.update_objective(actor=admin_actor, objective=kr.objective, title="Still secret")
    assert _payloads() == [
        ("objective.updated", {"objective_id": kr.objective_id, "visibility": "private"})
    ]


def test_closing_an_objective_publishes_updated_and_closed_once(
    org: Organisation, admin: Person, admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    _emitted(org, admin_actor, ["objective.updated", "objective.closed"])
    kr = _key_result(org, admin)
    with django_capture_on_commit_callbacks(execute=True):
        okrs.update_objective(actor=admin_actor, objective=kr.objective, status="done")
        okrs.update_objective(actor=admin_actor, objective=kr.objective, title="Done it")
    assert [t for t, _ in _payloads()] == [
        "objective.updated",
        "objective.closed",
        "objective.updated",
    ]


def test_a_review_is_published_without_its_text(
    org: Organisation, admin: Person, admin_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    from ampwork.mastery import services as mastery

    _emitted(org, admin_actor, ["review.answered"])
    with django_capture_on_commit_callbacks(execute=True):
        review = mastery.save_review(
            actor=admin_actor, wins="Shipped the thing", setbacks="Tired", next_steps="Rest"
        )
    ((kind, data),) = _payloads()
    assert kind == "review.answered"
    assert set(data) == {"review_id", "person_id", "week", "new"}
    assert data["review_id"] == review.pk
    assert "Shipped" not in str(Delivery.objects.get().payload)


def test_a_pulse_round_is_published_without_answers_or_counts(
    org: Organisation,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ampwork.pulse import services as pulse

    for _ in range(4):
        make_person(org, Role.MEMBER)
    _emitted(org, admin_actor, ["pulse.round_opened", "pulse.round_closed"])
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        survey = pulse.create_round(
            actor=admin_actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
        )
    with django_capture_on_commit_callbacks(execute=True):
        pulse.open_round(actor=admin_actor, round=survey)
    with django_capture_on_commit_callbacks(execute=True):
        pulse.close_round(actor=admin_actor, round=survey)
    payloads = _payloads()
    assert [t for t, _ in payloads] == ["pulse.round_opened", "pulse.round_closed"]
    for _, data in payloads:
        assert set(data) == {"round_id", "name", "opens", "closes"}


def test_an_event_reaches_only_its_own_organisations_endpoints(
    org: Organisation,
    other_org: Organisation,
    admin: Person,
    admin_actor: Actor,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    django_capture_on_commit_callbacks: Any,
) -> None:
    theirs, _ = services.create_endpoint(
        actor=actor_of(make_person(other_org, Role.ADMIN)),
        url="https://other.example.org/",
        events=["check_in.created"],
    )
    ours = _emitted(org, admin_actor, ["check_in.created"])
    disabled = _emitted(org, admin_actor, ["check_in.created"])
    services.update_endpoint(actor=admin_actor, endpoint=disabled, enabled=False)
    _emitted(org, admin_actor, ["cycle.closed"])  # not subscribed
    kr = _key_result(org, admin)
    with django_capture_on_commit_callbacks(execute=True):
        okrs.check_in(actor=admin_actor, key_result=kr, value=1)
    assert list(Delivery.objects.values_list("endpoint_id", "organisation_id")) == [
        (ours.pk, org.pk)
    ]
    assert not Delivery.objects.filter(endpoint=theirs).exists()


def test_without_a_queue_a_failure_is_not_promised_a_retry(
    org: Organisation,
    admin: Person,
    admin_actor: Actor,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = True  # AMPWORK_TASKS=immediate, as in tests
    kr = _key_result(org, admin)
    with receiver(answers=[500]) as hook:
        _endpoint, secret = services.create_endpoint(
            actor=admin_actor, url=hook.url, events=["check_in.created"]
        )
        hook.secret = secret
        with django_capture_on_commit_callbacks(execute=True):
            okrs.check_in(actor=admin_actor, key_result=kr, value=4)
    delivery = Delivery.objects.get()  # sent at once, inside the request
    assert (delivery.status, delivery.status_code) == ("gave_up", 500)
    assert delivery.next_attempt_at is None


def test_a_failing_listener_never_fails_the_write(
    org: Organisation,
    admin: Person,
    admin_actor: Actor,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(*args: Any) -> int:
        raise RuntimeError("the fan-out broke")

    monkeypatch.setattr(core_events, "_LISTENERS", [broken])
    kr = _key_result(org, admin)
    with django_capture_on_commit_callbacks(execute=True):
        entry = okrs.check_in(actor=admin_actor, key_result=kr, value=4)
    assert entry.pk is not None


# ---------------------------------------------------------------- a worker that died


@pytest.mark.usefixtures("local")
@pytest.mark.parametrize(("minutes", "back"), [(29, 0), (31, 1)])
def test_a_task_lost_with_its_worker_runs_again(
    org: Organisation, admin: Person, admin_actor: Actor, minutes: int, back: int
) -> None:
    """A task left "running" by a killed worker is ready again after 30 minutes (not
    before), and its delivery, claimed once, is sent once."""
    with receiver() as hook:
        endpoint, hook.secret = services.create_endpoint(
            actor=admin_actor, url=hook.url, events=["cycle.closed"]
        )
        services.send_test(actor=admin_actor, endpoint=endpoint)  # queued (no commit hooks)
        tasks.deliver.enqueue(delivery_id=Delivery.objects.get().pk, attempt=1)
        started = timezone.now() - dt.timedelta(minutes=minutes)
        DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=started)
        assert worker.sweep() == back
        worker.run_due()
        worker.sweep()
    assert len(hook.received) == back
    assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 1 - back


@pytest.mark.usefixtures("local")
@pytest.mark.parametrize(("minutes", "again"), [(14, False), (16, True)])
def test_a_delivery_whose_task_was_lost_is_queued_again(
    org: Organisation, admin_actor: Actor, minutes: int, again: bool
) -> None:
    endpoint, _ = services.create_endpoint(
        actor=admin_actor, url="https://example.org/", events=["cycle.closed"]
    )
    overdue = timezone.now() - dt.timedelta(minutes=minutes)
    delivery = Delivery.objects.create(
        organisation=org,
        endpoint=endpoint,
        message_id="msg_lost",
        event_type="cycle.closed",
        payload={},
        status=Delivery.Status.FAILED,
        attempts=2,
        next_attempt_at=overdue,
    )
    assert services.sweep(timezone.now()) == int(again)
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert [q.args_kwargs["kwargs"] for q in queued] == (
        [{"delivery_id": delivery.pk, "attempt": 3}] if again else []
    )


@pytest.mark.parametrize(("days", "kept"), [(29, True), (31, False)])
def test_finished_deliveries_are_deleted_after_30_days(
    org: Organisation, admin_actor: Actor, days: int, kept: bool
) -> None:
    endpoint, _ = services.create_endpoint(
        actor=admin_actor, url="https://example.org/", events=["cycle.closed"]
    )
    for status in (Delivery.Status.SUCCEEDED, Delivery.Status.GAVE_UP, Delivery.Status.FAILED):
        Delivery.objects.create(
            organisation=org,
            endpoint=endpoint,
            message_id=f"msg_{status}",
            event_type="cycle.closed",
            payload={"data": {"note": "a check-in note"}},
            status=status,
        )
    Delivery.objects.update(created_at=timezone.now() - dt.timedelta(days=days))
    services.sweep(timezone.now())
    left = set(Delivery.objects.values_list("status", flat=True))
    assert left == ({"succeeded", "gave_up", "failed"} if kept else {"failed"})
