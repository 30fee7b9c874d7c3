"""360 and upward feedback: asking (and consent), answering, the upward minimum on, just
below and just above it, the combined shuffled answers without metadata, the subtraction
attack, sharing with one's manager, and attacks on the answers through the pages, the API
and `ampwork export` as an admin and people ops."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.conversations import feedback360, feedback_selectors, feedback_services
from ampwork.conversations.models import (
    FeedbackAnswer,
    FeedbackAsked,
    FeedbackRequest360,
    PooledUpwardAnswer,
    UpwardAnswer,
)
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.mastery.models import Skill

pytestmark = pytest.mark.django_db

DUE = dt.timedelta(days=7)
PRAISE = "Marta explains the why behind every decision"
SECRET = "Marta interrupts people in planning"


@pytest.fixture
def team(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    boss = make_person(org, Role.MANAGER, name="Bea Boss")
    marta = make_person(org, Role.MANAGER, name="Marta Manager", manager=boss)
    reports = [make_person(org, name=f"Report {i}", manager=marta) for i in range(8)]
    return {
        "boss": boss,
        "marta": marta,
        "reports": reports,
        "colleague": make_person(org, name="Cleo Colleague"),
        "ops": make_person(org, Role.PEOPLE_OPS, name="Pat People"),
        "admin": make_person(org, Role.ADMIN, name="Ada Admin"),
        "minimum": org.anonymity_min_group,
    }


def _ask(actor: Actor, people: list[Person], kind: str = "360", **kw: Any) -> FeedbackRequest360:
    return feedback_services.ask(
        actor=actor,
        kind=kind,
        asked_ids=[p.pk for p in people],
        due=timezone.localdate() + DUE,
        **kw,
    )


def _answer(actor: Actor, request: FeedbackRequest360, **answers: str) -> None:
    feedback_services.answer(actor=actor, request=request, answers=answers)


# --- the pure rules -----------------------------------------------------------------


def test_questions_are_open_and_the_skill_one_only_with_a_skill() -> None:
    assert [k for k, _ in feedback360.questions(None)] == ["strengths", "start", "stop"]
    keys = feedback360.questions("Facilitation")
    assert keys[-1] == ("skill", "How could I grow in Facilitation?")


@pytest.mark.parametrize(("diff", "close"), [(0, False), (1, True), (4, True), (5, False)])
def test_two_sets_too_close_for_subtraction(diff: int, close: bool) -> None:
    base = list(range(10))
    other = base[diff:] if diff else base
    assert feedback360.too_close(base, other, 5) is close


@pytest.mark.parametrize(("answered", "shown"), [(4, False), (5, True), (6, True)])
def test_upward_visibility_on_the_minimum(answered: int, shown: bool) -> None:
    verdict = feedback360.upward_visibility(closed=True, answered=list(range(answered)), minimum=5)
    assert verdict.shown is shown
    if not shown:
        assert verdict.reason == "below the minimum of 5: hidden until 5 answers"


def test_upward_visibility_waits_for_the_close_and_floors_the_minimum() -> None:
    assert not feedback360.upward_visibility(closed=False, answered=range(9), minimum=5).shown
    # a minimum under pulse's floor of three is taken as three
    assert not feedback360.upward_visibility(closed=True, answered=[1, 2], minimum=1).shown
    assert feedback360.upward_visibility(closed=True, answered=[1, 2, 3], minimum=1).shown


def test_progress_says_below_the_minimum_for_upward_only() -> None:
    assert feedback360.progress(3, 5, upward=False, minimum=5) == "3 of 5 answered"
    assert feedback360.progress(3, 6, upward=True, minimum=5) == (
        "3 of 6 answered — below the minimum of 5: hidden until 5 answers"
    )
    assert feedback360.progress(5, 6, upward=True, minimum=5) == "5 of 6 answered"


def test_combined_is_a_shuffle() -> None:
    texts = [str(i) for i in range(30)]
    mixed = feedback360.combined(texts, random.Random(1))
    assert sorted(mixed) == sorted(texts)
    assert mixed != texts


# --- 360: ask, consent, answer, share ------------------------------------------------


def test_a_360_is_attributed_and_the_manager_reads_only_what_is_shared(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    marta = actor_of(team["marta"])
    a, b = team["reports"][:2]
    request = _ask(marta, [a, b, team["colleague"]])
    assert request.status == "open"
    _answer(actor_of(a), request, strengths=PRAISE)
    _answer(actor_of(b), request, stop=SECRET)
    row = feedback_selectors.row_of(request)
    assert (row.asked, row.answered, row.progress) == (3, 2, "2 of 3 answered")
    mine = feedback_selectors.results(marta, request)
    assert mine.answers["strengths"][0].author == a.name
    assert mine.answers["stop"][0].author == b.name
    praise = mine.answers["strengths"][0]
    feedback_services.share(actor=marta, request=request, answer_ids=[praise.id or 0])
    boss = feedback_selectors.results(actor_of(team["boss"]), request)
    assert [x.text for xs in boss.answers.values() for x in xs] == [PRAISE]
    assert all(x.author == "" for xs in boss.answers.values() for x in xs)
    # unsharing takes it back
    feedback_services.share(actor=marta, request=request, answer_ids=[])
    with pytest.raises(NotFound):
        feedback_selectors.get_request(actor_of(team["boss"]), request.pk)


def test_answering_twice_or_after_the_close_is_refused(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    marta = actor_of(team["marta"])
    a = team["reports"][0]
    request = _ask(marta, [a, team["colleague"]])
    _answer(actor_of(a), request, strengths="x")
    with pytest.raises(ValidationFailed, match="already"):
        _answer(actor_of(a), request, strengths="y")
    with pytest.raises(NotAllowed):  # not asked
        _answer(actor_of(team["admin"]), request, strengths="z")
    with pytest.raises(ValidationFailed, match="at least one"):
        _answer(actor_of(team["colleague"]), request, strengths="  ")
    with pytest.raises(ValidationFailed, match="no question"):
        _answer(actor_of(team["colleague"]), request, rating="5")
    feedback_services.close(actor=marta, request=request)
    with pytest.raises(ValidationFailed, match="not open"):
        _answer(actor_of(team["colleague"]), request, strengths="late")


def test_asking_checks_people_due_and_skill(
    team: dict[str, Any], org: Organisation, actor_of: Callable[[Person], Actor]
) -> None:
    marta = actor_of(team["marta"])
    with pytest.raises(ValidationFailed, match="themselves"):
        _ask(marta, [team["marta"]])
    with pytest.raises(ValidationFailed, match="past"):
        feedback_services.ask(
            actor=marta,
            kind="360",
            asked_ids=[team["colleague"].pk],
            due=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(ValidationFailed, match="no skill"):
        _ask(marta, [team["colleague"]], skill_id=999_999)
    skill = Skill.objects.create(organisation=org, name="Facilitation")
    request = _ask(marta, [team["colleague"]], skill_id=skill.pk)
    _answer(actor_of(team["colleague"]), request, skill="Run the retro once")
    assert feedback_selectors.results(marta, request).answers["skill"][0].text == (
        "Run the retro once"
    )


def test_a_manager_proposes_and_the_person_accepts_before_it_is_sent(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    a, b = team["reports"][:2]
    request = _ask(actor_of(team["marta"]), [b], receiver_id=a.pk)
    assert request.status == "proposed"
    assert feedback_selectors.to_answer(actor_of(b)) == []  # not sent yet
    with pytest.raises(NotAllowed):
        _answer(actor_of(b), request, strengths="early")
    with pytest.raises(NotAllowed):  # only the receiver consents
        feedback_services.accept(actor=actor_of(team["marta"]), request=request)
    feedback_services.accept(actor=actor_of(a), request=request)
    assert [r.pk for r in feedback_selectors.to_answer(actor_of(b))] == [request.pk]
    # the proposer reads the progress, never the answers
    _answer(actor_of(b), request, strengths=SECRET)
    marta_reads = feedback_selectors.results(actor_of(team["marta"]), request)
    assert not marta_reads.any
    # a colleague with no line cannot propose for someone
    with pytest.raises(ValidationFailed, match="manage"):
        _ask(actor_of(team["colleague"]), [b], receiver_id=a.pk)


def test_declining_deletes_the_proposal(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    a, b = team["reports"][:2]
    request = _ask(actor_of(team["marta"]), [b], receiver_id=a.pk)
    feedback_services.decline(actor=actor_of(a), request=request)
    assert not FeedbackRequest360.objects.filter(pk=request.pk).exists()


# --- upward: the minimum, the combination, the subtraction attack ----------------------


def _upward(team: dict[str, Any], actor_of: Callable[[Person], Actor], n: int) -> Any:
    marta = actor_of(team["marta"])
    request = _ask(marta, team["reports"][:7], kind="upward")
    for i, person in enumerate(team["reports"][:n]):
        _answer(actor_of(person), request, strengths=f"strength {i}", start=f"start {i}")
    feedback_services.close(actor=marta, request=request)
    return request, feedback_selectors.results(marta, request)


@pytest.mark.parametrize("n", [4, 5, 6])  # just below, on, just above the minimum of 5
def test_upward_answers_hidden_below_the_minimum(
    team: dict[str, Any], actor_of: Callable[[Person], Actor], n: int
) -> None:
    assert team["minimum"] == 5
    _request, res = _upward(team, actor_of, n)
    if n < 5:
        assert not res.any
        assert res.hidden_reason == "below the minimum of 5: hidden until 5 answers"
        assert res.row.progress.endswith("hidden until 5 answers")
    else:
        assert res.hidden_reason == ""
        assert sorted(a.text for a in res.answers["strengths"]) == [
            f"strength {i}" for i in range(n)
        ]


def test_upward_answers_are_combined_without_any_metadata(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    request, res = _upward(team, actor_of, 6)
    for answers in res.answers.values():
        assert all(a.id is None and a.author == "" for a in answers)
    # stored apart: the answer rows have no author and no time, and random ids
    fields = {f.name for f in UpwardAnswer._meta.get_fields()}
    assert fields == {"id", "organisation", "request", "question", "text"}
    assert FeedbackAsked.objects.filter(request=request, answered=True).count() == 6
    # shuffled: over many reads the order changes
    orders = {
        tuple(
            a.text
            for a in feedback_selectors.results(actor_of(team["marta"]), request).answers[
                "strengths"
            ]
        )
        for _ in range(20)
    }
    assert len(orders) > 1


def test_upward_answers_wait_for_the_close(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    marta = actor_of(team["marta"])
    request = _ask(marta, team["reports"][:6], kind="upward")
    for person in team["reports"][:6]:
        _answer(actor_of(person), request, strengths="s")
    assert feedback_selectors.results(marta, request).hidden_reason.startswith(
        "answers appear when"
    )


def test_upward_is_asked_of_direct_reports_at_least_the_minimum(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    marta = actor_of(team["marta"])
    with pytest.raises(ValidationFailed, match="at least 5"):
        _ask(marta, team["reports"][:4], kind="upward")
    with pytest.raises(ValidationFailed, match="report to you"):
        _ask(marta, [*team["reports"][:5], team["colleague"]], kind="upward")


def test_subtraction_attack_refused_when_asking(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    """The attack: ask the same people plus one more, then subtract the first request's
    answers from the second's. Refused: the sets differ by 1, fewer than the minimum."""
    marta = actor_of(team["marta"])
    _ask(marta, team["reports"][:5], kind="upward")
    with pytest.raises(ValidationFailed, match="differ from those of an earlier"):
        _ask(marta, team["reports"][:6], kind="upward")
    with pytest.raises(ValidationFailed, match="differ from those of an earlier"):
        _ask(marta, team["reports"][1:6], kind="upward")  # one out, one in
    _ask(marta, team["reports"][:5], kind="upward")  # the same people: nothing to subtract


