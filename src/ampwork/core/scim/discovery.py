"""What the service supports (RFC 7643 §5–7): ServiceProviderConfig, ResourceTypes,
Schemas — only the attributes ampwork keeps."""

from __future__ import annotations

from typing import Any

from .protocol import ENTERPRISE, GROUP, MAX_COUNT, USER, base_url

SPC = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def service_provider_config() -> dict[str, Any]:
    return {
        "schemas": [SPC],
        "documentationUri": "https://github.com/ampwork/ampwork/blob/main/docs/operations.md",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The organisation's SCIM token (Settings → Provisioning).",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url()}/ServiceProviderConfig",
        },
    }


def resource_types() -> dict[str, dict[str, Any]]:
    return {
        "User": {
            "schemas": [RESOURCE_TYPE],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A person of the organisation",
            "schema": USER,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
            "meta": {
                "resourceType": "ResourceType",
                "location": f"{base_url()}/ResourceTypes/User",
            },
        },
        "Group": {
            "schemas": [RESOURCE_TYPE],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A team of the organisation",
            "schema": GROUP,
            "meta": {
                "resourceType": "ResourceType",
                "location": f"{base_url()}/ResourceTypes/Group",
            },
        },
    }


def _attr(
    name: str,
    kind: str = "string",
    *,
    required: bool = False,
    unique: str = "none",
    mutability: str = "readWrite",
    multi: bool = False,
    sub: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": unique,
    }
    if sub is not None:
        out["subAttributes"] = sub
    return out


def schemas() -> dict[str, dict[str, Any]]:
    user = [
        _attr("userName", required=True, unique="server"),
        _attr("name", "complex", sub=[_attr("formatted"), _attr("givenName"), _attr("familyName")]),
        _attr("displayName"),
        _attr("title"),
        _attr("active", "boolean"),
        _attr("externalId"),
        _attr(
            "emails",
            "complex",
            multi=True,
            sub=[_attr("value"), _attr("type"), _attr("primary", "boolean")],
        ),
        _attr(
            "groups",
            "complex",
            multi=True,
            mutability="readOnly",
            sub=[_attr("value"), _attr("display")],
        ),
    ]
    group = [
        _attr("displayName", required=True, unique="server"),
        _attr("externalId"),
        _attr("members", "complex", multi=True, sub=[_attr("value"), _attr("display")]),
    ]
    enterprise = [
        _attr(
            "manager", "complex", sub=[_attr("value"), _attr("displayName", mutability="readOnly")]
        )
    ]
    out = {}
    for uri, name, attributes in (
        (USER, "User", user),
        (GROUP, "Group", group),
        (ENTERPRISE, "EnterpriseUser", enterprise),
    ):
        out[uri] = {
            "schemas": [SCHEMA],
            "id": uri,
            "name": name,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": f"{base_url()}/Schemas/{uri}"},
        }
    return out
