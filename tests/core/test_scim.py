"""SCIM 2.0 provisioning (RFC 7643/7644) at /scim/v2/, as identity providers send it.

The requests are RFC 7644's own examples (§3.3 create, §3.4.2 query, §3.5.1 replace,
§3.5.2 modify) — with an email for ``userName``, which ampwork's people need — and the
PATCH bodies Microsoft Entra ID and Okta send. Organisation isolation is attacked with
another organisation's ids and filters; deactivation is checked on a real session and a
real API token right after the PATCH. Portable: the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core import services
from ampwork.core.models import (
    AuditEvent,
    Organisation,
    Person,
    Role,
    ScimToken,
    Team,
    TeamMembership,
)
from ampwork.core.permissions import Actor

from ..factories import MembershipFactory, ObjectiveFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class Scim:
    """A SCIM client with an organisation's token."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def __call__(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        send = getattr(self.client, method.lower())
        data = json.dumps(body) if body is not None else None
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = "application/scim+json"
        response = send(f"/scim/v2/{path}", **kwargs)
        assert response.status_code != 500
        if response.status_code != 204:
            assert response["Content-Type"] == "application/scim+json"
        return response


@pytest.fixture
def scim(client: Client, admin_actor: Actor) -> Scim:
    _, token = services.create_scim_token(actor=admin_actor)
    return Scim(client, token)


@pytest.fixture
def other_scim(client: Client, other_org: Organisation, make_person: Callable[..., Person]) -> Scim:
    boss = make_person(other_org, Role.ADMIN)
    actor = Actor(organisation=other_org, role=Role.ADMIN, user=boss.user, person=boss)
    _, token = services.create_scim_token(actor=actor)
    return Scim(client, token)


def error(response: Any, status: int, scim_type: str | None, field: str) -> None:
    body = response.json()
    assert response.status_code == status, body
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type
    assert field in body["detail"], body["detail"]


def snapshot() -> tuple[list[Any], list[Any], int]:
    people = list(Person.objects.order_by("pk").values())
    teams = list(Team.objects.order_by("pk").values())
    return people, teams, AuditEvent.objects.count()


# ------------------------------------------------------------------ RFC 7644 §3.3: create

BJENSEN = {
    "schemas": [USER],
    "userName": "bjensen@example.com",
    "externalId": "bjensen",
    "name": {
        "formatted": "Ms. Barbara J Jensen III",
        "familyName": "Jensen",
        "givenName": "Barbara",
    },
}


def test_create_user_rfc_3_3(scim: Scim, org: Organisation) -> None:
    response = scim("POST", "Users", BJENSEN)
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(organisation=org, email="bjensen@example.com")
    assert body["id"] == str(person.pk)
    assert response["Location"].endswith(f"/scim/v2/Users/{person.pk}")
    assert body["meta"]["location"] == response["Location"]
    assert body["meta"]["resourceType"] == "User"
    assert body["userName"] == "bjensen@example.com"
    assert body["externalId"] == "bjensen"
    assert body["name"]["formatted"] == "Ms. Barbara J Jensen III"
    assert body["active"] is True
    assert person.name == "Ms. Barbara J Jensen III"
    assert person.external_id == "bjensen"
    assert person.role == Role.MEMBER
    event = AuditEvent.objects.get(action="person.created", target_id=str(person.pk))
    assert event.actor_email == "SCIM provisioning"


def test_create_user_given_and_family_names(scim: Scim) -> None:
    body = {
        "schemas": [USER],
        "userName": "kim@example.com",
        "name": {"givenName": "Kim", "familyName": "Lee"},
    }
    assert scim("POST", "Users", body).json()["displayName"] == "Kim Lee"


def test_rfc_example_username_that_is_not_an_email_is_refused(scim: Scim) -> None:
    before = snapshot()
    response = scim("POST", "Users", {**BJENSEN, "userName": "bjensen"})
    error(response, 400, "invalidValue", "userName")
    assert snapshot() == before


