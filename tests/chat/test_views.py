"""Chat's pages: a person's own Slack and Teams, an admin's Slack app, a team's channels —
bad input named and nothing written; secrets never shown back; query counts pinned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.chat import services
from ampwork.chat.models import ChatAccount, SlackWorkspace, TeamChannel
from ampwork.core.models import Person
from tests.factories import MembershipFactory, TeamFactory

from .fake_slack import SECRET, TEAM, TOKEN

Web = Callable[[Person], Client]


def test_the_page_explains_what_to_do_before_slack_is_connected(
    crew: dict[str, Any], web: Web
) -> None:
    page = web(crew["ann"]).get("/chat/").content.decode()
    assert "Slack is not connected to this organisation yet" in page
    assert "an admin connects it" in page
    assert "Your teams' channels" not in page  # Ann leads no team
    lead = web(crew["lead"]).get("/chat/").content.decode()
    assert "Your teams' channels" in lead
    assert "Platform" in lead


def test_an_admin_connects_slack_and_the_secrets_never_come_back(
    admin: Person, web: Web, settings: Any
) -> None:
    client = web(admin)
    bad = client.post("/chat/slack/", {"team_id": "x", "bot_token": "nope", "signing_secret": "1"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "T0123ABCD" in text
    assert "starting xoxb-" in text
    assert "32 hexadecimal" in text
    assert not SlackWorkspace.objects.exists()
    done = client.post(
        "/chat/slack/", {"team_id": TEAM, "bot_token": TOKEN, "signing_secret": SECRET}
    )
    assert done.status_code == 302
    page = client.get("/chat/slack/").content.decode()
    assert TEAM in page
    assert "/chat/slack/acme/events" in page
    assert TOKEN not in page
    assert SECRET not in page
    assert client.post("/chat/slack/", {"disconnect": "1"}).status_code == 302
    assert not SlackWorkspace.objects.exists()


def test_a_person_sets_their_teams_chat_and_a_wrong_address_is_named(
    crew: dict[str, Any], web: Web
) -> None:
    client = web(crew["ann"])
    bad = client.post("/chat/", {"teams_url": "http://10.0.0.1/x", "digest": "on"})
    assert bad.status_code == 200
    assert "must start with https://" in bad.content.decode()
    assert not ChatAccount.objects.exists()
    url = "https://prod-01.westeurope.logic.azure.com/workflows/abc?sig=TOPSECRET"
    assert client.post("/chat/", {"teams_url": url, "digest": "on"}).status_code == 302
    page = client.get("/chat/").content.decode()
    assert "A Teams address is set." in page
    assert "TOPSECRET" not in page
    assert client.post("/chat/", {"teams_url": "", "digest": ""}).status_code == 302
    chat = ChatAccount.objects.get(person=crew["ann"])
    assert services.person_teams_url(chat) == url
    assert chat.digest is False
    client.post("/chat/", {"remove_teams": "on"})
    assert ChatAccount.objects.get(person=crew["ann"]).sealed_teams_url == ""


def test_a_lead_sets_their_teams_channels_and_nobody_elses(
    crew: dict[str, Any], web: Web, org: Any
) -> None:
    team = crew["team"]
    client = web(crew["lead"])
    bad = client.post(f"/chat/teams/{team.pk}/", {"slack_channel": "#platform"})
    assert bad.status_code == 200
    assert "C0123ABCD" in bad.content.decode()
    assert not TeamChannel.objects.exists()
    ok = client.post(f"/chat/teams/{team.pk}/", {"slack_channel": "C0PLAT", "reminders": "on"})
    assert ok.status_code == 302
    row = TeamChannel.objects.get(team=team)
    assert (row.slack_channel, row.recognition, row.reminders) == ("C0PLAT", False, True)
    sales = TeamFactory(organisation=org, name="Sales")
    assert client.get(f"/chat/teams/{sales.pk}/").status_code == 403
    assert web(crew["ann"]).get(f"/chat/teams/{team.pk}/").status_code == 403


def test_unlinking_slack(crew: dict[str, Any], web: Web, admin: Person) -> None:
    from ampwork.core.permissions import Actor

    services.connect_slack(
        actor=Actor(
            organisation=admin.organisation, role=admin.role, user=admin.user, person=admin
        ),
        team_id=TEAM,
        bot_token=TOKEN,
        signing_secret=SECRET,
    )
    ChatAccount.objects.create(
        organisation=crew["ann"].organisation, person=crew["ann"], slack_user_id="U0ANN"
    )
    client = web(crew["ann"])
    assert "Linked to your Slack account" in client.get("/chat/").content.decode()
    assert "Slack" in client.get("/notifications/preferences/").content.decode()
    assert client.post("/chat/slack/unlink/").status_code == 302
    assert ChatAccount.objects.get(person=crew["ann"]).slack_user_id == ""


@pytest.mark.parametrize("teams", [2, 12])
def test_the_page_reads_a_fixed_number_of_queries(
    org: Any,
    admin: Person,
    make_person: Any,
    teams: int,
    prepared_get: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(teams):
        team = TeamFactory(organisation=org, name=f"Team {n}")
        MembershipFactory(team=team, person=make_person(org))
        TeamChannel.objects.create(organisation=org, team=team, slack_channel=f"C0{n}")
    get = prepared_get("/chat/", admin)
    with django_assert_max_num_queries(12):
        assert get().status_code == 200


def test_a_grid_saved_from_an_older_page_keeps_the_slack_choices(
    crew: dict[str, Any], web: Web, admin: Person
) -> None:
    """Slack linked in another tab after the grid was loaded: the old form had no Slack
    column, and saving it must not turn every Slack choice off."""
    from ampwork.core.permissions import Actor
    from ampwork.notifications import selectors as notification_selectors

    services.connect_slack(
        actor=Actor(
            organisation=admin.organisation, role=admin.role, user=admin.user, person=admin
        ),
        team_id=TEAM,
        bot_token=TOKEN,
        signing_secret=SECRET,
    )
    ChatAccount.objects.create(
        organisation=crew["ann"].organisation, person=crew["ann"], slack_user_id="U0ANN"
    )
    client = web(crew["ann"])
    client.post("/notifications/preferences/", {"shown": ["in_app", "email"]})
    grid = {
        (r.kind.code, c): on
        for r in notification_selectors.choices(crew["ann"]).rows
        for c, _, on in r.cells
    }
    assert all(on for (_, channel), on in grid.items() if channel == "slack")
    assert not any(on for (_, channel), on in grid.items() if channel == "email")
    client.post("/notifications/preferences/", {"shown": ["in_app", "email", "slack"]})
    grid = {
        (r.kind.code, c): on
        for r in notification_selectors.choices(crew["ann"]).rows
        for c, _, on in r.cells
    }
    assert not any(on for (_, channel), on in grid.items() if channel == "slack")
