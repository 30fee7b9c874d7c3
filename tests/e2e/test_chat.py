"""Slack and Teams in the browser: an admin connects the organisation's Slack app (wrong
values named under their fields, nothing saved; the token and secret never shown back); a
member follows the one-time link /checkin gives, gets a Slack column in their notification
choices, and pastes their Teams chat (sealed: never shown back); a team's lead sets its
Slack channel with the keyboard only. Laptop and phone screenshots; axe on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ampwork.chat import services
from ampwork.chat.models import ChatAccount, SlackWorkspace, TeamChannel
from ampwork.core.models import Person
from ampwork.core.permissions import Actor

from .test_accessibility import violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
TEAM = "T0AMPWORK"
TOKEN = "xoxb-1234567890-abcdefghij"
SECRET = "0123456789abcdef0123456789abcdef"
TEAMS_URL = "https://prod-01.westeurope.logic.azure.com/workflows/abc?sig=TOPSECRET"


def _email(person: Person) -> str:
    assert person.user is not None
    return str(person.user.email)


def _connect(admin: Person) -> None:
    actor = Actor(organisation=admin.organisation, role=admin.role, user=admin.user, person=admin)
    services.connect_slack(actor=actor, team_id=TEAM, bot_token=TOKEN, signing_secret=SECRET)


def _error_of(page: Any, label: str) -> Any:
    """The message under one field of the form."""
    return page.locator(".field", has=page.get_by_label(label, exact=False)).locator(
        ".field__error"
    )


def _fits(phone: Any) -> None:
    """Nothing sticks out sideways on the phone."""
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]


def _tab_to(page: Any, target: Any, most: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user does."""
    for _ in range(most):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {target}")


def _tick(page: Any, box: Any, on: bool) -> None:
    """Tab to a checkbox and, with the space bar, leave it ``on`` or off."""
    _tab_to(page, box)
    if box.is_checked() != on:
        page.keyboard.press("Space")
    expect(box).to_be_checked(checked=on)


