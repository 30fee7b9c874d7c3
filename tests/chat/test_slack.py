"""The Slack app: signed requests only, the workspace connected only, linking people (by
the email Slack confirmed, or a one-time link), and the 30-second check-in — the form
Slack opens lists the person's own key results, its answer is saved through the web's
service, all or nothing, and the web shows it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.chat import services
from ampwork.chat.models import ChatAccount, SlackLinkCode, SlackWorkspace
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.okrs.models import CheckIn, KeyResult
from tests.factories import CycleFactory, KeyResultFactory, ObjectiveFactory

from .fake_slack import (
    SECRET,
    TEAM,
    TOKEN,
    Slack,
    button,
    command,
    confidence,
    fake_slack,
    number,
    signed,
    submission,
)

Make = Callable[[Person], Actor]
ANN = "U0ANN"


@pytest.fixture
def slack(settings: Any) -> Iterator[Slack]:
    with fake_slack() as state:
        settings.AMPWORK_SLACK_API_URL = state.url
        settings.BASE_URL = "http://testserver"
        yield state


@pytest.fixture
def connected(org: Organisation, admin_actor: Actor, slack: Slack) -> SlackWorkspace:
    return services.connect_slack(
        actor=admin_actor, team_id=TEAM, bot_token=TOKEN, signing_secret=SECRET
    )


@pytest.fixture
def krs(crew: dict[str, Any], org: Organisation) -> dict[str, KeyResult]:
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=org,
        start=today - dt.timedelta(days=10),
        end=today + dt.timedelta(days=80),
    )
    mine = ObjectiveFactory(cycle=cycle, owner_person=crew["ann"], title="Ship the app")
    theirs = ObjectiveFactory(cycle=cycle, owner_person=crew["bob"], title="Bob's")
    return {
        "signups": KeyResultFactory(objective=mine, title="Sign-ups", start=0, target=100),
        "done": KeyResultFactory(
            objective=mine, title="Launched", kind=KeyResult.Kind.BOOLEAN, start=0, target=1
        ),
        "bobs": KeyResultFactory(objective=theirs, title="Bob's KR", start=0, target=10),
    }


def post(client: Client, slug: str, body: str, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        f"/chat/slack/{slug}/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        **(headers if headers is not None else signed(body)),
    )


def link(ann: Person) -> None:
    ChatAccount.objects.create(organisation=ann.organisation, person=ann, slack_user_id=ANN)


# ---------------------------------------------------------------- only Slack, only ours


def test_a_request_with_a_wrong_signature_is_refused(
    client: Client, org: Organisation, connected: SlackWorkspace, crew: dict[str, Any]
) -> None:
    link(crew["ann"])
    body = command(ANN)
    wrong = signed(body, secret="f" * 32)
    assert post(client, org.slug, body, wrong).status_code == 401
    assert post(client, org.slug, body, {}).status_code == 401  # unsigned


def test_an_old_request_is_refused_even_signed_right(
    client: Client, org: Organisation, connected: SlackWorkspace, crew: dict[str, Any], slack: Slack
) -> None:
    link(crew["ann"])
    body = command(ANN)
    old = signed(body, at=time.time() - 6 * 60)  # bolt accepts 5 minutes of clock skew
    assert post(client, org.slug, body, old).status_code == 401
    assert slack.called("views.open") == []


def test_another_workspace_gets_nothing(
    client: Client, org: Organisation, connected: SlackWorkspace, crew: dict[str, Any], slack: Slack
) -> None:
    link(crew["ann"])
    assert post(client, org.slug, command(ANN, team="T0OTHER")).status_code == 403
    assert slack.called("views.open") == []


def test_an_organisation_without_slack_has_no_address(client: Client, org: Organisation) -> None:
    body = command(ANN)
    assert post(client, org.slug, body).status_code == 404
    assert post(client, "nobody-here", body).status_code == 404


def test_the_app_cannot_be_connected_with_malformed_values(admin_actor: Actor) -> None:
    from ampwork.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        services.connect_slack(
            actor=admin_actor, team_id="nope", bot_token="xoxp-user", signing_secret="short"
        )
    assert {e.field for e in caught.value.errors} == {"team_id", "bot_token", "signing_secret"}
    assert not SlackWorkspace.objects.exists()


def test_token_and_secret_are_sealed_at_rest(connected: SlackWorkspace) -> None:
    row = SlackWorkspace.objects.values().get()
    assert TOKEN not in str(row)
    assert SECRET not in str(row)
    assert services.bot_token(connected) == TOKEN
    assert services.signing_secret(connected) == SECRET


# ---------------------------------------------------------------- linking


def test_a_confirmed_email_links_at_once_and_opens_the_form(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    slack.emails[ANN] = crew["ann"].user.email.upper()  # Slack's case, the same address
    response = post(client, org.slug, command(ANN))
    assert response.status_code == 200
    assert ChatAccount.objects.get(slack_user_id=ANN).person == crew["ann"]
    [opened] = slack.called("views.open")
    assert opened["_auth"] == f"Bearer {TOKEN}"
    labels = [b["label"]["text"] for b in opened["view"]["blocks"] if b["type"] == "input"]
    assert any(label.startswith("Sign-ups (0 → 100") for label in labels)
    assert any(label == "Launched" for label in labels)
    assert not any("Bob" in label for label in labels)  # only the person's own


def test_an_unknown_slack_user_gets_a_one_time_link(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    web: Callable[[Person], Client],
) -> None:
    slack.emails[ANN] = "someone.else@example.org"
    response = post(client, org.slug, command(ANN))
    text = response.json()["text"]
    assert "/chat/slack/link/" in text
    assert slack.called("views.open") == []
    path = text.split("http://testserver", 1)[1].split()[0]
    assert not ChatAccount.objects.filter(slack_user_id=ANN).exists()
    page = web(crew["ann"])
    assert page.get(path).status_code == 200  # a GET (a link preview) changes nothing
    assert not ChatAccount.objects.filter(slack_user_id=ANN).exists()
    assert page.post(path).status_code == 302
    assert ChatAccount.objects.get(slack_user_id=ANN).person == crew["ann"]
    # replayed: refused, and nothing changes
    again = web(crew["bob"]).post(path)
    assert again.status_code == 400
    assert "used, too old" in again.content.decode()
    assert ChatAccount.objects.get(slack_user_id=ANN).person == crew["ann"]


def test_an_expired_link_is_refused(
    org: Organisation, connected: SlackWorkspace, crew: dict[str, Any], actor_of: Make
) -> None:
    from ampwork.core.errors import ValidationFailed

    url = services.new_link_code(org, ANN)
    code = url.split("/link/")[1].split("/")[0]
    SlackLinkCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationFailed):
        services.redeem_link_code(actor=actor_of(crew["ann"]), code=code)
    assert not ChatAccount.objects.filter(slack_user_id=ANN).exists()


def test_a_link_made_in_one_organisation_does_not_work_in_another(
    org: Organisation,
    other_org: Organisation,
    connected: SlackWorkspace,
    make_person: Any,
    actor_of: Make,
) -> None:
    from ampwork.core.errors import ValidationFailed

    url = services.new_link_code(org, ANN)
    code = url.split("/link/")[1].split("/")[0]
    stranger = make_person(other_org)
    with pytest.raises(ValidationFailed):
        services.redeem_link_code(actor=actor_of(stranger), code=code)
    assert not ChatAccount.objects.exists()


def test_an_email_shared_by_two_people_links_nobody(
    org: Organisation, crew: dict[str, Any]
) -> None:
    assert services.link_by_email(org, ANN, "") is None
    assert services.link_by_email(org, "not-an-id", crew["ann"].user.email) is None
    assert services.link_by_email(org, ANN, crew["ann"].user.email) == crew["ann"]
    # the same Slack user cannot become a second person
    assert services.link_by_email(org, ANN, crew["bob"].user.email) is None


# ---------------------------------------------------------------- the 30-second check-in


def test_a_check_in_from_slack_is_saved_and_shown_on_the_web(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
    web: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    link(crew["ann"])
    started = time.monotonic()
    assert post(client, org.slug, command(ANN)).status_code == 200
    signups, done = krs["signups"], krs["done"]
    values = {
        f"kr-{signups.pk}": number("42"),
        f"confidence-{signups.pk}": confidence("8"),
        f"kr-{done.pk}": {"value": {"type": "static_select", "selected_option": None}},
        "note": {"note": {"type": "plain_text_input", "value": "Launch week"}},
    }
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, org.slug, submission(ANN, values))
    assert answer.status_code == 200
    assert answer.content in (b"", b"{}")
    assert time.monotonic() - started < 30
    entry = CheckIn.objects.get(key_result=signups)
    assert (entry.value, entry.confidence, entry.note) == (42, 8, "Launch week")
    assert not CheckIn.objects.filter(key_result=done).exists()  # left empty: not checked in
    signups.refresh_from_db()
    assert signups.current == 42
    # the confirmation, as a direct message through the worker
    [message] = slack.called("chat.postMessage")
    assert message["channel"] == ANN
    assert "Sign-ups" in message["text"]
    page = web(crew["ann"]).get("/okrs/check-in/")
    assert "42" in page.content.decode()


def test_a_wrong_value_names_its_field_and_writes_nothing(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    link(crew["ann"])
    signups, done = krs["signups"], krs["done"]
    values = {
        f"kr-{done.pk}": {"value": {"selected_option": {"value": "1"}}},
        f"kr-{signups.pk}": number("12"),
        f"confidence-{signups.pk}": confidence("11"),
    }
    answer = post(client, org.slug, submission(ANN, values)).json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [f"confidence-{signups.pk}"]
    assert not CheckIn.objects.exists()  # the other key result neither: all or nothing


def test_someone_elses_key_result_cannot_be_checked_in(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    link(crew["ann"])
    bobs = krs["bobs"]
    answer = post(client, org.slug, submission(ANN, {f"kr-{bobs.pk}": number("9")})).json()
    assert answer["errors"] == {f"kr-{bobs.pk}": "This key result is not yours to check in on."}
    assert not CheckIn.objects.exists()


def test_an_empty_form_asks_for_one_value(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    link(crew["ann"])
    signups = krs["signups"]
    answer = post(client, org.slug, submission(ANN, {f"kr-{signups.pk}": number("")})).json()
    assert answer["errors"] == {f"kr-{signups.pk}": "Give at least one key result its new value."}
    answer = post(client, org.slug, submission(ANN, {f"kr-{signups.pk}": number("lots")})).json()
    assert answer["errors"] == {f"kr-{signups.pk}": "Give a number."}
    assert not CheckIn.objects.exists()


def test_an_unlinked_user_cannot_submit(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    signups = krs["signups"]
    answer = post(client, org.slug, submission(ANN, {f"kr-{signups.pk}": number("5")})).json()
    assert answer["response_action"] == "errors"
    assert not CheckIn.objects.exists()


def test_the_reminders_button_opens_the_form(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    link(crew["ann"])
    assert post(client, org.slug, button(ANN)).status_code == 200
    [opened] = slack.called("views.open")
    assert opened["view"]["callback_id"] == "ampwork_checkin"
    assert post(client, org.slug, button(ANN, "open_link")).status_code == 200  # just acked


def test_someone_without_key_results_is_told_what_to_do(
    client: Client, org: Organisation, connected: SlackWorkspace, crew: dict[str, Any], slack: Slack
) -> None:
    link(crew["ann"])
    post(client, org.slug, command(ANN))
    [opened] = slack.called("views.open")
    assert "submit" not in opened["view"]
    assert "no key results" in opened["view"]["blocks"][0]["text"]["text"]


def test_a_member_leaving_unlinks_nothing_but_gets_nothing(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    link(crew["ann"])
    Person.objects.filter(pk=crew["ann"].pk).update(active=False)
    response = post(client, org.slug, command(ANN))
    assert "/chat/slack/link/" in response.json()["text"]  # asked to link: not Ann any more
    assert slack.called("views.open") == []


def test_a_role_does_not_matter_only_the_link(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    """An admin's Slack user checks in only on the admin's own key results."""
    ChatAccount.objects.create(organisation=org, person=crew["admin"], slack_user_id="U0ADMIN")
    assert crew["admin"].role == Role.ADMIN
    bobs = krs["bobs"]
    answer = post(client, org.slug, submission("U0ADMIN", {f"kr-{bobs.pk}": number("3")})).json()
    assert answer["response_action"] == "errors"
    assert not CheckIn.objects.exists()


# ---------------------------------------------------------------- found in review


def test_milestones_done_stay_done_when_another_is_ticked(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    from ampwork.okrs.models import Milestone

    kr = KeyResultFactory(
        objective=krs["signups"].objective, title="Steps", kind=KeyResult.Kind.MILESTONES
    )
    m0, m1, m2 = (
        Milestone.objects.create(key_result=kr, title=f"Step {n}", done=n < 2, position=n)
        for n in range(3)
    )
    link(crew["ann"])
    post(client, org.slug, command(ANN))
    [opened] = slack.called("views.open")
    [field] = [b for b in opened["view"]["blocks"] if b.get("block_id") == f"kr-{kr.pk}"]
    assert [o["value"] for o in field["element"]["initial_options"]] == [str(m0.pk), str(m1.pk)]

    def ticked(*ms: Any) -> dict[str, Any]:
        return {"value": {"selected_options": [{"value": str(m.pk)} for m in ms]}}

    # as Slack sends it back untouched: nothing to check in
    answer = post(client, org.slug, submission(ANN, {f"kr-{kr.pk}": ticked(m0, m1)})).json()
    assert "errors" in answer
    assert not CheckIn.objects.filter(key_result=kr).exists()
    # one more ticked: the others stay done
    assert post(client, org.slug, submission(ANN, {f"kr-{kr.pk}": ticked(m0, m1, m2)})).content in (
        b"",
        b"{}",
    )
    assert list(Milestone.objects.filter(key_result=kr).values_list("done", flat=True)) == [
        True,
        True,
        True,
    ]


def test_a_key_result_with_more_milestones_than_slack_shows_is_left_to_the_web(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
) -> None:
    from ampwork.okrs.models import Milestone

    kr = KeyResultFactory(
        objective=krs["signups"].objective, title="Many", kind=KeyResult.Kind.MILESTONES
    )
    for n in range(11):  # one more than Slack's checkboxes hold
        Milestone.objects.create(key_result=kr, title=f"Step {n}", done=True, position=n)
    link(crew["ann"])
    post(client, org.slug, command(ANN))
    [opened] = slack.called("views.open")
    assert not [b for b in opened["view"]["blocks"] if b.get("block_id") == f"kr-{kr.pk}"]
    assert any(
        "more than 10 milestones" in b.get("text", {}).get("text", "")
        for b in opened["view"]["blocks"]
    )
    values = {f"kr-{kr.pk}": {"value": {"selected_options": [{"value": "1"}]}}}
    answer = post(client, org.slug, submission(ANN, values)).json()
    assert answer["errors"] == {f"kr-{kr.pk}": "This key result is not yours to check in on."}
    assert Milestone.objects.filter(key_result=kr, done=True).count() == 11


def test_the_link_page_says_which_slack_user_and_the_person_is_told(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    web: Callable[[Person], Client],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    body = command(ANN) + "&user_name=mallory"
    text = post(client, org.slug, body).json()["text"]
    path = text.split("http://testserver", 1)[1].split()[0]
    page = web(crew["ann"])
    shown = page.get(path).content.decode()
    assert "@mallory (U0ANN)" in shown
    assert "Only link it if that Slack user is you." in shown
    with django_capture_on_commit_callbacks(execute=True):
        page.post(path)
    [told] = [m for m in mail.outbox if m.subject == "Your ampwork account is linked to Slack"]
    assert told.to == [crew["ann"].email]
    assert "@mallory (U0ANN)" in told.body
    assert page.get(path).status_code == 400  # used


def test_a_body_that_is_not_slacks_is_a_400_not_a_500(
    client: Client, org: Organisation, connected: SlackWorkspace
) -> None:
    for body in ("{bad", "payload=%7Bbad"):
        answer = client.post(
            f"/chat/slack/{org.slug}/events",
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status_code in (400, 401)


@pytest.mark.parametrize(
    "values",
    [
        {"kr-X": number("nan")},
        {"kr-X": number("inf")},
        {"kr-X": {"value": ["not", "a", "dict"]}},
        {"kr-X": number("5"), "confidence-X": {"confidence": {"selected_option": {"value": 7}}}},
        {"kr-X": number("5"), "confidence-X": {"confidence": {"selected_option": {}}}},
        {"kr-X": "junk", "note": ["junk"]},
    ],
)
def test_malformed_values_are_refused_or_ignored_never_a_500(
    client: Client,
    org: Organisation,
    connected: SlackWorkspace,
    crew: dict[str, Any],
    slack: Slack,
    krs: dict[str, KeyResult],
    values: dict[str, Any],
) -> None:
    link(crew["ann"])
    pk = str(krs["signups"].pk)
    values = {k.replace("X", pk): v for k, v in values.items()}
    answer = post(client, org.slug, submission(ANN, values))
    assert answer.status_code == 200
    if answer.content not in (b"", b"{}"):
        assert answer.json()["response_action"] == "errors"
    for entry in CheckIn.objects.all():  # a confidence that is not one is left out
        assert entry.value == 5
        assert entry.confidence is None


def test_connecting_another_workspace_forgets_the_old_ones_ids(
    org: Organisation, connected: SlackWorkspace, crew: dict[str, Any], admin_actor: Actor
) -> None:
    link(crew["ann"])
    services.connect_slack(
        actor=admin_actor, team_id=TEAM, bot_token=TOKEN, signing_secret=SECRET
    )  # the same workspace again: kept
    assert ChatAccount.objects.get(person=crew["ann"]).slack_user_id == ANN
    services.connect_slack(
        actor=admin_actor, team_id="T0OTHER", bot_token=TOKEN, signing_secret=SECRET
    )
    assert ChatAccount.objects.get(person=crew["ann"]).slack_user_id == ""
