"""SCIM Users: ampwork's people (``Person``) as RFC 7643 §4.1 resources.

``userName`` is the person's email (also given as their one work email), ``name`` and
``displayName`` their name, ``externalId`` the identity provider's id, ``active`` whether
they are active (``false`` deactivates them through ``update_person``: their sessions and
tokens get nothing in this organisation from the next request), ``title`` their job
title, and the enterprise extension's ``manager.value`` the id of their manager (their
reporting line). Every write goes through core's services in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from ampwork.core import services
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role, TeamMembership
from ampwork.core.permissions import Actor

from .protocol import ENTERPRISE, USER, ScimError, base_url, boolean, invalid, resource_id, text

NAME_LIMIT = 200
EMAIL_LIMIT = 254
ID_LIMIT = 200

# what a person's row says, by the SCIM attribute that sets it (for errors from services)
SERVICE_FIELDS = {
    "email": "userName",
    "name": "name",
    "manager_id": f"{ENTERPRISE}:manager",
    "active": "active",
    "job_title": "title",
    "external_id": "externalId",
}

# attributes of the User schema and the enterprise extension ampwork accepts and does not
# keep (identity providers send them by default): a PATCH or PUT with them is not refused
IGNORED = {
    "nickname",
    "profileurl",
    "usertype",
    "preferredlanguage",
    "locale",
    "timezone",
    "password",
    "phonenumbers",
    "ims",
    "photos",
    "addresses",
    "entitlements",
    "roles",
    "x509certificates",
    "groups",  # read-only: a person joins a team through the Group
    "id",
    "meta",
    "schemas",
    "employeenumber",
    "costcenter",
    "organization",
    "division",
    "department",
}
EMAIL_PATH = re.compile(r"^emails(\[[^\]]*\])?(\.value)?$", re.IGNORECASE)


def location(person_id: int) -> str:
    return f"{base_url()}/Users/{person_id}"


def people(org: Organisation) -> QuerySet[Person]:
    """The organisation's people, with what a resource shows, in a fixed number of queries."""
    return (
        Person.objects.filter(organisation=org)
        .select_related("manager")
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("team"))
        )
        .order_by("pk")
    )


def get(org: Organisation, raw_id: str) -> Person:
    pk = resource_id(raw_id, "id")
    person = people(org).filter(pk=pk).first() if pk is not None else None
    if person is None:
        raise ScimError(404, f"User {raw_id[:40]} not found")
    return person


def resource(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE],
        "id": str(person.pk),
    }
    if person.external_id:
        out["externalId"] = person.external_id
    out |= {
        "userName": person.email,
        "name": {"formatted": person.name},
        "displayName": person.name,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "active": person.active,
    }
    if person.job_title:
        out["title"] = person.job_title
    out["groups"] = [
        {
            "value": str(m.team_id),
            "display": m.team.name,
            "$ref": f"{base_url()}/Groups/{m.team_id}",
        }
        for m in person.memberships.all()
    ]
    extension: dict[str, Any] = {}
    if person.manager_id is not None and person.manager is not None:
        extension["manager"] = {
            "value": str(person.manager_id),
            "$ref": location(person.manager_id),
            "displayName": person.manager.name,
        }
    out[ENTERPRISE] = extension
    out["meta"] = {
        "resourceType": "User",
        "created": person.created_at.isoformat(),
        "lastModified": (person.left_at or person.created_at).isoformat(),
        "location": location(person.pk),
    }
    return out


@dataclass
class Wanted:
    """What a request asks a person to be; None: leave as it is."""

    email: str | None = None
    name: str | None = None
    given: str | None = None
    family: str | None = None
    active: bool | None = None
    external_id: str | None = None
    job_title: str | None = None
    manager: int | None = None
    manager_set: bool = False

    def full_name(self, current: str = "") -> str | None:
        if self.name:
            return self.name
        if self.given is None and self.family is None:
            return None
        first, _, rest = current.partition(" ")
        given = self.given if self.given is not None else first
        family = self.family if self.family is not None else rest
        return " ".join(p for p in (given, family) if p) or None


def _email(value: Any, attribute: str) -> str:
    email = text(value, attribute, EMAIL_LIMIT)
    if not email:
        raise invalid(f"{attribute}: is required")
    return email


def _manager(value: Any, attribute: str) -> int | None:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None or value == "":
        return None
    pk = resource_id(value, attribute)
    if pk is None:
        raise invalid(f"{attribute}: no such User {str(value)[:40]!r} in this organisation")
    return pk