def test_duplicate_username_is_409_uniqueness(scim: Scim, org: Organisation) -> None:
    PersonFactory(organisation=org, email="bjensen@example.com")
    before = snapshot()
    response = scim("POST", "Users", {**BJENSEN, "userName": "BJensen@Example.com"})
    error(response, 409, "uniqueness", "userName")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "scim_type", "field"),
    [
        ({"schemas": [USER]}, "invalidValue", "userName"),
        ({"userName": 7}, "invalidValue", "userName"),
        ({"userName": "a@example.com", "active": "maybe"}, "invalidValue", "active"),
        ({"userName": "a@example.com", "name": "Kim"}, "invalidValue", "name"),
        ({"userName": "a@example.com", "externalId": "x" * 201}, "invalidValue", "externalId"),
        ({"userName": "a@example.com", "displayName": "x" * 201}, "invalidValue", "displayName"),
        ({"userName": "a@example.com", "favouriteColour": "red"}, "invalidPath", "favouriteColour"),
        (
            {"userName": "a@example.com", ENTERPRISE: {"manager": {"value": "999999"}}},
            "invalidValue",
            "manager",
        ),
        (
            {"userName": "a@example.com", ENTERPRISE: {"manager": "nobody"}},
            "invalidValue",
            "manager",
        ),
        ({"userName": "a\x00@example.com"}, "invalidValue", "userName"),
        ({"userName": "a@example.com", "emails": "a@example.com"}, "invalidValue", "emails"),
    ],
)
def test_bad_user_bodies_write_nothing(
    scim: Scim, body: dict[str, Any], scim_type: str, field: str
) -> None:
    before = snapshot()
    error(scim("POST", "Users", body), 400, scim_type, field)
    assert snapshot() == before


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", '"a string"', "{"])
def test_body_that_is_not_a_json_object(scim: Scim, raw: str) -> None:
    response = scim.client.post(
        "/scim/v2/Users", data=raw, content_type="application/scim+json", **scim.headers
    )
    error(response, 400, "invalidSyntax", "")


# ------------------------------------------------------------- RFC 7644 §3.4.2: query


def test_filter_username_eq_rfc_3_4_2(scim: Scim, org: Organisation) -> None:
    kim = PersonFactory(organisation=org, email="kim@example.com")
    PersonFactory(organisation=org, email="lee@example.com")
    body = scim("GET", 'Users?filter=userName eq "Kim@Example.com"').json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert body["totalResults"] == 1
    assert [r["id"] for r in body["Resources"]] == [str(kim.pk)]
    empty = scim("GET", 'Users?filter=userName eq "nobody@example.com"').json()
    assert empty["totalResults"] == 0
    assert empty["Resources"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('userName sw "j"', {"jo", "jane"}),
        ('emails co "west"', {"jane"}),
        ("title pr", {"jo"}),
        ('not (userName sw "j")', {"zed"}),
        ('userName sw "j" and active eq false', {"jane"}),
        ('externalId eq "ext-7"', {"zed"}),
        ('displayName eq "Zed Zee" or title eq "Chef"', {"zed", "jo"}),
    ],
)
def test_filters_of_rfc_3_4_2_2(
    scim: Scim, org: Organisation, query: str, expected: set[str]
) -> None:
    PersonFactory(organisation=org, email="jo@east.example", name="Jo", job_title="Chef")
    PersonFactory(organisation=org, email="jane@west.example", name="Jane", active=False)
    PersonFactory(organisation=org, email="zed@east.example", name="Zed Zee", external_id="ext-7")
    body = scim("GET", f"Users?filter={query}").json()
    found = {r["userName"].split("@")[0] for r in body["Resources"]}
    found.discard(Person.objects.get(role=Role.ADMIN).email.split("@")[0])
    assert found == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ('meta.lastModified gt "2011-05-13T04:42:34Z"', "meta.lastModified"),
        ('emails[type eq "work" and value co "@example.com"]', "emails"),
        ("userName eq", "filter"),
        ('password eq "x"', "password"),
        ('active eq "perhaps"', "filter"),
        ("x" * 1001, "filter"),
    ],
)
def test_filters_ampwork_cannot_answer_are_400_invalid_filter(
    scim: Scim, query: str, field: str
) -> None:
    error(scim("GET", f"Users?filter={query}"), 400, "invalidFilter", field)


def test_pagination_rfc_3_4_2_4(scim: Scim, org: Organisation) -> None:
    for n in range(5):
        PersonFactory(organisation=org, email=f"p{n}@example.com")
    everyone = scim("GET", "Users").json()
    assert everyone["totalResults"] == 6
    ids = [r["id"] for r in everyone["Resources"]]
    body = scim("GET", "Users?startIndex=2&count=3").json()
    assert body["startIndex"] == 2
    assert body["itemsPerPage"] == 3
    assert body["totalResults"] == 6
    assert [r["id"] for r in body["Resources"]] == ids[1:4]
    last = scim("GET", "Users?startIndex=6&count=3").json()
    assert [r["id"] for r in last["Resources"]] == ids[5:]
    beyond = scim("GET", "Users?startIndex=7&count=3").json()
    assert beyond["Resources"] == []
    assert beyond["totalResults"] == 6
    # below 1 reads as 1, a negative count as 0 (RFC 7644 §3.4.2.4)
    assert scim("GET", "Users?startIndex=0&count=1").json()["Resources"][0]["id"] == ids[0]
    assert scim("GET", "Users?count=-1").json()["itemsPerPage"] == 0
    assert scim("GET", "Users?count=0").json()["totalResults"] == 6
    error(scim("GET", "Users?count=many"), 400, "invalidValue", "count")
    error(scim("GET", "Users?startIndex=1.5"), 400, "invalidValue", "startIndex")


def test_get_one_user_with_manager_and_groups(scim: Scim, org: Organisation) -> None:
    boss = PersonFactory(organisation=org, name="Boss")
    kim = PersonFactory(organisation=org, manager=boss)
    team = TeamFactory(organisation=org, name="Platform")
    MembershipFactory(team=team, person=kim)
    body = scim("GET", f"Users/{kim.pk}").json()
    assert body[ENTERPRISE]["manager"]["value"] == str(boss.pk)
    assert body[ENTERPRISE]["manager"]["displayName"] == "Boss"
    assert body["groups"] == [
        {"value": str(team.pk), "display": "Platform", "$ref": body["groups"][0]["$ref"]}
    ]
    for raw in ("999999", "abc", "0", "-1", "1" * 30):
        error(scim("GET", f"Users/{raw}"), 404, None, "not found")


# ------------------------------------------------------------ RFC 7644 §3.5.1: replace


def test_replace_user_rfc_3_5_1(scim: Scim, org: Organisation) -> None:
    person = PersonFactory(organisation=org, email="bjensen@example.com", job_title="Old")
    body = {
        "schemas": [USER],
        "id": str(person.pk),
        "userName": "bjensen@example.com",
        "externalId": "bjensen",
        "name": {
            "formatted": "Ms. Barbara J Jensen III",
            "familyName": "Jensen",
            "givenName": "Barbara",
            "middleName": "Jane",
        },
        "roles": [],
        "userType": "Employee",
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": True},
            {"value": "babs@jensen.org", "type": "home"},
        ],
    }
    response = scim("PUT", f"Users/{person.pk}", body)
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.name == "Ms. Barbara J Jensen III"
    assert person.external_id == "bjensen"
    assert person.job_title == ""  # left out of a PUT: cleared
    assert response.json()["name"]["formatted"] == "Ms. Barbara J Jensen III"


