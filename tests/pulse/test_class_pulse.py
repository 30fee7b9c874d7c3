"""A class answers its pulse (issue 18, item 1): teachers create and run pulses for the
classes they lead — never for the whole school or another teacher's class — and the shared
link stays available, sealed in the database, to those who may share it and to nobody
else, on no page and in no log line."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor, can
from ampwork.pulse import selectors, services
from ampwork.pulse.models import Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()


@pytest.fixture
def hill(
    school: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> dict[str, Any]:
    """A school: the head; 8C taught by Tara (six students, one of them Sid); 8D taught by
    Dev; Sid leads a project team of his own."""
    head = make_person(school, Role.ADMIN, name="Hana Head")
    tara = make_person(school, Role.MANAGER, name="Tara Teacher")
    dev = make_person(school, Role.MANAGER, name="Dev Teacher")
    sid = make_person(school, Role.MEMBER, name="Sid Student")
    eight_c = TeamFactory(organisation=school, name="8C")
    eight_d = TeamFactory(organisation=school, name="8D")
    project = TeamFactory(organisation=school, name="Robot club")
    MembershipFactory(team=eight_c, person=tara, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=eight_d, person=dev, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=project, person=sid, role=TeamMembership.Role.LEAD)
    MembershipFactory(team=eight_c, person=sid)
    for _ in range(5):
        MembershipFactory(team=eight_c, person=PersonFactory(organisation=school))
    people = {"head": head, "tara": tara, "dev": dev, "sid": sid}
    return {
        **people,
        **{f"{name}_actor": actor_of(person) for name, person in people.items()},
        "8C": eight_c,
        "8D": eight_d,
        "project": project,
    }


def _class_round(actor: Actor, team: Team, **kwargs: Any) -> Round:
    return services.create_round(
        actor=actor,
        name="How is 8C going?",
        opens=TODAY,
        closes=TODAY + dt.timedelta(days=7),
        team_ids=[team.pk],
        mode=Round.Mode.UNATTRIBUTED,
        **kwargs,
    )


@pytest.fixture
def opened(hill: dict[str, Any]) -> dict[str, Any]:
    """Tara's open pulse for 8C, with its link."""
    round = _class_round(hill["tara_actor"], hill["8C"])
    token = services.open_round(actor=hill["tara_actor"], round=round).shared_token
    assert token
    round.refresh_from_db()
    return {**hill, "round": round, "token": token}


# ---------------------------------------------------------------- the rules


def test_the_teacher_of_a_class_creates_opens_and_closes_its_pulse(hill: dict[str, Any]) -> None:
    tara = hill["tara_actor"]
    assert can(tara, "pulse.create")
    assert can(tara, "pulse.for_team", hill["8C"])
    round = _class_round(tara, hill["8C"])
    assert round.created_by == hill["tara"].user
    assert can(tara, "pulse.run", round)
    opened = services.open_round(actor=tara, round=round)
    assert opened.shared_token
    assert selectors.shared_token(tara, round) == opened.shared_token
    services.close_round(actor=tara, round=round)
    assert round.status == Round.Status.CLOSED


def test_a_teacher_of_another_class_may_not(hill: dict[str, Any]) -> None:
    dev = hill["dev_actor"]
    assert can(dev, "pulse.create")  # the page, for his own class
    assert not can(dev, "pulse.for_team", hill["8C"])
    with pytest.raises(NotAllowed, match="You do not lead 8C"):
        _class_round(dev, hill["8C"])
    with pytest.raises(NotAllowed):  # his class and hers together: not his to run either
        services.create_round(
            actor=dev,
            name="Both",
            opens=TODAY,
            closes=TODAY,
            team_ids=[hill["8C"].pk, hill["8D"].pk],
        )
    round = _class_round(hill["tara_actor"], hill["8C"])
    assert not can(dev, "pulse.run", round)
    with pytest.raises(NotAllowed):
        services.open_round(actor=dev, round=round)
    services.open_round(actor=hill["tara_actor"], round=round)
    assert selectors.shared_token(dev, round) is None
    with pytest.raises(NotAllowed):
        services.renew_shared_link(actor=dev, round=round)
    with pytest.raises(NotAllowed):
        services.close_round(actor=dev, round=round)


def test_a_teacher_may_not_make_a_pulse_for_the_whole_school(hill: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed, match="Choose your class"):
        services.create_round(actor=hill["tara_actor"], name="All", opens=TODAY, closes=TODAY)
    whole = services.create_round(actor=hill["head_actor"], name="All", opens=TODAY, closes=TODAY)
    assert not can(hill["tara_actor"], "pulse.run", whole)  # no teams: never a teacher's