def _emails(value: Any, attribute: str) -> str | None:
    """The primary (else the first work, else the first) address of an ``emails`` list."""
    if not isinstance(value, list):
        raise invalid(f"{attribute}: must be a list of {{value, type, primary}}")
    best: tuple[int, str] | None = None
    for item in value:
        if not isinstance(item, dict):
            raise invalid(f"{attribute}: must be a list of {{value, type, primary}}")
        address = _email(item.get("value"), f"{attribute}.value")
        rank = 0 if item.get("primary") is True else 1 if item.get("type") == "work" else 2
        if best is None or rank < best[0]:
            best = (rank, address)
    return best[1] if best else None


def set_attribute(wanted: Wanted, path: str, value: Any, remove: bool = False) -> None:
    """One attribute (a PATCH path, or a key of a body) into ``wanted``."""
    key = path.strip()
    lower = key.lower()
    ext = ENTERPRISE.lower()
    if lower.startswith(ext):
        sub = lower[len(ext) :].lstrip(":.")
        if sub == "":
            if remove:
                wanted.manager, wanted.manager_set = None, True
                return
            if not isinstance(value, dict):
                raise invalid(f"{ENTERPRISE}: must be an object")
            for name, item in value.items():
                set_attribute(wanted, f"{ENTERPRISE}:{name}", item)
            return
        if sub in ("manager", "manager.value"):
            wanted.manager = None if remove else _manager(value, f"{ENTERPRISE}:manager")
            wanted.manager_set = True
            return
        if sub.split(".")[0] in IGNORED or sub.startswith("manager."):
            return
        raise invalid(f"{key}: no such attribute", "invalidPath")
    if lower.startswith(USER.lower() + ":"):
        key = key[len(USER) + 1 :]
        lower = key.lower()
    if lower == "username":
        if remove:
            raise invalid("userName: is required", "mutability")
        wanted.email = _email(value, "userName")
    elif lower == "active":
        if remove:
            raise invalid("active: cannot be removed", "mutability")
        wanted.active = boolean(value, "active")
    elif lower == "externalid":
        wanted.external_id = "" if remove else text(value, "externalId", ID_LIMIT)
    elif lower in ("displayname", "name.formatted"):
        if not remove:
            wanted.name = text(value, key, NAME_LIMIT) or wanted.name
    elif lower == "name":
        if remove:
            return
        if not isinstance(value, dict):
            raise invalid("name: must be an object")
        for part, item in value.items():
            if part.lower() in ("formatted", "givenname", "familyname"):
                set_attribute(wanted, f"name.{part}", item)
    elif lower == "name.givenname":
        wanted.given = "" if remove else text(value, key, NAME_LIMIT)
    elif lower == "name.familyname":
        wanted.family = "" if remove else text(value, key, NAME_LIMIT)
    elif lower.startswith("name."):
        return  # middleName, honorificPrefix, …: not kept
    elif lower == "title":
        wanted.job_title = "" if remove else text(value, "title", NAME_LIMIT)
    elif EMAIL_PATH.match(key):
        # userName is the only source of the address: emails is checked, never kept (a
        # PATCH of emails must not move a person's sign-in address behind userName)
        if not remove and isinstance(value, list):
            _emails(value, "emails")
        elif not remove:
            _email(value, key)
    elif lower.split(".")[0].split("[")[0] in IGNORED:
        return
    else:
        raise invalid(f"{key}: no such attribute", "invalidPath")


def from_body(body: dict[str, Any]) -> Wanted:
    """A whole User (POST, PUT) as ``Wanted``; userName is required (``emails`` is
    checked, but userName is the address)."""
    wanted = Wanted()
    for key, value in body.items():
        if key.lower() == "emails":
            _emails(value or [], "emails")
            continue
        set_attribute(wanted, key, value)
    if wanted.email is None:
        raise invalid("userName: is required")
    return wanted


def _check_unique(org: Organisation, email: str, person: Person | None) -> None:
    clash = Person.objects.filter(organisation=org, email__iexact=email.strip().lower())
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise ScimError(409, f"userName: {email} is already a User here", "uniqueness")


def _scim_error(exc: ValidationFailed) -> ScimError:
    first = exc.errors[0]
    attribute = SERVICE_FIELDS.get(first.field, first.field)
    message = first.message
    if first.field == "manager_id" and "no such person" in message:
        message = "no such User in this organisation"
    return invalid(f"{attribute}: {message}")


