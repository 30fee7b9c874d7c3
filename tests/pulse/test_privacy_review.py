"""Review findings on pulse privacy (issue 14, attacks 2 and 5), each performing the
attack: a one-time link read back from the server's log handlers; audit events read for
the "changed before opening" warning that broke opening or warned the wrong teams."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ampwork.core import services as core_services
from ampwork.core.models import AuditEvent, Organisation, Person, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.pulse import services
from ampwork.pulse.models import ReportingGroup, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory


def _configured_handlers() -> list[logging.Handler]:
    """The handlers the settings' LOGGING put on the root and the dev server's logger
    (not pytest's capture handlers)."""
    found = [*logging.getLogger().handlers, *logging.getLogger("django.server").handlers]
    return [h for h in found if type(h) is logging.StreamHandler]


def _emitted(records: list[logging.LogRecord]) -> str:
    out = []
    handlers = _configured_handlers()
    assert handlers
    for record in records:
        for handler in handlers:
            if handler.filter(record):
                out.append(handler.format(record))
    return "\n".join(out)


def test_a_refused_answer_does_not_write_its_one_time_link_to_the_log(
    org: Organisation, admin_actor: Actor, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    team = TeamFactory(organisation=org, name="Core")
    for _ in range(5):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    today = timezone.localdate()
    round = services.create_round(
        actor=admin_actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    services.open_round(actor=admin_actor, round=round)
    token = mail.outbox[0].body.split("/pulse/answer/")[1].split("/")[0]
    with caplog.at_level(logging.INFO):
        # nothing answered: 422, and Django logs every 4xx with its path
        response = client.post(f"/pulse/answer/{token}/", {})
        assert response.status_code == 422
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"POST /pulse/answer/{token}/ HTTP/1.1", "422", "12"
        )
    assert any("/pulse/answer/" in r.getMessage() for r in caplog.records)
    written = _emitted(caplog.records)
    assert "/pulse/answer/" in written
    assert token not in written
    # the link still works: the log could have been used to answer in the person's place
    _, invitation = services.find_invitation(token)
    assert invitation is not None
    assert not invitation.used


# ---------------------------------------------------------------- recent changes


def _backdate_everything(org: Organisation) -> None:
    """People, teams and memberships made long before: only the audit log says what changed."""
    long_ago = timezone.now() - dt.timedelta(days=90)
    Person.objects.filter(organisation=org).update(created_at=long_ago)
    TeamMembership.objects.filter(organisation=org).update(created_at=long_ago)
    AuditEvent.objects.filter(organisation=org).update(created_at=long_ago)


def _open_now(actor: Actor) -> Round:
    today = timezone.localdate()
    round = services.create_round(
        actor=actor, name="Pulse", opens=today, closes=today + dt.timedelta(days=7)
    )
    services.open_round(actor=actor, round=round, send=False)
    return round


def test_a_team_renamed_to_a_digit_like_name_does_not_break_opening(
    org: Organisation, admin_actor: Actor
) -> None:
    """'²' is a digit to str.isdigit() but not to int(): opening a round used to raise."""
    team = core_services.create_team(actor=admin_actor, name="Core")
    for _ in range(5):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    _backdate_everything(org)
    core_services.update_team(actor=admin_actor, team=team, name="²")
    round = _open_now(admin_actor)
    assert round.invitations.filter(group=team).count() == 5
    assert ReportingGroup.objects.get(round=round, team=team).recent_changes == 1


def test_a_team_named_like_an_id_warns_nobody_else(org: Organisation, admin_actor: Actor) -> None:
    """A team's name is not a team id: renaming Core to another team's id warns only Core."""
    other = TeamFactory(organisation=org, name="Other")
    team = core_services.create_team(actor=admin_actor, name="Core")
    for t in (team, other):
        for _ in range(5):
            MembershipFactory(team=t, person=PersonFactory(organisation=org))
    _backdate_everything(org)
    core_services.update_team(actor=admin_actor, team=team, name=str(other.pk))
    round = _open_now(admin_actor)
    assert ReportingGroup.objects.get(round=round, team=other).recent_changes == 0
    assert ReportingGroup.objects.get(round=round, team=team).recent_changes == 1


def test_deleting_a_team_warns_the_teams_its_members_are_still_in(
    org: Organisation, admin_actor: Actor
) -> None:
    """A deleted team's members are people, not teams: their other team is warned."""
    stay = TeamFactory(organisation=org, name="Stay")
    gone = TeamFactory(organisation=org, name="Gone")
    people = [PersonFactory(organisation=org) for _ in range(5)]
    for person in people:
        MembershipFactory(team=stay, person=person)
    MembershipFactory(team=gone, person=people[0])
    _backdate_everything(org)
    core_services.delete_team(actor=admin_actor, team=gone)
    round = _open_now(admin_actor)
    assert ReportingGroup.objects.get(round=round, team=stay).recent_changes == 1


# ---------------------------------------------------------------- bad input on the public page


@pytest.mark.parametrize("enps", ["²", "9" * 5000, "-1", "11"])
def test_a_strange_enps_on_the_answer_page_is_refused_not_a_server_error(
    org: Organisation, admin_actor: Actor, client: Client, enps: str
) -> None:
    team = TeamFactory(organisation=org, name="Core")
    for _ in range(5):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    round = _open_now(admin_actor)
    services.remind(actor=admin_actor, round=round)  # links by mail
    token = mail.outbox[-1].body.split("/pulse/answer/")[1].split("/")[0]
    response = client.post(f"/pulse/answer/{token}/", {"mast1": "4", "enps": enps})
    assert response.status_code == 422
    assert "0 to 10" in response.content.decode()
    assert services.answer_count(round) == 0