def test_replace_keeps_the_reporting_line_unless_the_extension_is_sent(
    scim: Scim, org: Organisation
) -> None:
    boss = PersonFactory(organisation=org)
    person = PersonFactory(organisation=org, email="k@example.com", manager=boss)
    scim("PUT", f"Users/{person.pk}", {"userName": "k@example.com"})
    person.refresh_from_db()
    assert person.manager_id == boss.pk
    scim("PUT", f"Users/{person.pk}", {"userName": "k@example.com", ENTERPRISE: {}})
    person.refresh_from_db()
    assert person.manager_id is None


def test_replace_with_another_persons_username_is_409(scim: Scim, org: Organisation) -> None:
    PersonFactory(organisation=org, email="taken@example.com")
    person = PersonFactory(organisation=org, email="k@example.com")
    before = snapshot()
    error(
        scim("PUT", f"Users/{person.pk}", {"userName": "taken@example.com"}),
        409,
        "uniqueness",
        "userName",
    )
    assert snapshot() == before


# ------------------------------------------------------------ RFC 7644 §3.5.2: modify


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def test_patch_user_rfc_3_5_2_replace_without_path(scim: Scim, org: Organisation) -> None:
    """RFC 7644's own example replaces ``emails``: ampwork checks it and keeps userName as
    the address (a PATCH of emails alone never moves a sign-in address)."""
    person = PersonFactory(organisation=org, email="bjensen@example.com")
    body = patch(
        {
            "op": "replace",
            "value": {
                "emails": [{"value": "babs@example.com", "type": "work", "primary": True}],
                "nickName": "Babs",
            },
        }
    )
    response = scim("PATCH", f"Users/{person.pk}", body)
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.email == "bjensen@example.com"
    assert response.json()["userName"] == "bjensen@example.com"
    assert not AuditEvent.objects.filter(action="person.updated").exists()
    bad = patch({"op": "replace", "value": {"emails": [{"value": 3}]}})
    error(scim("PATCH", f"Users/{person.pk}", bad), 400, "invalidValue", "emails")


def test_patch_user_rfc_3_5_2_add_remove_replace_with_paths(scim: Scim, org: Organisation) -> None:
    person = PersonFactory(organisation=org, email="bjensen@example.com", external_id="x")
    body = patch(
        {"op": "replace", "path": "userName", "value": "barbara@example.com"},
        {"op": "add", "path": "title", "value": "Tour guide"},
        {"op": "remove", "path": "externalId"},
        {"op": "remove", "path": 'x509Certificates[value eq "MIIDQz"]'},
        {"op": "replace", "path": 'addresses[type eq "work"]', "value": {"locality": "Hollywood"}},
    )
    assert scim("PATCH", f"Users/{person.pk}", body).status_code == 200
    person.refresh_from_db()
    assert (person.email, person.job_title, person.external_id) == (
        "barbara@example.com",
        "Tour guide",
        "",
    )


def test_entra_id_patch(scim: Scim, org: Organisation) -> None:
    """What Microsoft Entra ID's provisioning service sends (op names capitalised, the
    manager as a bare id, booleans as strings)."""
    boss = PersonFactory(organisation=org, name="Ada Boss")
    person = PersonFactory(organisation=org, email="old@example.com", name="Old Name")
    body = patch(
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "mail@example.com"},
        {"op": "Replace", "path": "userName", "value": "new@example.com"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "mail@example.com"},
        {"op": "Replace", "path": "name.givenName", "value": "Nia"},
        {"op": "Replace", "path": "name.familyName", "value": "Okafor"},
        {"op": "Add", "path": "title", "value": "Engineer"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(boss.pk)},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "R&D"},
        {"op": "Replace", "path": "preferredLanguage", "value": "en-GB"},
    )
    response = scim("PATCH", f"Users/{person.pk}", body)
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.email == "new@example.com"
    assert person.name == "Nia Okafor"
    assert person.job_title == "Engineer"
    assert person.manager_id == boss.pk
    assert AuditEvent.objects.filter(
        action="person.manager_changed", target_id=str(person.pk)
    ).exists()
    # Entra ID removes a manager with a path and no value
    scim("PATCH", f"Users/{person.pk}", patch({"op": "Remove", "path": f"{ENTERPRISE}:manager"}))
    person.refresh_from_db()
    assert person.manager_id is None
    # and deactivates with a string
    scim(
        "PATCH", f"Users/{person.pk}", patch({"op": "Replace", "path": "active", "value": "False"})
    )
    person.refresh_from_db()
    assert person.active is False


def test_okta_patch(scim: Scim, org: Organisation) -> None:
    """What Okta sends: replace without a path, an object of attributes."""
    person = PersonFactory(organisation=org, email="okta@example.com")
    response = scim(
        "PATCH", f"Users/{person.pk}", patch({"op": "replace", "value": {"active": False}})
    )
    assert response.status_code == 200
    assert response.json()["active"] is False
    person.refresh_from_db()
    assert person.active is False
    assert person.left_at is not None
    assert (
        AuditEvent.objects.filter(action="person.deactivated", target_id=str(person.pk)).count()
        == 1
    )
    scim("PATCH", f"Users/{person.pk}", patch({"op": "replace", "value": {"active": True}}))
    person.refresh_from_db()
    assert person.active is True


