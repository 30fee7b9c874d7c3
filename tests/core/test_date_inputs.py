"""Date boxes are browser date pickers, which read and write ISO dates only. Rendered in
the locale's format ("21/05/2025") they show empty, and saving a form unchanged wiped
the date — a hire date is tenure, a control of the adjusted pay gap."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from ampwork.core.forms import DateInput, PersonForm
from ampwork.core.models import Organisation, Person, Role

HIRED = dt.date(2025, 5, 21)


def test_a_date_box_shows_an_iso_date() -> None:
    html = DateInput().render("day", HIRED)
    assert 'type="date"' in html
    assert 'value="2025-05-21"' in html


def test_every_date_field_uses_the_iso_picker(org: Organisation) -> None:
    from ampwork.okrs.forms import CycleForm
    from ampwork.pulse.views import RoundForm

    fields = [
        PersonForm(organisation=org, creating=False, may_change_role=True).fields["hire_date"],
        CycleForm().fields["start"],
        CycleForm().fields["end"],
        RoundForm().fields["opens"],
        RoundForm().fields["closes"],
    ]
    for field in fields:
        assert isinstance(field.widget, DateInput), field


def test_saving_a_person_unchanged_keeps_their_hire_date(
    org: Organisation,
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
) -> None:
    admin = make_person(org, Role.ADMIN)
    person = make_person(org, Role.MEMBER, hire_date=HIRED, name="Ada")
    client = web(admin)
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    # post back exactly what the browser would: every input's value as rendered
    posted: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="submit"' not in tag:
            posted[name.group(1)] = value.group(1) if value else ""
    assert posted["hire_date"] == "2025-05-21"
    for select in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select[1])
        posted[select[0]] = chosen.group(1) if chosen else ""
    response = client.post(f"/people/{person.pk}/edit/", posted)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.hire_date == HIRED