def test_subtraction_attack_by_who_answers_keeps_the_second_hidden(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    """The same seven asked twice; five answer the first, those five and one more the
    second. Subtracting would isolate the sixth person's answer: the second stays hidden."""
    marta = actor_of(team["marta"])
    first = _ask(marta, team["reports"][:7], kind="upward")
    for person in team["reports"][:5]:
        _answer(actor_of(person), first, strengths="same")
    feedback_services.close(actor=marta, request=first)
    second = _ask(marta, team["reports"][:7], kind="upward")
    for person in team["reports"][:6]:
        _answer(
            actor_of(person), second, strengths="same" if person != team["reports"][5] else SECRET
        )
    feedback_services.close(actor=marta, request=second)
    assert feedback_selectors.results(marta, first).any
    res = feedback_selectors.results(marta, second)
    assert not res.any
    assert "subtraction" in res.hidden_reason
    with pytest.raises(ValidationFailed, match="not shown"):
        feedback_services.share(actor=marta, request=second, whole=True)


def test_upward_shared_as_a_whole_with_the_managers_manager(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    request, _ = _upward(team, actor_of, 5)
    boss = actor_of(team["boss"])
    with pytest.raises(NotFound):
        feedback_selectors.get_request(boss, request.pk)
    feedback_services.share(actor=actor_of(team["marta"]), request=request, whole=True)
    res = feedback_selectors.results(boss, feedback_selectors.get_request(boss, request.pk))
    assert len(res.answers["strengths"]) == 5
    assert all(a.author == "" and a.id is None for a in res.answers["strengths"])


# --- attacks: admins and people ops, the pages, the API, the export --------------------


@pytest.fixture
def done(team: dict[str, Any], actor_of: Callable[[Person], Actor]) -> dict[str, Any]:
    """A 360 with one shared and one unshared answer, and an upward round below the
    minimum."""
    marta = actor_of(team["marta"])
    peer = _ask(marta, [team["reports"][0], team["colleague"]])
    _answer(actor_of(team["reports"][0]), peer, strengths=PRAISE)
    _answer(actor_of(team["colleague"]), peer, stop=SECRET)
    praise = FeedbackAnswer.objects.get(text=PRAISE)
    feedback_services.share(actor=marta, request=peer, answer_ids=[praise.pk])
    upward = _ask(marta, team["reports"][:6], kind="upward")
    _answer(actor_of(team["reports"][1]), upward, strengths="UPWARD-ONLY-ONE")
    return {**team, "peer": peer, "upward": upward}


def _get(client: Client, person: Person, url: str) -> tuple[int, str]:
    assert person.user is not None
    client.force_login(person.user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_admins_and_people_ops_never_read_answers(done: dict[str, Any], client: Client) -> None:
    for who in ("admin", "ops", "colleague"):
        for request in (done["peer"], done["upward"]):
            page = reverse("feedback360:request", kwargs={"pk": request.pk})
            status, _ = _get(client, done[who], page)
            api = f"/api/v1/feedback-360-requests/{request.pk}/results"
            answer = client.get(api)
            if who == "colleague" and request == done["peer"]:
                # asked, answered: sees the request, never the answers
                assert status == 200
                assert SECRET not in _
                assert PRAISE not in _
                assert answer.status_code == 200
                assert SECRET not in answer.content.decode()
            else:
                assert (status, answer.status_code) == (404, 404), who
        index = _get(client, done[who], reverse("feedback360:index"))[1]
        assert SECRET not in index
        assert "UPWARD-ONLY-ONE" not in index


def test_the_manager_reads_only_the_shared_answer(done: dict[str, Any], client: Client) -> None:
    page = reverse("feedback360:request", kwargs={"pk": done["peer"].pk})
    status, body = _get(client, done["boss"], page)
    assert status == 200
    assert PRAISE in body
    assert SECRET not in body
    assert done["reports"][0].name not in body  # shared without the writer's name
    api = client.get(f"/api/v1/feedback-360-requests/{done['peer'].pk}/results").json()
    texts = [a["text"] for q in api["questions"] for a in q["answers"]]
    assert texts == [PRAISE]
    assert all(a["author"] is None for q in api["questions"] for a in q["answers"])
    # the upward round below the minimum: hidden from its receiver too, and says so
    status, body = _get(client, done["marta"], reverse("feedback360:index"))
    assert "1 of 6 answered — below the minimum of 5: hidden until 5 answers" in body
    api = client.get(f"/api/v1/feedback-360-requests/{done['upward'].pk}/results").json()
    assert all(not q["answers"] for q in api["questions"])
    assert "UPWARD-ONLY-ONE" not in json.dumps(api)


@pytest.mark.parametrize("who", ["admin", "ops"])
def test_an_export_holds_no_unshared_or_anonymous_answer(
    done: dict[str, Any], tmp_path: Path, who: str
) -> None:
    """The attack: export the organisation and search it for the answers."""
    out = tmp_path / "export.json"
    call_command("export", "--org", done["marta"].organisation.slug, "--output", str(out))
    text = out.read_text()
    assert PRAISE in text  # shared: in the export
    assert SECRET not in text
    assert "UPWARD-ONLY-ONE" not in text
    models = {o["model"] for o in json.loads(text)["objects"]}
    assert "conversations.feedbackrequest360" in models
    for obj in json.loads(text)["objects"]:
        if obj["model"] == "conversations.upwardanswer":
            assert "author" not in obj["fields"]


def test_a_shared_upward_whole_is_exported_without_authors(
    team: dict[str, Any], actor_of: Callable[[Person], Actor], tmp_path: Path
) -> None:
    request, _ = _upward(team, actor_of, 5)
    feedback_services.share(actor=actor_of(team["marta"]), request=request, whole=True)
    out = tmp_path / "export.json"
    call_command("export", "--org", team["marta"].organisation.slug, "--output", str(out))
    rows = [
        o
        for o in json.loads(out.read_text())["objects"]
        if o["model"] == "conversations.upwardanswer"
    ]
    assert len(rows) == 10
    assert all(set(r["fields"]) == {"organisation", "request", "question", "text"} for r in rows)


# --- the API ----------------------------------------------------------------------------


def test_api_asks_answers_and_shares(team: dict[str, Any], client: Client) -> None:
    marta, a = team["marta"], team["reports"][0]
    client.force_login(marta.user)
    due = (timezone.localdate() + DUE).isoformat()
    made = client.post(
        "/api/v1/feedback-360-requests",
        {"asked_ids": [a.pk], "due": due},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    extra = client.post(
        "/api/v1/feedback-360-requests",
        {"asked_ids": [a.pk], "due": due, "rating": 5},
        content_type="application/json",
    )
    assert extra.status_code == 422  # no unknown fields
    client.force_login(a.user)
    answered = client.post(
        f"/api/v1/feedback-360-requests/{pk}/answers",
        {"strengths": PRAISE},
        content_type="application/json",
    )
    assert answered.status_code == 201
    assert answered.json()["progress"] == "1 of 1 answered"
    client.force_login(marta.user)
    res = client.get(f"/api/v1/feedback-360-requests/{pk}/results").json()
    answer = res["questions"][0]["answers"][0]
    assert answer["author"] == a.name
    shared = client.put(
        f"/api/v1/feedback-360-requests/{pk}/sharing",
        {"answer_ids": [answer["id"]]},
        content_type="application/json",
    )
    assert shared.status_code == 200
    assert shared.json()["questions"][0]["answers"][0]["shared"]
    listed = client.get("/api/v1/feedback-360-requests").json()
    assert [r["id"] for r in listed] == [pk]


@pytest.mark.parametrize("requests", [1, 6])
def test_my_requests_reads_in_a_fixed_number_of_queries(
    team: dict[str, Any],
    actor_of: Callable[[Person], Actor],
    django_assert_num_queries: Any,
    requests: int,
) -> None:
    marta = actor_of(team["marta"])
    for _ in range(requests):
        _ask(marta, team["reports"][:3])
    with django_assert_num_queries(2):
        rows = feedback_selectors.my_requests(marta)
        assert [r.progress for r in rows] == ["0 of 3 answered"] * requests


@pytest.mark.django_db(transaction=True)
def test_no_system_column_ties_an_upward_answer_to_who_answered(
    team: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    """The attack: join the answers with the "answered" marks on the database's own columns
    (PostgreSQL's xmin: the transaction that wrote a row). While the request is open the
    answers are sealed in the pool; at the close they are written all at once, shuffled."""
    marta = actor_of(team["marta"])
    request = _ask(marta, team["reports"][:6], kind="upward")
    for i, person in enumerate(team["reports"][:6]):
        _answer(actor_of(person), request, strengths=f"strength {i}")
        assert not UpwardAnswer.objects.filter(request=request).exists()
    pooled = list(
        PooledUpwardAnswer.objects.filter(request=request).values_list("sealed", flat=True)
    )
    assert len(pooled) == 6
    assert not any("strength" in sealed for sealed in pooled)  # unreadable in the database
    feedback_services.close(actor=marta, request=request)
    assert not PooledUpwardAnswer.objects.filter(request=request).exists()
    assert UpwardAnswer.objects.filter(request=request).count() == 6
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM conversations_upwardanswer u "
                "JOIN conversations_feedbackasked a ON u.xmin::text = a.xmin::text "
                "WHERE u.request_id = %s",
                [request.pk],
            )
            assert cursor.fetchone()[0] == 0
            cursor.execute(
                "SELECT count(DISTINCT xmin::text) FROM conversations_upwardanswer "
                "WHERE request_id = %s",
                [request.pk],
            )
            assert cursor.fetchone()[0] == 1  # one batch, after every answer


def test_a_failed_pool_write_lets_the_person_answer_again(
    team: dict[str, Any], actor_of: Callable[[Person], Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    marta = actor_of(team["marta"])
    request = _ask(marta, team["reports"][:6], kind="upward")
    person = team["reports"][0]

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(feedback_services, "pool_upward", broken)
    with pytest.raises(RuntimeError):
        _answer(actor_of(person), request, strengths="s")
    assert not FeedbackAsked.objects.get(request=request, person=person).answered
    monkeypatch.undo()
    _answer(actor_of(person), request, strengths="s")
    assert PooledUpwardAnswer.objects.filter(request=request).count() == 1