def test_manager_loop_and_unknown_manager_are_refused(scim: Scim, org: Organisation) -> None:
    boss = PersonFactory(organisation=org)
    kim = PersonFactory(organisation=org, manager=boss)
    before = snapshot()
    response = scim(
        "PATCH",
        f"Users/{boss.pk}",
        patch({"op": "add", "path": f"{ENTERPRISE}:manager", "value": {"value": str(kim.pk)}}),
    )
    error(response, 400, "invalidValue", "manager")
    response = scim(
        "PATCH",
        f"Users/{kim.pk}",
        patch({"op": "add", "path": f"{ENTERPRISE}:manager", "value": "999999"}),
    )
    error(response, 400, "invalidValue", "manager")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "scim_type", "field"),
    [
        ({"Operations": []}, "invalidSyntax", "Operations"),
        (
            {
                "schemas": ["urn:wrong"],
                "Operations": [{"op": "add", "path": "title", "value": "x"}],
            },
            "invalidSyntax",
            "schemas",
        ),
        (patch({"op": "move", "path": "title", "value": "x"}), "invalidSyntax", "op"),
        (patch({"op": "remove"}), "noTarget", "path"),
        (patch({"op": "add", "path": "title"}), "invalidSyntax", "value"),
        (patch({"op": "add", "value": "x"}), "invalidValue", "value"),
        (patch({"op": "add", "path": "shoeSize", "value": 44}), "invalidPath", "shoeSize"),
        (patch({"op": "remove", "path": "userName"}), "mutability", "userName"),
        # the first operation is good: nothing of it is written either
        (
            patch(
                {"op": "add", "path": "title", "value": "Chef"},
                {"op": "replace", "path": "active", "value": 3},
            ),
            "invalidValue",
            "active",
        ),
    ],
)
def test_bad_patches_write_nothing(
    scim: Scim, org: Organisation, body: dict[str, Any], scim_type: str, field: str
) -> None:
    person = PersonFactory(organisation=org)
    before = snapshot()
    error(scim("PATCH", f"Users/{person.pk}", body), 400, scim_type, field)
    assert snapshot() == before


def test_scim_never_deactivates_an_admin(
    scim: Scim, org: Organisation, admin: Person, make_person: Callable[..., Person]
) -> None:
    """Not the last admin, nor one of many: an admin (a head teacher) is deactivated in
    ampwork by another admin, never by whoever holds the SCIM token."""
    second = make_person(org, Role.ADMIN)
    before = snapshot()
    for target in (admin, second):
        off = patch({"op": "replace", "value": {"active": False}})
        error(scim("PATCH", f"Users/{target.pk}", off), 403, "mutability", "active")
        off = patch({"op": "Replace", "path": "active", "value": "False"})
        error(scim("PATCH", f"Users/{target.pk}", off), 403, "mutability", "active")
        body = {"userName": target.email, "active": False}
        error(scim("PUT", f"Users/{target.pk}", body), 403, "mutability", "active")
        error(scim("DELETE", f"Users/{target.pk}"), 403, "mutability", "active")
    assert snapshot() == before
    # a manager is no admin: SCIM deactivates them
    manager = make_person(org, Role.MANAGER)
    assert scim("DELETE", f"Users/{manager.pk}").status_code == 204
    manager.refresh_from_db()
    assert manager.active is False


def test_delete_user_deactivates(scim: Scim, org: Organisation) -> None:
    person = PersonFactory(organisation=org)
    assert scim("DELETE", f"Users/{person.pk}").status_code == 204
    person.refresh_from_db()
    assert person.active is False


# ------------------------------------------------------------ deactivation removes access


def test_deactivation_removes_session_and_token_access_at_once(
    client: Client, scim: Scim, org: Organisation, make_person: Callable[..., Person]
) -> None:
    person = make_person(org, Role.MEMBER)
    actor = Actor(organisation=org, role=person.role, user=person.user, person=person)
    _, api_token = services.create_token(actor=actor, name="laptop")
    api = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
    browser = Client()
    assert person.user is not None
    browser.force_login(person.user)
    assert client.get("/api/v1/me", **api).status_code == 200
    assert browser.get("/people/").status_code == 200

    response = scim(
        "PATCH", f"Users/{person.pk}", patch({"op": "replace", "value": {"active": False}})
    )
    assert response.status_code == 200

    assert client.get("/api/v1/me", **api).status_code == 401
    assert client.get("/api/v1/people", **api).status_code == 401
    page = browser.get("/people/")
    assert page.status_code == 403
    assert person.name not in page.content.decode()


# ------------------------------------------------------------------------------ groups


