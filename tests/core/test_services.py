"""Services: validation, loops, last-admin protection, audit, logins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ampwork.core import services
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import AuditEvent, Invitation, Organisation, Person, Role
from ampwork.core.permissions import Actor

from ..factories import PersonFactory, TeamFactory


def test_manager_loops_are_refused(admin_actor: Actor, org: Organisation) -> None:
    a = PersonFactory(organisation=org)
    b = PersonFactory(organisation=org, manager=a)
    c = PersonFactory(organisation=org, manager=b)
    with pytest.raises(ValidationFailed) as caught:
        services.update_person(actor=admin_actor, person=a, manager_id=c.pk)
    assert caught.value.errors[0].field == "manager_id"
    with pytest.raises(ValidationFailed):
        services.update_person(actor=admin_actor, person=a, manager_id=a.pk)
    services.update_person(actor=admin_actor, person=c, manager_id=a.pk)  # not a loop


def test_manager_of_another_organisation_is_unknown(
    admin_actor: Actor, other_org: Organisation
) -> None:
    stranger = PersonFactory(organisation=other_org)
    with pytest.raises(ValidationFailed, match="no such person"):
        services.create_person(
            actor=admin_actor, name="N", email="n@x.example", manager_id=stranger.pk
        )


def test_team_cannot_sit_inside_itself(admin_actor: Actor, org: Organisation) -> None:
    root = services.create_team(actor=admin_actor, name="Root")
    child = services.create_team(actor=admin_actor, name="Child", parent_id=root.pk)
    with pytest.raises(ValidationFailed, match="inside itself"):
        services.update_team(actor=admin_actor, team=root, parent_id=child.pk)
    with pytest.raises(ValidationFailed, match="already exists"):
        services.create_team(actor=admin_actor, name="root")
    with pytest.raises(ValidationFailed, match="sub-teams"):
        services.delete_team(actor=admin_actor, team=root)


def test_last_admin_keeps_role_and_stays_active(admin_actor: Actor, admin: Person) -> None:
    with pytest.raises(ValidationFailed):
        services.update_person(actor=admin_actor, person=admin, role=Role.MEMBER)
    with pytest.raises(ValidationFailed):
        services.update_person(actor=admin_actor, person=admin, active=False)


def test_an_unclaimed_admin_seat_does_not_keep_the_organisation_administered(
    org: Organisation,
    admin: Person,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    """The last admin who can sign in stays, though an admin seat nobody claimed exists."""
    ops = actor_of(make_person(org, Role.PEOPLE_OPS))
    seat = PersonFactory(organisation=org, role=Role.ADMIN)  # invited, never signed in
    admin_actor = actor_of(admin)
    with pytest.raises(ValidationFailed, match="last admin"):
        services.update_person(actor=ops, person=admin, active=False)
    with pytest.raises(ValidationFailed, match="last admin"):
        services.update_person(actor=admin_actor, person=admin, role=Role.MEMBER)
    # the unclaimed seat itself goes; with a second admin who signs in, the first may go
    services.update_person(actor=ops, person=seat, active=False)
    make_person(org, Role.ADMIN)
    services.update_person(actor=ops, person=admin, active=False)
    admin.refresh_from_db()
    assert admin.active is False


def test_role_changes_are_audited(admin_actor: Actor, org: Organisation) -> None:
    person = PersonFactory(organisation=org)
    services.update_person(actor=admin_actor, person=person, role=Role.MANAGER)
    event = AuditEvent.objects.get(action="person.role_changed")
    assert event.detail == {"role": ["member", "manager"]}
    assert event.actor_email == admin_actor.user.email  # type: ignore[union-attr]


def test_people_ops_may_not_grant_roles(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> None:
    ops = actor_of(make_person(org, Role.PEOPLE_OPS))
    with pytest.raises(NotAllowed):
        services.create_person(actor=ops, name="X", email="x@x.example", role=Role.ADMIN)
    person = services.create_person(actor=ops, name="Y", email="y@x.example")
    assert person.role == Role.MEMBER


def test_anonymity_minimum_never_below_three(admin_actor: Actor) -> None:
    with pytest.raises(ValidationFailed, match="at least 3"):
        services.update_organisation(actor=admin_actor, anonymity_min_group=2)
    services.update_organisation(actor=admin_actor, anonymity_min_group=3)
    with pytest.raises(ValidationFailed):
        services.create_organisation(name="Z", anonymity_min_group=1)


def test_school_roles(school: Organisation) -> None:
    actor = Actor.system(school)
    with pytest.raises(ValidationFailed, match="people-ops"):
        services.create_person(actor=actor, name="P", email="p@x.example", role=Role.PEOPLE_OPS)
    teacher = services.create_person(actor=actor, name="T", email="t@x.example", role=Role.MANAGER)
    assert teacher.role_label == "Teacher"


def test_grant_login_never_takes_over_an_existing_account(
    admin_actor: Actor,
    org: Organisation,
    other_org: Organisation,
    make_person: Callable[..., Person],
) -> None:
    elsewhere = make_person(other_org)
    assert elsewhere.user is not None
    here = PersonFactory(organisation=org, email=elsewhere.email)
    with pytest.raises(ValidationFailed, match="invitation") as caught:
        services.grant_login(actor=admin_actor, person=here, password="whatever new pass 1")
    assert caught.value.errors[0].field == "password"
    here.refresh_from_db()
    elsewhere.user.refresh_from_db()
    assert here.user is None  # not attached
    assert elsewhere.user.check_password("correct horse battery")  # the password stays theirs
    assert Invitation.objects.filter(person=here, status=Invitation.Status.PENDING).count() == 1
    fresh = PersonFactory(organisation=org, email="fresh@x.example")
    with pytest.raises(ValidationFailed, match="password"):
        services.grant_login(actor=admin_actor, person=fresh, password="short")
    user = services.grant_login(actor=admin_actor, person=fresh, password="a fine long password")
    assert user.check_password("a fine long password")


def test_create_person_invites_an_existing_login(
    admin_actor: Actor, other_org: Organisation, make_person: Callable[..., Person]
) -> None:
    elsewhere = make_person(other_org)
    person = services.create_person(actor=admin_actor, name="Same", email=elsewhere.email)
    assert person.user is None
    invitation = Invitation.objects.get(person=person)
    assert invitation.user == elsewhere.user
    assert invitation.status == Invitation.Status.PENDING
    joined = services.accept_invitation(user=elsewhere.user, invitation_id=invitation.pk)
    assert joined.user == elsewhere.user


def test_membership_rules(admin_actor: Actor, org: Organisation, other_org: Organisation) -> None:
    team = TeamFactory(organisation=org)
    foreign = PersonFactory(organisation=other_org)
    with pytest.raises(ValidationFailed) as caught:
        services.add_membership(actor=admin_actor, team_id=team.pk, person_id=foreign.pk)
    assert caught.value.errors[0].field == "person_id"


def test_change_password(db: Any, admin: Person) -> None:
    assert admin.user is not None
    with pytest.raises(ValidationFailed, match="current password"):
        services.change_password(user=admin.user, old_password="x", new_password="y" * 12)
    services.change_password(
        user=admin.user,
        old_password="correct horse battery",
        new_password="another good passphrase",
    )
    assert admin.user.check_password("another good passphrase")
