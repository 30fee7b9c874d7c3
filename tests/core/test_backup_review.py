"""Review finding: an organisation's own export must restore after a team was deleted.

A pulse keeps the ids of the teams it was opened with (frozen reporting groups, the group
of each invitation and answer) on purpose, without a database constraint, so that
deleting a team later changes nothing in its results. Those ids point outside the export
once the team is gone; the restore's "outside reference" check must let them through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ampwork.core import backup
from ampwork.core import services as core_services
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Team, User
from ampwork.core.permissions import Actor
from ampwork.pulse import services as pulse_services
from ampwork.pulse.models import Invitation, ReportingGroup

from ..factories import MembershipFactory, PersonFactory, TeamFactory


def test_an_export_restores_after_a_team_its_pulse_was_opened_with_was_deleted(
    org: Organisation, admin_actor: Actor, db: Any
) -> None:
    team = core_services.create_team(actor=admin_actor, name="Short-lived")
    for _ in range(5):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    today = timezone.localdate()
    pulse = pulse_services.create_round(
        actor=admin_actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    pulse_services.open_round(actor=admin_actor, round=pulse, send=False)
    gone = team.pk
    core_services.delete_team(actor=admin_actor, team=team)
    assert Invitation.objects.filter(round=pulse, group_id=gone).count() == 5
    document = backup.export([org.pk], [org.slug])
    for o in Organisation.objects.all():
        while Team.objects.filter(organisation=o).exists():
            Team.objects.filter(organisation=o, children__isnull=True).delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()
    backup.restore(document)
    assert Person.objects.filter(organisation__slug=org.slug).count() == 6
    assert ReportingGroup.objects.filter(team_id=gone).count() == 1
    assert Invitation.objects.filter(group_id=gone).count() == 5


def test_a_kept_team_id_may_not_point_into_another_organisation(
    org: Organisation, other_org: Organisation, admin_actor: Actor, db: Any
) -> None:
    """The leniency is only for ids of rows that no longer exist anywhere: a crafted file
    whose pulse names another organisation's existing team is still refused."""
    team = core_services.create_team(actor=admin_actor, name="Ours")
    for _ in range(5):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    today = timezone.localdate()
    pulse = pulse_services.create_round(
        actor=admin_actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    pulse_services.open_round(actor=admin_actor, round=pulse, send=False)
    theirs = TeamFactory(organisation=other_org, name="Theirs")
    document = backup.export([org.pk], [org.slug])
    for o in document["objects"]:
        if o["model"] == "surveys.invitation":
            o["fields"]["group"] = theirs.pk
    for o in Organisation.objects.exclude(pk=other_org.pk):
        while Team.objects.filter(organisation=o).exists():
            Team.objects.filter(organisation=o, children__isnull=True).delete()
    Organisation.objects.exclude(pk=other_org.pk).delete()
    User.objects.all().delete()
    with pytest.raises(ValidationFailed) as refused:
        backup.restore(document)
    assert any(e.field.endswith(".group") for e in refused.value.errors)
