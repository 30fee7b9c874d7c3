"""The one place that answers "may this actor do this to this object?".

Web views, API handlers and CLI commands all ask :func:`can` / :func:`require`, so a
rule changes in one place. An object of another organisation is never allowed: callers
look objects up inside the actor's organisation and answer 404 before asking here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .errors import NotAllowed
from .models import Organisation, Person, Role, User

ALL_ROLES = frozenset(Role.values)
STAFF = frozenset({Role.ADMIN, Role.PEOPLE_OPS})
ADMIN_ONLY = frozenset({Role.ADMIN})

# action -> roles that may perform it on any object of their organisation.
RULES: dict[str, frozenset[str]] = {
    "people.view": ALL_ROLES,
    "people.edit": STAFF,
    "people.import": STAFF,
    "people.change_role": ADMIN_ONLY,
    "teams.view": ALL_ROLES,
    "teams.edit": STAFF,
    "teams.import": STAFF,
    "memberships.view": ALL_ROLES,
    "memberships.edit": STAFF,
    "organisation.edit": ADMIN_ONLY,
    "organisation.export": ADMIN_ONLY,
    "audit.view": ADMIN_ONLY,
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which organisation, with which role.

    ``user`` is None for the command line, which the server's operator runs and which
    acts as an admin of the organisation it names.
    """

    organisation: Organisation
    role: str
    user: User | None = None
    person: Person | None = None

    @classmethod
    def system(cls, organisation: Organisation) -> Actor:
        return cls(organisation=organisation, role=Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def label(self) -> str:
        return self.user.email if self.user else "command line"


ObjectCheck = Callable[["Actor", Any], bool]
# action -> a further grant that depends on the object (its owner, the actor's reports…)
OBJECT_RULES: dict[str, ObjectCheck] = {}


def register(action: str, roles: Iterable[str], check: ObjectCheck | None = None) -> None:
    """Add an app's action: the roles that may always, and optionally an object check."""
    RULES[action] = frozenset(roles)
    if check is not None:
        OBJECT_RULES[action] = check


def can(actor: Actor, action: str, obj: Any = None) -> bool:
    if action not in RULES:
        raise KeyError(f"unknown action {action!r}")
    if obj is not None:
        org_id = getattr(obj, "organisation_id", None)
        if isinstance(obj, Organisation):
            org_id = obj.pk
        if org_id != actor.organisation.pk:
            return False
    if actor.role in RULES[action]:
        return True
    check = OBJECT_RULES.get(action)
    return bool(check is not None and obj is not None and check(actor, obj))


def require(actor: Actor, action: str, obj: Any = None) -> None:
    if not can(actor, action, obj):
        raise NotAllowed(f"Your role may not do this ({action}).")
