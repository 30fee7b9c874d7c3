"""Wide tables and the people picker (issue 18: items 8, 12 and 13's unfocusable region).

Every wide table scrolls sideways inside its own box (never the whole page on a phone),
keeps its first column in view, says that columns are hidden, and is a named region the
keyboard can reach and scroll. People are picked by typing in a text box that filters a
list, by keyboard or by touch; the form still posts the ids of a plain `<select>`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.mastery.models import Feedback, Recognition
from ampwork.okrs.models import Cycle
from ampwork.pulse.models import Round

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]

PHONE_WIDTH = 390
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "resultTypes": ["violations"]}


def _axe(page: Any, options: dict[str, Any]) -> list[tuple[str, list[str]]]:
    found = Axe().run(page, options=options).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]


# The state of each wide table on the page: its box, how far it scrolls, its name.
REGIONS = """() => Array.from(document.querySelectorAll('.table-wrap')).map(w => ({
  scrollable: w.scrollWidth > w.clientWidth + 1,
  tabindex: w.getAttribute('tabindex'),
  role: w.getAttribute('role'),
  name: w.getAttribute('aria-label') || (w.getAttribute('aria-labelledby')
    && (document.getElementById(w.getAttribute('aria-labelledby')) || {}).textContent) || '',
  cue: w.parentNode.classList.contains('is-clipped-end'),
  hint: !!(w.parentNode.nextElementSibling && !w.parentNode.nextElementSibling.hidden
    && w.parentNode.nextElementSibling.classList.contains('table-scroll__hint')),
}))"""


def _team_pages() -> list[str]:
    org = Organisation.objects.get(slug="brightwater")
    marco = Person.objects.get(organisation=org, email="manager@brightwater.example")
    team = marco.memberships.get().team
    pulse = Round.objects.filter(organisation=org).order_by("-closes").first()
    cycle = Cycle.objects.filter(organisation=org).order_by("-start").first()
    assert pulse is not None
    assert cycle is not None
    return [
        "/",
        "/people/",
        "/teams/",
        "/audit-log/",
        "/account/tokens/",
        "/import/",
        f"/autonomy/teams/{team.pk}/",
        "/autonomy/shipit/",
        f"/mastery/teams/{team.pk}/",
        f"/mastery/teams/{team.pk}/skills/",
        "/okrs/cycles/",
        f"/okrs/cycles/{cycle.pk}/",
        f"/okrs/cycles/{cycle.pk}/close/",
        "/pulse/",
        f"/pulse/rounds/{pulse.pk}/",
        "/purpose/",
        "/fairness/",
        "/fairness/reports/eu/",
        "/fairness/reports/uk/",
        "/fairness/import/",
        "/advisor/",
        "/advisor/incentives/",
    ]


def _heatmap_url(live_server: Any) -> str:
    org = Organisation.objects.get(slug="brightwater")
    pulse = Round.objects.filter(organisation=org).order_by("-closes").first()
    assert pulse is not None
    return f"{live_server.url}/pulse/rounds/{pulse.pk}/"


def test_no_page_scrolls_sideways_on_a_phone(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(phone, "admin@brightwater.example", DEMO_PASSWORD)
    scrolling: list[str] = []
    for path in _team_pages():
        response = phone.goto(live_server.url + path)
        assert response is not None, path
        assert response.status == 200, path
        width = phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width == [PHONE_WIDTH, PHONE_WIDTH], f"{path} scrolls sideways: {width}"
        for region in phone.evaluate(REGIONS):
            if not region["scrollable"]:
                continue
            scrolling.append(path)
            # a named region the keyboard reaches, and a visible cue that columns are hidden
            assert region["tabindex"] == "0", path
            assert region["role"] == "region", path
            assert region["name"].strip(), path
            assert region["cue"], path
            assert region["hint"], path
        # axe agrees: every region that scrolls can be reached by keyboard
        assert _axe(phone, {"runOnly": ["scrollable-region-focusable"]}) == [], path
    # the tables the issue names do scroll in their own box on a phone
    for wide in ("/autonomy/teams/", "/mastery/teams/", "/pulse/rounds/", "/advisor/incentives/"):
        assert any(wide in path for path in scrolling), wide
    shot(phone, "tables-phone-incentives")


def test_a_table_that_fits_is_no_tab_stop(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/advisor/incentives/")
    region = page.get_by_role("region", name="Incentives")
    expect(region).to_be_visible()
    expect(region).not_to_have_attribute("tabindex", "0")  # it fits: nothing to scroll
    expect(page.locator(".table-scroll__hint")).to_be_hidden()
    page.set_viewport_size({"width": 500, "height": 900})  # narrower: now it scrolls
    expect(region).to_have_attribute("tabindex", "0")
    expect(page.locator(".table-scroll__hint")).to_be_visible()


def test_first_column_stays_and_the_keyboard_scrolls(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(phone, "admin@brightwater.example", DEMO_PASSWORD)
    phone.goto(_heatmap_url(live_server))
    region = phone.get_by_role("region", name="Favourable answers by team")
    expect(region).to_have_attribute("tabindex", "0")
    # reached with Tab alone
    for _ in range(60):
        phone.keyboard.press("Tab")
        if region.evaluate("el => el === document.activeElement"):
            break
    expect(region).to_be_focused()
    box = region.bounding_box()
    first = region.locator("tbody tr").first.locator("th").first
    second = region.locator("tbody tr").first.locator("td").first
    before = (first.bounding_box()["x"], second.bounding_box()["x"])
    assert region.evaluate("el => el.parentNode.className") == (
        "table-scroll is-scrollable is-clipped-end"
    )
    for _ in range(4):
        phone.keyboard.press("ArrowRight")
    phone.wait_for_function(
        # (arrow keys scroll smoothly: wait until it has gone further than the check below)
        "el => el.scrollLeft > 30 && el.parentNode.classList.contains('is-clipped-start')",
        arg=region.element_handle(),
    )
    after = (first.bounding_box()["x"], second.bounding_box()["x"])
    assert after[0] == pytest.approx(before[0], abs=1)  # the group names stay in view
    assert after[1] < before[1] - 20  # the numbers moved under them
    assert after[0] == pytest.approx(box["x"], abs=1)
    shot(phone, "tables-phone-heatmap-scrolled")
    # to the last column: eNPS in view, no shadow left at the right edge
    for _ in range(80):
        phone.keyboard.press("ArrowRight")
    phone.wait_for_function(
        "el => !el.parentNode.classList.contains('is-clipped-end')", arg=region.element_handle()
    )
    enps = region.get_by_role("columnheader", name="eNPS").bounding_box()
    assert enps["x"] + enps["width"] <= box["x"] + box["width"] + 1


def test_heatmap_enps_column_in_view_on_a_laptop(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(_heatmap_url(live_server))
    region = page.get_by_role("region", name="Favourable answers by team")
    box = region.bounding_box()
    enps = region.get_by_role("columnheader", name="eNPS").bounding_box()
    assert box["x"] <= enps["x"]
    assert enps["x"] + enps["width"] <= box["x"] + box["width"] + 1
    shot(page, "tables-laptop-heatmap")


def _pick(page: Any, combobox: Any, typed: str, down: int = 0) -> str:
    """Type into a picker, move down `down` options, Enter; the name that was picked."""
    combobox.press_sequentially(typed)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    for _ in range(down):
        combobox.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    assert active, "an option is active while typing"
    name = str(page.locator(f"#{active}").inner_text()).strip()
    combobox.press("Enter")
    return name


def _two_colleagues() -> tuple[Person, Person]:
    org = Organisation.objects.get(slug="brightwater")
    others = Person.objects.filter(organisation=org, active=True).exclude(
        email="member@brightwater.example"
    )
    firsts: dict[str, list[Person]] = {}
    for person in others.order_by("name"):
        firsts.setdefault(person.name.split()[0], []).append(person)
    # a first name two colleagues share: typing it lists both, the arrows choose
    shared = next(people for people in firsts.values() if len(people) >= 2)
    return shared[0], shared[1]


@pytest.mark.parametrize("device", ["page", "phone"])
def test_recognise_two_people_by_keyboard(
    device: str,
    request: pytest.FixtureRequest,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    page = request.getfixturevalue(device)
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mastery/recognition/")
    expect(page.get_by_text("Hold Ctrl")).to_have_count(0)
    combobox = page.get_by_role("combobox", name="Who")
    combobox.focus()
    one, two = _two_colleagues()
    first = one.name.split()[0]
    picked = [_pick(page, combobox, first), _pick(page, combobox, first)]
    # the first pick has left the list, so the same first name now lists the other first
    assert sorted(picked) == sorted([one.name, two.name])
    # Backspace in the empty box takes back the last pick; the next pick puts it back
    expect(page.get_by_role("button", name=f"Remove {picked[1]}")).to_be_visible()
    combobox.press("Backspace")
    expect(page.get_by_role("button", name=f"Remove {picked[1]}")).to_have_count(0)
    assert _pick(page, combobox, picked[1]) == picked[1]
    expect(page.locator(".picker__chip")).to_have_count(2)
    shot(page, f"picker-recognition-{device}")
    assert _axe(page, WCAG) == []  # chips and their Remove buttons
    page.keyboard.press("Tab")  # the chips come before the box: on to the next field
    expect(page.get_by_label("What they did, and what it made possible")).to_be_focused()
    page.keyboard.type("Now that the release is out, thank you both.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Posted to the recognition feed.")).to_be_visible()
    post = Recognition.objects.get(body="Now that the release is out, thank you both.")
    assert {p.pk for p in post.recipients.all()} == {one.pk, two.pk}


def test_picker_by_touch_on_a_phone(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/mastery/recognition/")
    combobox = phone.get_by_role("combobox", name="Who")
    one, two = _two_colleagues()
    combobox.tap()
    combobox.fill(one.name.split()[0])
    expect(phone.get_by_role("listbox")).to_be_visible()
    shot(phone, "picker-recognition-list-phone")
    assert _axe(phone, WCAG) == []  # the open combobox and its listbox
    phone.get_by_role("option", name=one.name).tap()
    combobox.fill(two.name)
    phone.get_by_role("option", name=two.name).tap()
    chips = phone.locator(".picker__chip")
    expect(chips).to_have_count(2)
    phone.get_by_role("button", name=f"Remove {one.name}").tap()  # a second thought
    expect(chips).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") == PHONE_WIDTH
    shot(phone, "picker-recognition-touch-phone")
    phone.get_by_label("What they did, and what it made possible").fill("Thank you.")
    phone.get_by_role("button", name="Post").tap()
    expect(phone.get_by_text("Posted to the recognition feed.")).to_be_visible()
    post = Recognition.objects.get(body="Thank you.")
    assert [p.pk for p in post.recipients.all()] == [two.pk]


def test_recognition_needs_someone_picked(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mastery/recognition/")
    combobox = page.get_by_role("combobox", name="Who")
    combobox.fill("zzz no such name")
    expect(page.get_by_text("No match for")).to_be_visible()
    combobox.press("Enter")  # half a name is never sent
    page.get_by_label("What they did, and what it made possible").fill("Thanks.")
    page.get_by_role("button", name="Post").click()
    assert combobox.evaluate("el => el.validationMessage") == (
        "Choose at least one person from the list."
    )
    assert not Recognition.objects.filter(body="Thanks.").exists()


def test_feedback_pickers_choose_one_person(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/mastery/feedback/")
    one, two = _two_colleagues()
    to = phone.get_by_role("combobox", name="To")
    to.focus()
    assert _pick(phone, to, one.name) == one.name
    assert _pick(phone, to, two.name) == two.name  # one person: the second replaces the first
    expect(phone.locator(".picker__chip")).to_have_count(1)
    shot(phone, "picker-feedback-phone")
    phone.keyboard.press("Tab")
    phone.keyboard.type("Your incident review was calm and specific.")
    phone.get_by_role("button", name="Send feedback").click()
    expect(phone.get_by_text("Feedback sent.")).to_be_visible()
    sent = Feedback.objects.get(body="Your incident review was calm and specific.")
    assert sent.receiver_id == two.pk
    ask = phone.get_by_role("combobox", name="Ask")
    ask.focus()
    assert _pick(phone, ask, one.name) == one.name
    phone.get_by_label("About").fill("how I ran the retro")
    phone.get_by_role("button", name="Ask", exact=True).click()
    expect(phone.get_by_text("Request sent.")).to_be_visible()


def test_objective_picker_for_a_story(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    """The other long multi-select of people's daily pages, a story's objectives, too."""
    ensure_demo()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/purpose/")
    page.get_by_text("Add a story").click()
    objectives = page.get_by_role("combobox", name="Related objectives")
    expect(page.locator("select[name=objectives]")).to_be_hidden()
    objectives.focus()
    objectives.press("ArrowDown")  # the whole list, first one active
    expect(page.get_by_role("listbox")).to_be_visible()
    objectives.press("ArrowDown")
    name = _pick(page, objectives, "")
    chosen = page.locator("select[name=objectives]").evaluate(
        "el => Array.from(el.selectedOptions).map(o => o.textContent.trim())"
    )
    assert chosen == [name]