def test_an_admin_connects_slack_and_never_sees_the_token_again(
    crew: dict[str, Any],
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    admin = crew["admin"]
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, _email(admin), PASSWORD)
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Slack", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connect Slack")
    expect(page.get_by_role("heading", name="Not connected")).to_be_visible()

    # wrong values: each named under its field, nothing saved, the secrets not sent back
    page.get_by_label("Workspace id").fill("x")
    page.get_by_label("Bot User OAuth Token").fill("nope")
    page.get_by_label("Signing Secret").fill("1")
    page.get_by_role("button", name="Connect").click()
    expect(_error_of(page, "Workspace id")).to_contain_text("such as T0123ABCD")
    expect(_error_of(page, "Bot User OAuth Token")).to_contain_text("starting xoxb-")
    expect(_error_of(page, "Signing Secret")).to_contain_text("32 hexadecimal digits")
    expect(page.get_by_label("Bot User OAuth Token")).to_have_value("")
    expect(page.get_by_role("heading", name="Not connected")).to_be_visible()
    assert not SlackWorkspace.objects.exists()
    assert violations(page, Axe()) == []

    page.get_by_label("Workspace id").fill(TEAM)
    page.get_by_label("Bot User OAuth Token").fill(TOKEN)
    page.get_by_label("Signing Secret").fill(SECRET)
    page.get_by_role("button", name="Connect").click()
    expect(page.locator(".message")).to_contain_text("Slack is connected")
    expect(page.get_by_role("heading", name="Connected", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"Workspace {TEAM}")
    expect(page.locator("main")).to_contain_text(f"{live_server.url}/chat/slack/acme/events")
    expect(page.get_by_role("button", name="Disconnect Slack")).to_be_visible()
    html = page.content()
    assert TOKEN not in html
    assert SECRET not in html
    assert SlackWorkspace.objects.get().team_id == TEAM
    shot(page, "chat-slack-laptop")
    assert violations(page, Axe()) == []

    # on a phone: from the account menu, the same page reads well
    sign_in(phone, _email(admin), PASSWORD)
    phone.locator(".menu summary").click()
    phone.get_by_role("link", name="Slack and Teams").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Slack and Teams")
    phone.get_by_role("link", name="Connect Slack").first.click()
    expect(phone.get_by_role("heading", name="Connected", exact=True)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("/chat/slack/acme/events")
    shot(phone, "chat-slack-phone")  # its width: test_the_request_url_wraps_on_a_phone

    page.get_by_role("button", name="Disconnect Slack").click()
    expect(page.locator(".message")).to_contain_text("Slack is disconnected")
    expect(page.get_by_role("heading", name="Not connected")).to_be_visible()
    assert not SlackWorkspace.objects.exists()
    assert problems == []


def test_a_member_links_slack_and_sets_their_teams_chat(
    crew: dict[str, Any],
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ann = crew["ann"]
    _connect(crew["admin"])
    address = services.new_link_code(ann.organisation, "U0ANN")  # what /checkin answers
    link = urlsplit(address)
    path = f"{link.path}?{link.query}"
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, _email(ann), PASSWORD)

    # before: no Slack column in the notification choices
    page.goto(f"{live_server.url}/notifications/preferences/")
    expect(page.get_by_role("columnheader", name="Email")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Slack")).to_have_count(0)

    # the one-time link: a GET changes nothing, the button links
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Link your Slack account")
    assert not ChatAccount.objects.filter(slack_user_id="U0ANN").exists()
    shot(page, "chat-link-laptop")
    assert violations(page, Axe()) == []
    page.get_by_role("button", name="Link my Slack account").click()
    page.wait_for_url(f"{live_server.url}/chat/")
    expect(page.locator(".message")).to_contain_text("Your Slack account is linked")
    slack = page.locator("section", has=page.get_by_role("heading", name="Slack", exact=True))
    expect(slack).to_contain_text("Linked to your Slack account U0ANN")
    expect(slack.get_by_role("button", name="Unlink Slack")).to_be_visible()

    # used once: the same link again is refused, with no button to press
    answer = page.goto(f"{live_server.url}{path}")
    assert answer is not None
    assert answer.status == 400
    expect(page.get_by_role("alert")).to_contain_text("This link is used")
    expect(page.get_by_role("button", name="Link my Slack account")).to_have_count(0)

    # now a Slack column, and no Teams one yet
    page.locator(".menu summary").click()
    page.get_by_role("link", name="Notification choices").click()
    expect(page.get_by_role("columnheader", name="Slack")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Teams")).to_have_count(0)
    expect(page.get_by_label("Check-in due: Slack", exact=True)).to_have_count(1)
    shot(page, "chat-preferences-laptop")

    # the Teams chat: a wrong address named, then the right one kept sealed
    page.locator(".menu summary").click()
    page.get_by_role("link", name="Slack and Teams").click()
    teams = page.get_by_label("Your Teams chat", exact=False)
    teams.fill("http://10.0.0.1/x")
    page.get_by_role("button", name="Save").click()
    expect(_error_of(page, "Your Teams chat")).to_contain_text("must start with https://")
    expect(page.get_by_text("A Teams address is set.")).to_have_count(0)
    assert not ChatAccount.objects.get(person=ann).sealed_teams_url
    teams.fill(TEAMS_URL)
    page.get_by_label("My weekly digest", exact=False).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("Your chat choices are saved")
    expect(page.get_by_text("A Teams address is set.")).to_be_visible()
    expect(teams).to_have_value("")
    expect(page.get_by_label("My weekly digest", exact=False)).not_to_be_checked()
    assert "TOPSECRET" not in page.content()
    chat = ChatAccount.objects.get(person=ann)
    assert services.person_teams_url(chat) == TEAMS_URL
    assert chat.digest is False
    shot(page, "chat-laptop")
    assert violations(page, Axe()) == []

    page.goto(f"{live_server.url}/notifications/preferences/")
    expect(page.get_by_role("columnheader", name="Teams")).to_be_visible()

    # on a phone
    sign_in(phone, _email(ann), PASSWORD)
    phone.goto(f"{live_server.url}/chat/")
    expect(phone.get_by_text("A Teams address is set.")).to_be_visible()
    expect(phone.get_by_role("button", name="Save")).to_be_visible()
    shot(phone, "chat-phone")
    _fits(phone)
    assert problems == []


def test_a_lead_sets_their_teams_slack_channel_by_keyboard(
    crew: dict[str, Any],
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    team = crew["team"]
    _connect(crew["admin"])
    sign_in(page, _email(crew["lead"]), PASSWORD)
    page.goto(f"{live_server.url}/chat/")
    channels = page.locator("section", has=page.get_by_role("heading", name="Your teams' channels"))
    expect(channels.get_by_role("row", name="Platform")).to_contain_text("not set")

    _tab_to(page, channels.get_by_role("link", name="Platform"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/chat/teams/{team.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Channels of Platform")
    assert violations(page, Axe()) == []

    # a channel's name is not its id: named under the field, nothing saved
    _tab_to(page, page.get_by_label("Slack channel id", exact=False))
    page.keyboard.type("#platform")
    page.keyboard.press("Enter")
    expect(_error_of(page, "Slack channel id")).to_contain_text("such as C0123ABCD")
    assert not TeamChannel.objects.exists()
    shot(page, "chat-team-laptop")

    field = page.get_by_label("Slack channel id", exact=False)
    _tab_to(page, field)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("C0PLAT")
    _tick(page, page.get_by_label("Recognition of the team's members", exact=False), False)
    _tick(page, page.get_by_label("The weekly review reminder", exact=False), True)
    _tab_to(page, page.get_by_role("button", name="Save"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/chat/")
    expect(page.locator(".message")).to_contain_text("The channels of Platform are saved")
    row = channels.get_by_role("row", name="Platform")
    expect(row).to_contain_text("C0PLAT")
    expect(row).to_contain_text("reminder")
    saved = TeamChannel.objects.get(team=team)
    assert (saved.slack_channel, saved.recognition, saved.reminders) == ("C0PLAT", False, True)
    shot(page, "chat-lead-laptop")

    sign_in(phone, _email(crew["lead"]), PASSWORD)
    phone.goto(f"{live_server.url}/chat/")
    expect(phone.get_by_role("region", name="Team channels")).to_contain_text("C0PLAT")
    shot(phone, "chat-lead-phone")
    _fits(phone)


def test_the_request_url_wraps_on_a_phone(
    crew: dict[str, Any], phone: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    _connect(crew["admin"])
    sign_in(phone, _email(crew["admin"]), PASSWORD)
    phone.goto(f"{live_server.url}/chat/slack/")
    url = phone.locator("code", has_text="/chat/slack/acme/events")
    card = phone.locator("section.card", has=url)
    url_box, card_box = url.bounding_box(), card.bounding_box()
    assert url_box["x"] + url_box["width"] <= card_box["x"] + card_box["width"]
    _fits(phone)