def test_a_student_may_not_even_for_a_team_they_lead(hill: dict[str, Any]) -> None:
    sid = hill["sid_actor"]
    assert not can(sid, "pulse.create")
    assert not can(sid, "pulse.for_team", hill["project"])
    with pytest.raises(NotAllowed):
        _class_round(sid, hill["project"])
    round = _class_round(hill["head_actor"], hill["project"])
    assert not can(sid, "pulse.run", round)
    services.open_round(actor=hill["head_actor"], round=round)
    assert selectors.shared_token(sid, round) is None


def test_the_head_teacher_runs_every_pulse(opened: dict[str, Any]) -> None:
    head = opened["head_actor"]
    assert can(head, "pulse.for_team", opened["8D"])
    assert selectors.shared_token(head, opened["round"]) == opened["token"]


def test_a_company_manager_still_may_not(
    org: Organisation, crew: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    """Only schools changed: in a company, pulses stay with admins and people ops."""
    lead = actor_of(crew["lead"])
    assert not can(lead, "pulse.create")
    assert not can(lead, "pulse.for_team", crew["team"])
    with pytest.raises(NotAllowed):
        _class_round(lead, crew["team"])


def test_a_teacher_who_no_longer_leads_the_class_loses_it(opened: dict[str, Any]) -> None:
    TeamMembership.objects.filter(person=opened["tara"], team=opened["8C"]).update(
        role=TeamMembership.Role.MEMBER
    )
    assert not can(opened["tara_actor"], "pulse.run", opened["round"])
    assert selectors.shared_token(opened["tara_actor"], opened["round"]) is None


# ---------------------------------------------------------------- the link, sealed


def test_the_link_is_stored_sealed_and_shown_again(opened: dict[str, Any]) -> None:
    round = Round.objects.get(pk=opened["round"].pk)
    token = opened["token"]
    assert token not in round.shared_token_sealed
    assert round.shared_token_digest == services.digest(token)
    assert services.open_link(round) == token
    assert services.open_link(round) == token  # every time, not once
    # bound to its round: the sealed link moved to another round opens nothing
    other = _class_round(opened["tara_actor"], opened["8C"])
    other.status = Round.Status.OPEN
    other.shared_token_sealed = round.shared_token_sealed
    other.shared_token_digest = round.shared_token_digest
    assert services.open_link(other) is None


def test_a_new_secret_key_with_the_old_as_fallback_still_shows_it(
    opened: dict[str, Any], settings: Any
) -> None:
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 40
    assert services.open_link(opened["round"]) is None  # lost: a new link is offered
    settings.SECRET_KEY_FALLBACKS = [old]
    assert services.open_link(opened["round"]) == opened["token"]


def test_no_link_for_a_draft_a_closed_or_an_invited_round(opened: dict[str, Any]) -> None:
    head = opened["head_actor"]
    draft = _class_round(head, opened["8C"])
    assert selectors.shared_token(head, draft) is None
    invited = services.create_round(
        actor=head, name="Invited", opens=TODAY, closes=TODAY, team_ids=[opened["8C"].pk]
    )
    services.open_round(actor=head, round=invited, send=False)
    assert selectors.shared_token(head, invited) is None
    services.close_round(actor=head, round=opened["round"])
    assert selectors.shared_token(head, opened["round"]) is None


def test_a_new_link_replaces_the_old_one_and_the_round_keeps_its_answers(
    opened: dict[str, Any], client: Client
) -> None:
    old = f"/pulse/answer/{opened['token']}/"
    assert client.post(old, {"mast1": "4"}).status_code == 200
    token = services.renew_shared_link(actor=opened["tara_actor"], round=opened["round"])
    assert token != opened["token"]
    assert selectors.shared_token(opened["tara_actor"], opened["round"]) == token
    assert Client().get(old).status_code == 404
    # the browser that answered is still known to have answered: one per browser holds
    assert client.post(f"/pulse/answer/{token}/", {"mast1": "4"}).status_code == 409
    assert Client().post(f"/pulse/answer/{token}/", {"mast1": "4"}).status_code == 200
    assert services.answer_count(opened["round"]) == 2
    with pytest.raises(ValidationFailed):
        services.renew_shared_link(actor=opened["tara_actor"], round=_draft(opened))


def test_a_link_that_cannot_be_shown_again_is_replaced_from_the_page(
    opened: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    """A round opened before links were kept (or under another secret key) says so and
    offers a new link, which then stays."""
    Round.objects.filter(pk=opened["round"].pk).update(shared_token_sealed="")
    client = web(opened["tara"])
    url = f"/pulse/rounds/{opened['round'].pk}/"
    page = client.get(url).content.decode()
    assert "its link cannot be shown again" in page
    assert "/pulse/answer/" not in page
    client.post(f"{url}status/", {"action": "new_link"})
    token = services.open_link(Round.objects.get(pk=opened["round"].pk))
    assert token
    assert token != opened["token"]
    assert f"/pulse/answer/{token}/" in client.get(url).content.decode()
    assert Client().get(f"/pulse/answer/{opened['token']}/").status_code == 404


def _draft(opened: dict[str, Any]) -> Round:
    return _class_round(opened["tara_actor"], opened["8C"])


# ---------------------------------------------------------------- the pages


def test_a_teacher_picks_only_their_classes(
    hill: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    client = web(hill["tara"])
    page = client.get("/pulse/new/").content.decode()
    assert ">8C</option>" in page
    assert ">8D<" not in page  # as a name, not inside the page's random CSRF token
    assert "Robot club" not in page
    assert "Your class" in page
    base = {
        "name": "8C pulse",
        "opens": TODAY.isoformat(),
        "closes": (TODAY + dt.timedelta(days=3)).isoformat(),
        "mode": "unattributed",
    }
    refused = client.post("/pulse/new/", {**base, "teams": [str(hill["8D"].pk)]})
    assert refused.status_code == 200
    assert "not one of the available choices" in refused.content.decode()
    nothing = client.post("/pulse/new/", base)
    assert "This field is required" in nothing.content.decode()
    assert not Round.objects.exists()
    made = client.post("/pulse/new/", {**base, "teams": [str(hill["8C"].pk)]})
    round = Round.objects.get()
    assert made.status_code == 302
    assert list(round.teams.all()) == [hill["8C"]]
    opened = client.post(f"/pulse/rounds/{round.pk}/status/", {"action": "open"})
    assert opened.status_code == 302
    shown = client.get(f"/pulse/rounds/{round.pk}/")
    token = services.open_link(Round.objects.get())
    assert token
    assert f"/pulse/answer/{token}/" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert 'class="qr__code"' in shown.content.decode()
    assert client.get(f"/pulse/rounds/{round.pk}/board/").status_code == 200


def test_the_link_appears_only_for_those_who_may_share_it(
    opened: dict[str, Any], client: Client
) -> None:
    round, token = opened["round"], opened["token"]
    pages = [
        "/pulse/",
        f"/pulse/rounds/{round.pk}/",
        f"/pulse/rounds/{round.pk}/board/",
        f"/pulse/rounds/{round.pk}/export.csv",
        "/",
        f"/api/v1/pulse/rounds/{round.pk}/results",
        "/api/v1/pulse/rounds",
    ]
    for who in ("sid", "dev"):
        assert opened[who].user is not None
        client.force_login(opened[who].user)
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 403), (who, url)
            assert token not in response.content.decode(), (who, url)
        assert client.get(pages[2]).status_code == 403
        status = f"/pulse/rounds/{round.pk}/status/"
        assert client.post(status, {"action": "new_link"}).status_code == 403
        assert client.post(status, {"action": "close"}).status_code == 403
        page = client.get(pages[1]).content.decode()
        assert "The link to share" not in page
        assert "Make a new link" not in page
    assert services.open_link(Round.objects.get(pk=round.pk)) == token  # nothing changed
    for who in ("tara", "head"):
        client.force_login(opened[who].user)
        assert token in client.get(pages[1]).content.decode(), who
        assert token in client.get(pages[2]).content.decode(), who


# ---------------------------------------------------------------- no link in any log


def test_the_shared_link_never_reaches_the_log(
    hill: dict[str, Any], web: Callable[[Person], Client], written: io.StringIO
) -> None:
    client = web(hill["tara"])
    round = _class_round(hill["tara_actor"], hill["8C"], class_code="Otter")
    client.post(f"/pulse/rounds/{round.pk}/status/", {"action": "open"})
    client.get(f"/pulse/rounds/{round.pk}/")
    client.get(f"/pulse/rounds/{round.pk}/board/")
    first = services.open_link(Round.objects.get(pk=round.pk))
    client.post(f"/pulse/rounds/{round.pk}/status/", {"action": "new_link"})
    second = services.open_link(Round.objects.get(pk=round.pk))
    assert first
    assert second
    assert first != second
    student = Client()
    assert student.get(f"/pulse/answer/{first}/").status_code == 404  # the old link, logged
    assert student.post(f"/pulse/answer/{second}/", {"mast1": "4"}).status_code == 422  # no code
    assert (
        student.post(f"/pulse/answer/{second}/", {"mast1": "4", "class_code": "otter"}).status_code
        == 200
    )
    text = written.getvalue()
    assert "route=pulse/answer/" in text  # the refused answers were logged, without the link
    assert "pulse/rounds/" in text
    for token in (first, second):
        assert token not in text
        assert services.digest(token) not in text
    assert Round.objects.get(pk=round.pk).shared_token_sealed not in text
