"""What reaches Slack and Teams, through the worker: notifications to the people who linked
a chat and want them there (a due check-in with its button), recognition to the teams'
channels, the week's reminder once per team with no names, a manager's digest in their
own chat once a week; retries when Slack or Teams is busy, none when it says no; the SSRF
guard on Teams addresses; nothing readable in the task table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ampwork.chat import services
from ampwork.chat.models import ChatAccount, SlackWorkspace, TeamChannel
from ampwork.core import worker
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor
from ampwork.mastery import services as mastery
from ampwork.notifications import selectors as notification_selectors
from ampwork.notifications import services as notifications
from ampwork.notifications.models import Preference, QuietHours
from tests.factories import MembershipFactory, TeamFactory

from .fake_slack import SECRET, TEAM, TOKEN, Slack, Teams, fake_slack, fake_teams

Make = Callable[[Person], Actor]
ANN = "U0ANN"
LENA = "U0LENA"


@pytest.fixture
def slack(settings: Any) -> Iterator[Slack]:
    with fake_slack() as state:
        settings.AMPWORK_SLACK_API_URL = state.url
        settings.BASE_URL = "http://testserver"
        settings.AMPWORK_WEBHOOKS_ALLOW_PRIVATE = True  # the local Teams below
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        yield state


@pytest.fixture
def teams() -> Iterator[Teams]:
    with fake_teams() as state:
        yield state


@pytest.fixture
def connected(org: Organisation, admin_actor: Actor, slack: Slack) -> SlackWorkspace:
    return services.connect_slack(
        actor=admin_actor, team_id=TEAM, bot_token=TOKEN, signing_secret=SECRET
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return run


def link(person: Person, slack_user: str = "", teams_url: str = "") -> ChatAccount:
    chat = ChatAccount.objects.create(
        organisation=person.organisation, person=person, slack_user_id=slack_user
    )
    if teams_url:
        from ampwork.core.permissions import Actor

        actor = Actor(
            organisation=person.organisation, role=person.role, user=person.user, person=person
        )
        services.set_my_chat(actor=actor, teams_url=teams_url, digest=True)
        chat.refresh_from_db()
    return chat


def note(person: Person, kind: str = "checkin_due") -> notifications.Note:
    return notifications.Note((person.pk,), kind, "Your weekly review is due", "/mastery/review/")


# ---------------------------------------------------------------- notifications


def test_a_due_check_in_reaches_slack_with_its_button(
    crew: dict[str, Any], connected: SlackWorkspace, slack: Slack, org: Organisation, committed: Any
) -> None:
    link(crew["ann"], ANN)
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
    [message] = slack.called("chat.postMessage")
    assert message["channel"] == ANN
    assert message["text"] == "Your weekly review is due"
    actions = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    assert [a.get("action_id") for a in actions] == ["open_checkin", "open_link"]
    assert actions[1]["url"] == "http://testserver/mastery/review/?org=acme"


def test_nobody_unlinked_and_nobody_who_turned_slack_off_gets_a_message(
    crew: dict[str, Any], connected: SlackWorkspace, slack: Slack, org: Organisation, committed: Any
) -> None:
    link(crew["ann"], ANN)
    Preference.objects.create(
        organisation=org, person=crew["ann"], kind="checkin_due", channel="slack", enabled=False
    )
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
        notifications.notify(organisation_id=org.pk, note=note(crew["bob"]))  # not linked
    assert slack.called("chat.postMessage") == []


def test_slack_waits_for_the_end_of_quiet_hours(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    org: Organisation,
    task_queue: None,
    committed: Any,
) -> None:
    link(crew["ann"], ANN)
    now = timezone.localtime()
    QuietHours.objects.create(
        organisation=org,
        person=crew["ann"],
        start=(now - dt.timedelta(hours=1)).time(),
        end=(now + dt.timedelta(hours=1)).time(),
    )
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
    [queued] = DBTaskResult.objects.filter(task_path="ampwork.chat.tasks.post")
    assert queued.run_after is not None
    assert queued.run_after > timezone.now()
    assert worker.run_due() == 0
    assert slack.called("chat.postMessage") == []


def test_teams_gets_a_card_in_the_persons_own_chat(
    crew: dict[str, Any], teams: Teams, slack: Slack, org: Organisation, committed: Any
) -> None:
    link(crew["ann"], teams_url=teams.url)
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"], "review_answered"))
    [card] = teams.cards
    content = card["attachments"][0]["content"]
    assert content["type"] == "AdaptiveCard"
    assert content["body"][0]["inlines"][0]["text"] == "Your weekly review is due"
    assert content["actions"][0]["url"].startswith("http://testserver/mastery/review/")


def test_a_busy_teams_is_tried_again_a_refusal_is_not(
    crew: dict[str, Any],
    teams: Teams,
    slack: Slack,
    org: Organisation,
    task_queue: None,
    committed: Any,
) -> None:
    link(crew["ann"], teams_url=teams.url)
    teams.answers = [503, 202]
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
    assert worker.run_due() == 1
    assert teams.cards == []
    retry = DBTaskResult.objects.filter(status="READY").get()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    assert worker.run_due() == 1
    assert len(teams.cards) == 1
    teams.answers = [400]
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
    assert worker.run_due() == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry of a 400


def test_slack_rate_limits_are_tried_again_a_missing_channel_is_not(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    org: Organisation,
    task_queue: None,
    committed: Any,
) -> None:
    link(crew["ann"], ANN)
    slack.errors = ["ratelimited"]
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
    worker.run_due()
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry waits
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    worker.run_due()
    assert len(slack.called("chat.postMessage")) >= 2
    assert not DBTaskResult.objects.filter(status="READY").exists()
    slack.errors = ["channel_not_found"]
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
    worker.run_due()
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_task_table_holds_nothing_readable(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    org: Organisation,
    task_queue: None,
    committed: Any,
    actor_of: Make,
) -> None:
    link(crew["ann"], ANN)
    TeamChannel.objects.create(organisation=org, team=crew["team"], slack_channel="C0TEAM")
    with committed():
        mastery.recognise(
            actor=actor_of(crew["bob"]), recipient_ids=[crew["ann"].pk], body="Stellar launch"
        )
    rows = list(DBTaskResult.objects.filter(task_path="ampwork.chat.tasks.post").values())
    assert rows
    dump = str(rows)
    assert "Stellar launch" not in dump
    assert "Ann Member" not in dump
    assert "C0TEAM" not in dump


def test_a_disconnected_workspace_gets_nothing_queued_before(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    org: Organisation,
    task_queue: None,
    committed: Any,
    admin_actor: Actor,
) -> None:
    link(crew["ann"], ANN)
    with committed():
        notifications.notify(organisation_id=org.pk, note=note(crew["ann"]))
    services.disconnect_slack(actor=admin_actor)
    worker.run_due()
    assert slack.called("chat.postMessage") == []
    assert ChatAccount.objects.get(person=crew["ann"]).slack_user_id == ""


# ---------------------------------------------------------------- the team's channels


def test_recognition_goes_to_the_channels_of_the_recipients_teams(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    teams: Teams,
    org: Organisation,
    committed: Any,
    actor_of: Make,
) -> None:
    services.set_team_channels(
        actor=actor_of(crew["lead"]),
        team=crew["team"],
        slack_channel="C0PLATFORM",
        teams_url=teams.url,
        recognition=True,
        reminders=True,
    )
    elsewhere = TeamFactory(organisation=org, name="Sales")
    TeamChannel.objects.create(organisation=org, team=elsewhere, slack_channel="C0SALES")
    with committed():
        mastery.recognise(
            actor=actor_of(crew["other"]), recipient_ids=[crew["ann"].pk], body="Stellar launch"
        )
    posts = [m for m in slack.called("chat.postMessage") if m["channel"].startswith("C")]
    assert [m["channel"] for m in posts] == ["C0PLATFORM"]  # not Sales: Ann is not in it
    assert posts[0]["text"] == "Olga Elsewhere recognised Ann Member: “Stellar launch”"
    assert any("recognised Ann Member" in t for t in teams.texts())


def test_recognition_is_not_posted_when_the_team_turned_it_off_or_in_a_school(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    org: Organisation,
    committed: Any,
    actor_of: Make,
) -> None:
    TeamChannel.objects.create(
        organisation=org, team=crew["team"], slack_channel="C0PLATFORM", recognition=False
    )
    with committed():
        mastery.recognise(actor=actor_of(crew["other"]), recipient_ids=[crew["ann"].pk], body="x")
    assert slack.called("chat.postMessage") == []
    assert services.hear(org.pk, "unknown.event", {}) == 0


def test_recognition_in_a_school_stays_off_chat(
    school: Organisation, make_person: Any, actor_of: Make, slack: Slack, committed: Any
) -> None:
    head = make_person(school, "admin")
    services.connect_slack(
        actor=actor_of(head), team_id=TEAM, bot_token=TOKEN, signing_secret=SECRET
    )
    klass = TeamFactory(organisation=school, name="7B")
    student = make_person(school)
    MembershipFactory(team=klass, person=student)
    TeamChannel.objects.create(organisation=school, team=klass, slack_channel="C07B")
    with committed():
        mastery.recognise(actor=actor_of(head), recipient_ids=[student.pk], body="Well done")
    assert slack.called("chat.postMessage") == []


def test_the_weekly_reminder_goes_once_per_team_with_no_names(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    teams: Teams,
    org: Organisation,
    committed: Any,
    actor_of: Make,
) -> None:
    services.set_team_channels(
        actor=actor_of(crew["admin"]),
        team=crew["team"],
        slack_channel="C0PLATFORM",
        teams_url=teams.url,
        recognition=True,
        reminders=True,
    )
    today = dt.date(2026, 11, 25)
    with committed():
        mastery.send_reminders(org=org, today=today)
    with committed():
        mastery.send_reminders(org=org, today=today)  # run twice: posted once
    posts = [m for m in slack.called("chat.postMessage") if m["channel"] == "C0PLATFORM"]
    assert len(posts) == 1
    assert len(teams.cards) == 1
    text = posts[0]["text"] + " ".join(teams.texts())
    assert "week of 23 November" in text
    for person in ("ann", "bob", "lead"):
        assert crew[person].name not in text


def test_a_managers_digest_reaches_their_own_chat_once_a_week(
    crew: dict[str, Any], connected: SlackWorkspace, slack: Slack, org: Organisation, committed: Any
) -> None:
    link(crew["lead"], LENA)
    today = dt.date(2026, 11, 25)
    with committed():
        mastery.send_reminders(org=org, today=today)
    with committed():
        mastery.send_reminders(org=org, today=today)
    digests = [
        m
        for m in slack.called("chat.postMessage")
        if m["channel"] == LENA and "team's week" in m["text"]
    ]
    assert len(digests) == 1
    lines = digests[0]["blocks"][1]["text"]["text"]
    assert "Ann Member: not written yet" in lines
    assert "Bob Member" in lines
    assert digests[0]["text"] == "Your team's week of 23 November: 0 of 2 reviews written"
    # the people it is about are never sent it
    assert not [
        m
        for m in slack.called("chat.postMessage")
        if m["channel"] == ANN and "team's week" in m["text"]
    ]


def test_a_manager_who_turned_the_digest_off_gets_none(
    crew: dict[str, Any], connected: SlackWorkspace, slack: Slack, org: Organisation, committed: Any
) -> None:
    chat = link(crew["lead"], LENA)
    chat.digest = False
    chat.save()
    with committed():
        mastery.send_reminders(org=org, today=dt.date(2026, 11, 25))
    assert not [m for m in slack.called("chat.postMessage") if "team's week" in m["text"]]


# ---------------------------------------------------------------- who may set what


def test_a_team_lead_sets_their_own_teams_channels_only(
    crew: dict[str, Any], org: Organisation, actor_of: Make
) -> None:
    other_team = TeamFactory(organisation=org, name="Sales")
    args = {"slack_channel": "C0X", "teams_url": None, "recognition": True, "reminders": True}
    services.set_team_channels(actor=actor_of(crew["lead"]), team=crew["team"], **args)
    with pytest.raises(NotAllowed):
        services.set_team_channels(actor=actor_of(crew["lead"]), team=other_team, **args)
    with pytest.raises(NotAllowed):
        services.set_team_channels(actor=actor_of(crew["ann"]), team=crew["team"], **args)
    with pytest.raises(NotAllowed):
        services.connect_slack(
            actor=actor_of(crew["lead"]), team_id=TEAM, bot_token=TOKEN, signing_secret=SECRET
        )
    with pytest.raises(ValidationFailed) as caught:
        services.set_team_channels(
            actor=actor_of(crew["lead"]), team=crew["team"], **{**args, "slack_channel": "#general"}
        )
    assert caught.value.errors[0].field == "slack_channel"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://prod-01.westeurope.logic.azure.com/workflows/x", "must start with https://"),
        ("https://10.0.0.7/workflows/x", "private or local"),
        ("https://localhost/workflows/x", "localhost"),
        ("ftp://example.org/x", "must start with https://"),
        ("https://user:pw@example.org/x", "user name or password"),
    ],
)
def test_a_teams_address_must_be_public_https(
    crew: dict[str, Any], actor_of: Make, url: str, why: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.set_my_chat(actor=actor_of(crew["ann"]), teams_url=url, digest=True)
    assert caught.value.errors[0].field == "teams_url"
    assert why in caught.value.errors[0].message
    assert not ChatAccount.objects.exclude(sealed_teams_url="").exists()


def test_a_teams_address_is_sealed_and_kept_when_the_form_leaves_it_empty(
    crew: dict[str, Any], actor_of: Make
) -> None:
    url = "https://prod-01.westeurope.logic.azure.com/workflows/x?sig=SECRETSIG"
    services.set_my_chat(actor=actor_of(crew["ann"]), teams_url=url, digest=True)
    services.set_my_chat(actor=actor_of(crew["ann"]), teams_url=None, digest=False)
    chat = ChatAccount.objects.get(person=crew["ann"])
    assert "SECRETSIG" not in str(ChatAccount.objects.values().get())
    assert services.person_teams_url(chat) == url
    assert chat.digest is False
    services.set_my_chat(actor=actor_of(crew["ann"]), teams_url="", digest=False)
    assert ChatAccount.objects.get(person=crew["ann"]).sealed_teams_url == ""


# ---------------------------------------------------------------- the preferences grid


def test_the_grid_offers_slack_only_to_someone_linked_and_keeps_it_when_saved_without(
    crew: dict[str, Any], connected: SlackWorkspace, org: Organisation, actor_of: Make
) -> None:
    ann = crew["ann"]
    assert [c for c, _ in notification_selectors.offered(ann)] == ["in_app", "email"]
    Preference.objects.create(
        organisation=org, person=ann, kind="recognition", channel="slack", enabled=False
    )
    notifications.set_preferences(
        actor=actor_of(ann), enabled=[("recognition", "email")], channels=["in_app", "email"]
    )
    assert Preference.objects.get(person=ann, kind="recognition", channel="slack").enabled is False
    assert not Preference.objects.filter(person=ann, channel="slack", enabled=True).exists()
    link(ann, ANN)
    assert [c for c, _ in notification_selectors.offered(ann)] == ["in_app", "email", "slack"]


def test_two_teams_sharing_a_channel_get_one_post_and_teams_reads_no_markdown(
    crew: dict[str, Any],
    connected: SlackWorkspace,
    slack: Slack,
    teams: Teams,
    org: Organisation,
    committed: Any,
    actor_of: Make,
) -> None:
    web = TeamFactory(organisation=org, name="Web")
    MembershipFactory(team=web, person=crew["ann"])
    for team in (crew["team"], web):
        services.set_team_channels(
            actor=actor_of(crew["admin"]),
            team=team,
            slack_channel="C0SHARED",
            teams_url=teams.url,
            recognition=True,
            reminders=True,
        )
    body = "[Reset your password](https://evil.example) <!channel>"
    with committed():
        mastery.recognise(actor=actor_of(crew["other"]), recipient_ids=[crew["ann"].pk], body=body)
    posts = [m for m in slack.called("chat.postMessage") if m["channel"] == "C0SHARED"]
    assert len(posts) == 1
    assert "<!channel>" not in posts[0]["text"]
    assert "&lt;!channel&gt;" in posts[0]["text"]
    assert posts[0]["blocks"][0]["text"]["type"] == "plain_text"
    assert len(teams.cards) == 1
    blocks = teams.cards[0]["attachments"][0]["content"]["body"]
    assert {b["type"] for b in blocks} == {"RichTextBlock"}  # TextRuns: never Markdown
    assert any(body in t for t in teams.texts())
    with committed():
        mastery.send_reminders(org=org, today=dt.date(2026, 11, 25))
    reminders = [m for m in slack.called("chat.postMessage") if "are due" in m["text"]]
    assert len(reminders) == 1
    assert len(teams.cards) == 2