def test_groups_create_get_list_and_delete(scim: Scim, org: Organisation) -> None:
    kim = PersonFactory(organisation=org)
    response = scim(
        "POST",
        "Groups",
        {
            "schemas": [GROUP],
            "displayName": "Tour Guides",
            "externalId": "g-1",
            "members": [{"value": str(kim.pk)}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    team = Team.objects.get(organisation=org, name="Tour Guides")
    assert body["id"] == str(team.pk)
    assert team.external_id == "g-1"
    assert [m["value"] for m in body["members"]] == [str(kim.pk)]
    assert scim("GET", f"Groups/{team.pk}").json()["displayName"] == "Tour Guides"
    listed = scim(
        "GET", 'Groups?filter=displayName eq "tour guides"&excludedAttributes=members'
    ).json()
    assert listed["totalResults"] == 1
    assert "members" not in listed["Resources"][0]
    error(scim("POST", "Groups", {"displayName": "tour guides"}), 409, "uniqueness", "displayName")
    assert scim("DELETE", f"Groups/{team.pk}").status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()
    assert AuditEvent.objects.filter(action="team.deleted", target_id=str(team.pk)).exists()
    error(scim("GET", f"Groups/{team.pk}"), 404, None, "not found")


def test_group_members_rfc_3_5_2(scim: Scim, org: Organisation) -> None:
    team = TeamFactory(organisation=org, name="Guides", scim_managed=True)
    a, b, c = (PersonFactory(organisation=org) for _ in range(3))

    def members() -> set[int]:
        return set(team.memberships.values_list("person_id", flat=True))

    add = {
        "op": "add",
        "path": "members",
        "value": [
            {
                "display": "Babs Jensen",
                "$ref": "https://example.com/v2/Users/x",
                "value": str(a.pk),
            },
            {"value": str(b.pk)},
        ],
    }
    assert scim("PATCH", f"Groups/{team.pk}", patch(add)).status_code == 200
    assert members() == {a.pk, b.pk}
    scim("PATCH", f"Groups/{team.pk}", patch(add))  # again: nothing changes, no error
    assert members() == {a.pk, b.pk}
    scim(
        "PATCH", f"Groups/{team.pk}", patch({"op": "remove", "path": f'members[value eq "{a.pk}"]'})
    )
    assert members() == {b.pk}
    scim(
        "PATCH",
        f"Groups/{team.pk}",
        patch(
            {
                "op": "replace",
                "path": "members",
                "value": [{"value": str(c.pk)}, {"value": str(a.pk)}],
            }
        ),
    )
    assert members() == {a.pk, c.pk}
    scim("PATCH", f"Groups/{team.pk}", patch({"op": "remove", "path": "members"}))
    assert members() == set()
    assert AuditEvent.objects.filter(action="membership.added").count() == 4
    assert AuditEvent.objects.filter(action="membership.removed").count() == 4


def test_entra_id_and_okta_group_patches(scim: Scim, org: Organisation) -> None:
    team = TeamFactory(organisation=org, name="Guides", scim_managed=True)
    a, b = PersonFactory(organisation=org), PersonFactory(organisation=org)
    # Entra ID: capitalised ops, remove by value list
    scim(
        "PATCH",
        f"Groups/{team.pk}",
        patch(
            {"op": "Add", "path": "members", "value": [{"value": str(a.pk)}, {"value": str(b.pk)}]}
        ),
    )
    scim(
        "PATCH",
        f"Groups/{team.pk}",
        patch({"op": "Remove", "path": "members", "value": [{"value": str(a.pk)}]}),
    )
    assert set(team.memberships.values_list("person_id", flat=True)) == {b.pk}
    scim(
        "PATCH",
        f"Groups/{team.pk}",
        patch({"op": "Replace", "path": "displayName", "value": "Guides 2"}),
    )
    # Okta: a rename as an object without a path (with the group's own id)
    response = scim(
        "PATCH",
        f"Groups/{team.pk}",
        patch({"op": "replace", "value": {"id": str(team.pk), "displayName": "Guides 3"}}),
    )
    assert response.status_code == 200
    assert response.json()["displayName"] == "Guides 3"


def test_bad_group_requests_write_nothing(
    scim: Scim, org: Organisation, other_org: Organisation
) -> None:
    team = TeamFactory(organisation=org, name="Guides", scim_managed=True)
    kim = PersonFactory(organisation=org)
    stranger = PersonFactory(organisation=other_org)
    before = snapshot()
    error(scim("POST", "Groups", {"members": []}), 400, "invalidValue", "displayName")
    error(
        scim(
            "POST",
            "Groups",
            {
                "displayName": "New",
                "members": [{"value": str(kim.pk)}, {"value": str(stranger.pk)}],
            },
        ),
        400,
        "invalidValue",
        "members",
    )
    bad = patch(
        {"op": "add", "path": "members", "value": [{"value": str(kim.pk)}]},
        {"op": "add", "path": "members", "value": [{"value": "nobody"}]},
    )
    error(scim("PATCH", f"Groups/{team.pk}", bad), 400, "invalidValue", "members")
    error(
        scim("PATCH", f"Groups/{team.pk}", patch({"op": "add", "path": "owners", "value": []})),
        400,
        "invalidPath",
        "owners",
    )
    assert snapshot() == before


# ------------------------------------------------------------------ organisation isolation


def test_another_organisations_token_cannot_read_or_change_our_people(
    scim: Scim, other_scim: Scim, org: Organisation
) -> None:
    """Org B's identity provider (an attacker holding B's token) goes after org A's ids."""
    victim = PersonFactory(organisation=org, email="victim@acme.example", name="Victim")
    team = TeamFactory(organisation=org, name="Acme Team")
    before = snapshot()
    for method, path, body in [
        ("GET", f"Users/{victim.pk}", None),
        ("PUT", f"Users/{victim.pk}", {"userName": "owned@evil.example"}),
        ("PATCH", f"Users/{victim.pk}", patch({"op": "replace", "value": {"active": False}})),
        ("DELETE", f"Users/{victim.pk}", None),
        ("GET", f"Groups/{team.pk}", None),
        ("PATCH", f"Groups/{team.pk}", patch({"op": "remove", "path": "members"})),
        ("DELETE", f"Groups/{team.pk}", None),
    ]:
        error(other_scim(method, path, body), 404, None, "not found")
    for query in (
        'userName eq "victim@acme.example"',
        'userName co "acme"',
        "userName pr",
        'not (userName eq "x")',
    ):
        found = other_scim("GET", f"Users?filter={query}").json()
        assert all(r["userName"] != "victim@acme.example" for r in found["Resources"]), query
    groups = other_scim("GET", 'Groups?filter=displayName eq "Acme Team"').json()
    assert groups["totalResults"] == 0
    # B cannot put A's people into its teams, nor make one of A's its manager
    error(
        other_scim(
            "POST", "Groups", {"displayName": "Grab", "members": [{"value": str(victim.pk)}]}
        ),
        400,
        "invalidValue",
        "members",
    )
    error(
        other_scim(
            "POST",
            "Users",
            {"userName": "new@globex.example", ENTERPRISE: {"manager": {"value": str(victim.pk)}}},
        ),
        400,
        "invalidValue",
        "manager",
    )
    assert snapshot() == before
    # and the same email may be a User in both organisations
    assert other_scim("POST", "Users", {"userName": "victim@acme.example"}).status_code == 201


# --------------------------------------------------------------------- tokens and discovery


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz", "Bearer scim_wrong", "Bearer amp_x"],
)
def test_without_a_valid_scim_token_401(
    client: Client, org: Organisation, header: str | None
) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/scim/v2/Users", **extra)
    error(response, 401, None, "token")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_personal_api_token_and_session_are_not_scim_tokens(
    client: Client, admin: Person, admin_actor: Actor, scim: Scim
) -> None:
    _, api_token = services.create_token(actor=admin_actor, name="t")
    error(
        client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {api_token}"), 401, None, "token"
    )
    assert admin.user is not None
    client.force_login(admin.user)
    error(client.get("/scim/v2/Users"), 401, None, "token")
    # and the SCIM token is no API token
    client.logout()
    assert client.get("/api/v1/me", **scim.headers).status_code == 401


def test_revoked_and_replaced_tokens_stop_working(client: Client, admin_actor: Actor) -> None:
    _, first = services.create_scim_token(actor=admin_actor)
    _, second = services.create_scim_token(actor=admin_actor)  # replaces the first
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    assert ScimToken.objects.get(revoked_at__isnull=True).last_used_at is not None
    assert services.revoke_scim_token(actor=admin_actor) is True
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 401
    assert services.revoke_scim_token(actor=admin_actor) is False
    assert not ScimToken.objects.filter(digest__contains=second[5:15]).exists()


def test_only_admins_manage_the_scim_token(
    org: Organisation, make_person: Callable[..., Person]
) -> None:
    from ampwork.core.errors import NotAllowed

    for role in (Role.PEOPLE_OPS, Role.MANAGER, Role.MEMBER):
        person = make_person(org, role)
        actor = Actor(organisation=org, role=role, user=person.user, person=person)
        with pytest.raises(NotAllowed):
            services.create_scim_token(actor=actor)
        with pytest.raises(NotAllowed):
            services.revoke_scim_token(actor=actor)


def test_discovery_endpoints(scim: Scim) -> None:
    config = scim("GET", "ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 200}
    types = scim("GET", "ResourceTypes").json()
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
    assert scim("GET", "ResourceTypes/User").json()["schemaExtensions"][0]["schema"] == ENTERPRISE
    schemas = scim("GET", "Schemas").json()
    assert {s["id"] for s in schemas["Resources"]} == {USER, GROUP, ENTERPRISE}
    assert scim("GET", f"Schemas/{USER}").json()["name"] == "User"
    error(scim("GET", "Schemas/urn:nope"), 404, None, "not found")
    error(scim("GET", "ResourceTypes/Nope"), 404, None, "not found")
    error(scim("POST", "ServiceProviderConfig", {}), 405, None, "POST")
    error(scim("PUT", "Users", {}), 405, None, "PUT")


# ------------------------------------------------------------------ the settings page


def test_settings_page_section_for_admins_only(
    client: Client, org: Organisation, admin: Person, make_person: Callable[..., Person]
) -> None:
    ops = make_person(org, Role.PEOPLE_OPS)
    assert ops.user is not None
    assert admin.user is not None
    client.force_login(ops.user)
    assert client.post("/settings/scim/token/").status_code == 403
    assert client.post("/settings/scim/revoke/").status_code == 403
    assert not ScimToken.objects.exists()

    client.force_login(admin.user)
    page = client.get("/settings/").content.decode()
    assert "Provisioning (SCIM)" in page
    assert "http://testserver/scim/v2" not in page
    assert "/scim/v2" in page
    assert "none — provisioning is off" in page
    response = client.post("/settings/scim/token/")
    assert response.status_code == 302
    assert response["Location"].endswith("#provisioning")
    shown = client.get("/settings/").content.decode()
    token = shown.split('<code class="token" tabindex="0">')[1].split("<")[0]
    assert token.startswith("scim_")
    assert token not in client.get("/settings/").content.decode()  # shown once
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(admin.user)
    assert "never" not in client.get("/settings/").content.decode().split("Last request")[1][:80]
    client.post("/settings/scim/revoke/")
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    actions = list(
        AuditEvent.objects.filter(action__startswith="scim.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["scim.token_created", "scim.token_revoked"]


def test_replace_group_and_a_school_refuses_new_users_and_groups(
    client: Client,
    scim: Scim,
    org: Organisation,
    school: Organisation,
    make_person: Callable[..., Person],
) -> None:
    team = TeamFactory(organisation=org, name="Guides", external_id="old", scim_managed=True)
    a, b = PersonFactory(organisation=org), PersonFactory(organisation=org)
    MembershipFactory(team=team, person=a)
    body = {"schemas": [GROUP], "displayName": "Guides 2", "members": [{"value": str(b.pk)}]}
    response = scim("PUT", f"Groups/{team.pk}", body)
    assert response.status_code == 200, response.content
    team.refresh_from_db()
    assert (team.name, team.external_id) == ("Guides 2", "")
    assert set(team.memberships.values_list("person_id", flat=True)) == {b.pk}
    head = make_person(school, Role.ADMIN)
    actor = Actor(organisation=school, role=Role.ADMIN, user=head.user, person=head)
    _, token = services.create_scim_token(actor=actor)
    school_scim = Scim(client, token)
    student = PersonFactory(organisation=school, email="pupil@hill.example")
    before = snapshot()
    # a school's students and classes come from OneRoster (docs/schools.md): SCIM would
    # otherwise make every new User a student and every Group a class
    for path, body in (
        ("Users", {"userName": "new@hill.example"}),
        ("Groups", {"displayName": "7A"}),
    ):
        response = school_scim("POST", path, body)
        error(response, 403, "mutability", "OneRoster")
        assert "docs/schools.md" in response.json()["detail"]
    assert snapshot() == before
    # reading and deactivating a student still works
    assert school_scim("GET", f"Users/{student.pk}").json()["userName"] == "pupil@hill.example"
    assert school_scim("DELETE", f"Users/{student.pk}").status_code == 204
    error(school_scim("DELETE", f"Users/{head.pk}"), 403, "mutability", "head teacher")
    client.force_login(head.user)
    page = client.get("/settings/").content.decode()
    assert 'id="provisioning-school"' in page
    assert "OneRoster" in page
    client.force_login(make_person(org, Role.ADMIN).user)
    assert 'id="provisioning-school"' not in client.get("/settings/").content.decode()


# ------------------------------------------------------------------ review: attacks


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER])
@pytest.mark.parametrize("signed_in", [True, False])
def test_scim_cannot_move_a_privileged_seat_to_another_address(
    scim: Scim,
    org: Organisation,
    admin: Person,
    make_person: Callable[..., Person],
    mailoutbox: list[Any],
    role: str,
    signed_in: bool,
) -> None:
    """The attack: change the address of an admin / people ops / manager seat (claimed or
    not yet) so its invitation goes to the attacker, who then signs in with that role."""
    seat = make_person(org, role) if signed_in else PersonFactory(organisation=org, role=role)
    before = snapshot()
    for method, body in (
        ("PATCH", patch({"op": "replace", "path": "userName", "value": "evil@attacker.example"})),
        ("PATCH", patch({"op": "replace", "value": {"userName": "evil@attacker.example"}})),
        ("PUT", {"userName": "evil@attacker.example", "name": {"formatted": seat.name}}),
        (
            "PATCH",
            patch(
                {"op": "replace", "path": 'emails[type eq "work"].value', "value": "e@x.example"}
            ),
        ),
    ):
        response = scim(method, f"Users/{seat.pk}", body)
        if "emails" in json.dumps(body):
            assert response.status_code == 200  # emails is never the address: ignored
        else:
            error(response, 403, "mutability", "userName")
    assert snapshot() == before
    assert mailoutbox == []
    seat.refresh_from_db()
    assert seat.email != "evil@attacker.example"
    # the same seat's other attributes still change, and its own address is no change
    ok = patch({"op": "replace", "value": {"userName": seat.email, "title": "Lead"}})
    assert scim("PATCH", f"Users/{seat.pk}", ok).status_code == 200


def test_scim_still_changes_a_members_address(
    scim: Scim, org: Organisation, mailoutbox: list[Any]
) -> None:
    member = PersonFactory(organisation=org, email="typo@example.com")
    body = patch({"op": "replace", "path": "userName", "value": "fixed@example.com"})
    assert scim("PATCH", f"Users/{member.pk}", body).status_code == 200
    member.refresh_from_db()
    assert member.email == "fixed@example.com"


@pytest.mark.parametrize(
    "raw", ["\u00b2", "1\u00b2", "\u0663", "\uff11", "99999999999999999999999"]
)
def test_non_ascii_digits_and_huge_ids_are_not_found_not_500(
    scim: Scim, org: Organisation, raw: str
) -> None:
    person = PersonFactory(organisation=org)
    team = TeamFactory(organisation=org, scim_managed=True)
    from urllib.parse import quote

    error(scim("GET", f"Users/{quote(raw)}"), 404, None, "not found")
    error(scim("GET", f"Groups/{quote(raw)}"), 404, None, "not found")
    manager = patch({"op": "add", "path": f"{ENTERPRISE}:manager", "value": raw})
    error(scim("PATCH", f"Users/{person.pk}", manager), 400, "invalidValue", "manager")
    add = patch({"op": "add", "path": "members", "value": [{"value": raw}]})
    error(scim("PATCH", f"Groups/{team.pk}", add), 400, "invalidValue", "members")
    remove = patch({"op": "remove", "path": f'members[value eq "{raw}"]'})
    assert scim("PATCH", f"Groups/{team.pk}", remove).status_code == 200


@pytest.mark.parametrize(
    ("start", "items"),
    [("2147483647", 0), ("2147483648", 0), ("2147483649", 0), ("99999999999999999999999", 0)],
)
def test_huge_start_index_is_an_empty_page(
    scim: Scim, org: Organisation, start: str, items: int
) -> None:
    PersonFactory(organisation=org)
    for path in ("Users", "Groups"):
        body = scim("GET", f"{path}?startIndex={start}&count=5").json()
        assert body["itemsPerPage"] == items
        assert body["Resources"] == []


def test_deeply_nested_json_is_invalid_syntax(scim: Scim) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    response = scim.client.post(
        "/scim/v2/Users", data=deep, content_type="application/scim+json", **scim.headers
    )
    error(response, 400, "invalidSyntax", "nested")
    deep_object = '{"userName": ' + "[" * 200_000 + "]" * 200_000 + "}"
    response = scim.client.post(
        "/scim/v2/Users", data=deep_object, content_type="application/scim+json", **scim.headers
    )
    error(response, 400, "invalidSyntax", "nested")


def test_an_unexpected_error_is_a_scim_500_and_writes_nothing(
    client: Client, scim: Scim, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ampwork.core.scim import users as scim_users

    real = scim_users.resource

    def broken(person: Person) -> dict[str, Any]:
        real(person)
        raise RuntimeError("boom")

    monkeypatch.setattr(scim_users, "resource", broken)
    before = snapshot()
    response = client.post(
        "/scim/v2/Users",
        data=json.dumps({"userName": "kim@example.com"}),
        content_type="application/scim+json",
        **scim.headers,
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/scim+json"
    assert response.json()["schemas"] == [ERROR]
    assert snapshot() == before  # the person created before the failure: rolled back


def test_replacing_or_clearing_members_keeps_ampworks_leads(scim: Scim, org: Organisation) -> None:
    team = TeamFactory(organisation=org, scim_managed=True)
    teacher, a, b = (PersonFactory(organisation=org) for _ in range(3))
    MembershipFactory(team=team, person=teacher, role="lead")
    MembershipFactory(team=team, person=a)

    def members() -> set[int]:
        return set(team.memberships.values_list("person_id", flat=True))

    replace = patch({"op": "replace", "path": "members", "value": [{"value": str(b.pk)}]})
    assert scim("PATCH", f"Groups/{team.pk}", replace).status_code == 200
    assert members() == {teacher.pk, b.pk}
    put = {"displayName": team.name, "members": []}
    assert scim("PUT", f"Groups/{team.pk}", put).status_code == 200
    assert members() == {teacher.pk}
    MembershipFactory(team=team, person=a)
    assert (
        scim("PATCH", f"Groups/{team.pk}", patch({"op": "remove", "path": "members"})).status_code
        == 200
    )
    assert members() == {teacher.pk}
    # named in a remove: the provider means them
    named = patch({"op": "remove", "path": "members", "value": [{"value": str(teacher.pk)}]})
    assert scim("PATCH", f"Groups/{team.pk}", named).status_code == 200
    assert members() == set()


def team_objective(org: Organisation, team: Team) -> Any:
    return ObjectiveFactory(
        cycle__organisation=org, owner_kind="team", owner_team=team, owner_person=None
    )


def test_teams_scim_did_not_create_are_read_only(
    scim: Scim, org: Organisation, school: Organisation
) -> None:
    """The attack: delete (with its OKRs) or empty a department, or a team made in ampwork."""
    from ampwork.okrs.models import Objective

    department = TeamFactory(organisation=org, name="Sales", kind=Team.Kind.DEPARTMENT)
    team = TeamFactory(organisation=org, name="Made in ampwork", external_id="from-idp")
    kim = PersonFactory(organisation=org)
    MembershipFactory(team=team, person=kim)
    team_objective(org, department)
    before = snapshot(), Objective.objects.count()
    for target in (department, team):
        for method, body in (
            ("DELETE", None),
            ("PUT", {"displayName": "Renamed", "members": []}),
            ("PATCH", patch({"op": "remove", "path": "members"})),
            ("PATCH", patch({"op": "replace", "path": "displayName", "value": "Renamed"})),
        ):
            error(scim(method, f"Groups/{target.pk}", body), 403, "mutability", "SCIM")
        assert scim("GET", f"Groups/{target.pk}").status_code == 200
    assert (snapshot(), Objective.objects.count()) == before


def test_deleting_a_scim_team_never_deletes_its_okrs(scim: Scim, org: Organisation) -> None:
    from ampwork.okrs.models import Objective

    kim, lead = PersonFactory(organisation=org), PersonFactory(organisation=org)
    created = scim(
        "POST",
        "Groups",
        {"displayName": "Guides", "externalId": "g-1", "members": [{"value": str(kim.pk)}]},
    )
    team = Team.objects.get(pk=int(created.json()["id"]))
    assert team.scim_managed is True
    MembershipFactory(team=team, person=lead, role="lead")
    objective = team_objective(org, team)
    assert scim("DELETE", f"Groups/{team.pk}").status_code == 204
    team.refresh_from_db()  # still there, with its objective and its lead
    assert Objective.objects.filter(pk=objective.pk).exists()
    assert (team.external_id, team.scim_managed) == ("", False)
    assert set(team.memberships.values_list("person_id", flat=True)) == {lead.pk}
    assert AuditEvent.objects.filter(action="team.scim_released").exists()
    error(scim("DELETE", f"Groups/{team.pk}"), 403, "mutability", "SCIM")
    # a SCIM team without objectives is deleted
    empty = scim("POST", "Groups", {"displayName": "Empty"}).json()["id"]
    assert scim("DELETE", f"Groups/{empty}").status_code == 204
    assert not Team.objects.filter(pk=int(empty)).exists()


def test_removing_someone_who_is_not_a_member_is_no_error(
    scim: Scim, org: Organisation, other_org: Organisation
) -> None:
    team = TeamFactory(organisation=org, scim_managed=True)
    a, outsider = PersonFactory(organisation=org), PersonFactory(organisation=org)
    stranger = PersonFactory(organisation=other_org)
    MembershipFactory(team=team, person=a)
    body = patch(
        {
            "op": "remove",
            "path": "members",
            "value": [
                {"value": str(outsider.pk)},
                {"value": str(stranger.pk)},
                {"value": "999999"},
                {"value": str(a.pk)},
            ],
        },
        {"op": "remove", "path": f'members[value eq "{outsider.pk}"]'},
    )
    assert scim("PATCH", f"Groups/{team.pk}", body).status_code == 200
    assert not team.memberships.exists()
    assert not TeamMembership.objects.filter(person=stranger).exists()


def test_last_used_at_is_written_at_most_once_a_minute(
    scim: Scim, client: Client, org: Organisation
) -> None:
    import datetime as dt

    from django.utils import timezone

    token = ScimToken.objects.get(organisation=org, revoked_at__isnull=True)
    assert scim("GET", "Users").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert scim("GET", "Users").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ScimToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    assert scim("GET", "Users").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > first
    assert token.last_used_at <= timezone.now()


def test_scim_answers_in_english_whatever_language_the_provider_asks_for(
    scim: Scim, org: Organisation
) -> None:
    """A machine protocol: a provider's Accept-Language or a language cookie changes no
    message (role names and core's service messages are translated for people, not for
    SCIM)."""
    lead = PersonFactory(organisation=org, role=Role.MANAGER)
    scim.client.cookies["django_language"] = "de"
    move = patch({"op": "replace", "path": "userName", "value": "elsewhere@example.com"})
    response = scim("PATCH", f"Users/{lead.pk}", move, HTTP_ACCEPT_LANGUAGE="de")
    error(response, 403, "mutability", "userName")
    assert "with the role Manager cannot be changed" in response.json()["detail"]
