"""Review finding (issue 14, item 6): a private objective aligned with a shared one.

Its owner may align a private objective under a shared one (or a shared one under their
private one): both ends are theirs to see. Everyone else reading the shared objective
must then see neither the private one's title nor a link to it — the page and the API
show the shared objective as if the private one did not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core.models import Organisation, Person
from ampwork.okrs import services
from ampwork.okrs.models import Objective

from ..factories import CycleFactory, KeyResultFactory, ObjectiveFactory

SECRET = "Confidential reorg of the Berlin office"

Headers = Callable[[Person], dict[str, str]]


def _aligned(
    org: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Any]
) -> dict[str, Any]:
    owner = make_person(org, name="Olive Owner")
    cycle = CycleFactory(organisation=org)
    private = ObjectiveFactory(
        cycle=cycle, owner_person=owner, title=SECRET, visibility=Objective.Visibility.PRIVATE
    )
    KeyResultFactory(objective=private, title="Close the office")
    below = ObjectiveFactory(cycle=cycle, owner_person=owner, title="Shared, below the secret")
    above = ObjectiveFactory(cycle=cycle, owner_person=owner, title="Shared, above the secret")
    services.link(actor=actor_of(owner), child=private, parent_id=above.pk)
    services.link(actor=actor_of(owner), child=below, parent_id=private.pk)
    reader = make_person(org, name="Mo Member")
    return {"private": private, "above": above, "below": below, "reader": reader}


def test_a_shared_objectives_page_shows_no_private_objective_aligned_with_it(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Any],
    client: Client,
) -> None:
    found = _aligned(org, make_person, actor_of)
    client.force_login(found["reader"].user)
    for shared in ("above", "below"):
        page = client.get(f"/okrs/objectives/{found[shared].pk}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert found[shared].title in text
        assert SECRET not in text
        assert f"/okrs/objectives/{found['private'].pk}/" not in text


def test_the_api_names_no_private_parent(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Any],
    client: Client,
    bearer: Headers,
) -> None:
    found = _aligned(org, make_person, actor_of)
    shown = client.get(f"/api/v1/objectives/{found['below'].pk}", **bearer(found["reader"]))
    assert shown.status_code == 200
    assert shown.json()["parents"] == []
    # its owner still sees the link
    own = client.get(
        f"/api/v1/objectives/{found['below'].pk}", **bearer(found["private"].owner_person)
    )
    assert [p["id"] for p in own.json()["parents"]] == [found["private"].pk]


# ---------------------------------------------------------------- someone else's password


def test_people_ops_cannot_set_an_admins_password_and_sign_in_as_them(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Any],
    client: Client,
) -> None:
    """'Grant login' on a person who already signs in would set their password: people ops
    could take over an admin's account (or a colleague's, to read their reviews)."""
    from ampwork.core import services as core_services
    from ampwork.core.errors import NotAllowed
    from ampwork.core.models import Role

    boss = make_person(org, Role.ADMIN, name="Ada Admin")
    ops = make_person(org, Role.PEOPLE_OPS, name="Oz Ops")
    colleague = make_person(org, name="Cy Colleague")
    for victim in (boss, colleague):
        with pytest.raises(NotAllowed):
            core_services.grant_login(
                actor=actor_of(ops), person=victim, password="a long enough password 2026"
            )
        victim.user.refresh_from_db()
        assert not victim.user.check_password("a long enough password 2026")
    client.force_login(ops.user)
    page = client.post(f"/people/{boss.pk}/login/", {"password": "a long enough password 2026"})
    assert page.status_code == 403
    boss.user.refresh_from_db()
    assert not boss.user.check_password("a long enough password 2026")
    # an admin still may (a forgotten password), and anyone may give a first login
    core_services.grant_login(
        actor=actor_of(boss), person=colleague, password="a long enough password 2026"
    )
    colleague.user.refresh_from_db()
    assert colleague.user.check_password("a long enough password 2026")
