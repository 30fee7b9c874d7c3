"""A pulse opened in the demo: the audience-change warning speaks of real changes only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ampwork.core import services as core_services
from ampwork.core.models import Person, Role, Team
from ampwork.core.permissions import Actor
from ampwork.demo.services import COMPANY_SLUG, ensure_demo
from ampwork.pulse import services
from ampwork.pulse.models import ReportingGroup


def test_a_new_pulse_in_a_fresh_demo_warns_only_of_real_changes(db: Any) -> None:
    company = ensure_demo().company
    assert company.slug == COMPANY_SLUG
    admin = Person.objects.get(organisation=company, email="admin@brightwater.example")
    actor = Actor(organisation=company, role=Role.ADMIN, user=admin.user, person=admin)
    today = timezone.localdate()
    # someone really joins a team the week before the next pulse opens
    platform = Team.objects.get(organisation=company, name="Platform")
    core_services.create_person(
        actor=actor, name="New Joiner", email="new@brightwater.example", team_ids=[platform.pk]
    )
    round = services.create_round(
        actor=actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    services.open_round(actor=actor, round=round, send=False)
    changed = dict(
        ReportingGroup.objects.filter(round=round, recent_changes__gt=0).values_list(
            "team__name", "recent_changes"
        )
    )
    # the demo's own seeding happened "months ago": only the new joiner's team is flagged
    assert set(changed) == {"Platform"}