def refuse_in_school(org: Organisation) -> None:
    """A school rosters its students, teachers and classes through OneRoster (its
    students' data has rules of their own, docs/schools.md): SCIM reads them, never adds."""
    if org.is_school:
        raise ScimError(
            403,
            "a school rosters its people and classes through OneRoster, not SCIM "
            "(docs/schools.md); SCIM may read them only",
            "mutability",
        )


@transaction.atomic
def create(actor: Actor, body: dict[str, Any]) -> Person:
    org = actor.organisation
    refuse_in_school(org)
    wanted = from_body(body)
    assert wanted.email is not None
    _check_unique(org, wanted.email, None)
    name = wanted.full_name() or wanted.email.split("@")[0]
    try:
        person = services.create_person(
            actor=actor,
            name=name,
            email=wanted.email,
            job_title=wanted.job_title or "",
            manager_id=wanted.manager,
            active=True if wanted.active is None else wanted.active,
            external_id=wanted.external_id or "",
        )
    except ValidationFailed as exc:
        raise _scim_error(exc) from None
    return person


@transaction.atomic
def replace(actor: Actor, person: Person, body: dict[str, Any]) -> Person:
    """PUT: the attributes ampwork keeps become what the body says (an attribute left out
    is cleared, except the reporting line, which stays unless the enterprise extension is
    in the body: an identity provider that does not map it leaves it to ampwork)."""
    wanted = from_body(body)
    if wanted.external_id is None:
        wanted.external_id = ""
    if wanted.job_title is None:
        wanted.job_title = ""
    if ENTERPRISE in body and not wanted.manager_set:
        wanted.manager, wanted.manager_set = None, True
    return _apply(actor, person, wanted)


@transaction.atomic
def patch(actor: Actor, person: Person, ops: list[tuple[str, str | None, Any]]) -> Person:
    """PATCH (RFC 7644 §3.5.2) as Entra ID and Okta send it: with a path, or without one
    and an object of attributes (``{"op": "replace", "value": {"active": false}}``)."""
    wanted = Wanted()
    for n, (op, path, value) in enumerate(ops):
        if path is None:
            if not isinstance(value, dict):
                raise invalid(f"Operations[{n}].value: must be an object when there is no path")
            for key, item in value.items():
                set_attribute(wanted, key, item)
        else:
            set_attribute(wanted, path, value, remove=op == "remove")
    return _apply(actor, person, wanted)


def _refuse_seat_change(person: Person) -> None:
    """Only a member's (a student's) address may change over SCIM: a new address for an
    admin, people ops, manager or teacher would send their seat's invitation — and with
    it their role — to whoever the identity provider (or whoever holds its token) names."""
    if person.role != Role.MEMBER:
        raise ScimError(
            403,
            f"userName: the address of a person with the role {person.role_label} "
            "cannot be changed over SCIM; an admin changes it in ampwork",
            "mutability",
        )


def _refuse_admin_deactivation(person: Person) -> None:
    if person.role == Role.ADMIN:
        raise ScimError(
            403,
            f"active: a {person.role_label.lower()} cannot be deactivated over SCIM; "
            "another admin does that in ampwork",
            "mutability",
        )


def _apply(actor: Actor, person: Person, wanted: Wanted) -> Person:
    changes: dict[str, Any] = {}
    if wanted.email is not None and wanted.email.lower() != person.email:
        _refuse_seat_change(person)
        _check_unique(actor.organisation, wanted.email, person)
        changes["email"] = wanted.email
    name = wanted.full_name(person.name)
    if name is not None and name != person.name:
        changes["name"] = name
    for attr in ("external_id", "job_title", "active"):
        value = getattr(wanted, attr)
        if value is not None and value != getattr(person, attr):
            changes[attr] = value
    if wanted.manager_set and wanted.manager != person.manager_id:
        changes["manager_id"] = wanted.manager
    if changes.get("active") is False:
        _refuse_admin_deactivation(person)
    if not changes:
        return person
    try:
        services.update_person(actor=actor, person=person, **changes)
    except ValidationFailed as exc:
        raise _scim_error(exc) from None
    return person


@transaction.atomic
def deactivate(actor: Actor, person: Person) -> None:
    """DELETE: ampwork keeps a leaver's history, so the person is deactivated (as
    ``active: false`` does), not removed."""
    if person.active:
        _refuse_admin_deactivation(person)
        try:
            services.update_person(actor=actor, person=person, active=False)
        except ValidationFailed as exc:
            raise _scim_error(exc) from None
