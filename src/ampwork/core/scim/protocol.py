"""The SCIM wire format: errors (RFC 7644 §3.12), JSON responses, list envelopes, paging."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_TYPE = "application/scim+json"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MAX_COUNT = 200  # the most resources one page holds (ServiceProviderConfig's maxResults)
MAX_BODY = 1_000_000  # bytes: a request body above it is refused
MAX_START = 2**31  # a startIndex beyond it is past any page: an empty one, without a query


class ScimError(Exception):
    """An answer in SCIM's error format: HTTP status, ``scimType`` and a detail that names
    the attribute."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def response(self) -> HttpResponse:
        body: dict[str, Any] = {"schemas": [ERROR], "status": str(self.status)}
        if self.scim_type:
            body["scimType"] = self.scim_type
        body["detail"] = self.detail
        response = respond(body, status=self.status)
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="ampwork SCIM"'
        return response


def invalid(detail: str, scim_type: str = "invalidValue") -> ScimError:
    return ScimError(400, detail, scim_type)


def respond(body: Any, status: int = 200, location: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), content_type=CONTENT_TYPE, status=status)
    if location:
        response["Location"] = location
    return response


def base_url() -> str:
    """Where the identity provider finds this service: ``AMPWORK_BASE_URL`` + ``/scim/v2``."""
    return f"{settings.BASE_URL}/scim/v2"


def read_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or a 400 ``invalidSyntax`` naming what is wrong."""
    if len(request.body) > MAX_BODY:
        raise ScimError(413, f"the request body is larger than {MAX_BODY} bytes")
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid(f"the body is not JSON: {exc}", "invalidSyntax") from None
    except RecursionError:
        raise invalid("the body is not JSON: nested too deeply", "invalidSyntax") from None
    if not isinstance(body, dict):
        raise invalid("the body must be a JSON object", "invalidSyntax")
    where = _nul_at(body)
    if where is not None:
        raise invalid(f"{where or 'body'}: NUL characters are not allowed")
    return body


def _nul_at(value: Any, path: str = "") -> str | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_at(key, path) if isinstance(key, str) and "\x00" in key else None
            found = found if found is not None else _nul_at(item, f"{path}.{key}".strip("."))
            if found is not None:
                return found
    if isinstance(value, list):
        for item in value:
            found = _nul_at(item, path)
            if found is not None:
                return found
    return None


def page(request: HttpRequest) -> tuple[int, int]:
    """``startIndex`` (1-based; below 1 is 1) and ``count`` (below 0 is 0, at most
    ``MAX_COUNT``), as RFC 7644 §3.4.2.4 reads them; a start beyond ``MAX_START`` gives
    a count of 0 (an empty page, never a query with an offset the database refuses)."""
    out = []
    for name, default in (("startIndex", 1), ("count", MAX_COUNT)):
        raw = request.GET.get(name)
        if raw is None or raw == "":
            out.append(default)
            continue
        try:
            out.append(int(raw))
        except ValueError:
            raise invalid(f"{name}: must be an integer, not {raw[:40]!r}") from None
    start, count = out
    if start > MAX_START:
        return start, 0
    return max(start, 1), min(max(count, 0), MAX_COUNT)


def list_response(resources: list[dict[str, Any]], total: int, start: int) -> HttpResponse:
    return respond(
        {
            "schemas": [LIST],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


def operations(body: dict[str, Any]) -> list[tuple[str, str | None, Any]]:
    """A PATCH body's operations as (op in lower case, path or None, value), checked."""
    schemas = body.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or PATCH_OP not in schemas):
        raise invalid(f"schemas: must list {PATCH_OP}", "invalidSyntax")
    ops = body.get("Operations", body.get("operations"))
    if not isinstance(ops, list) or not ops:
        raise invalid("Operations: a PATCH needs a list of operations", "invalidSyntax")
    out = []
    for n, item in enumerate(ops):
        if not isinstance(item, dict):
            raise invalid(f"Operations[{n}]: must be an object", "invalidSyntax")
        op = item.get("op")
        if not isinstance(op, str) or op.lower() not in ("add", "remove", "replace"):
            raise invalid(f"Operations[{n}].op: must be add, remove or replace", "invalidSyntax")
        path = item.get("path")
        if path is not None and (not isinstance(path, str) or not path.strip()):
            raise invalid(f"Operations[{n}].path: must be a non-empty string", "invalidPath")
        if op.lower() == "remove" and path is None:
            raise invalid(f"Operations[{n}].path: remove needs a path", "noTarget")
        if op.lower() != "remove" and "value" not in item:
            raise invalid(f"Operations[{n}].value: {op.lower()} needs a value", "invalidSyntax")
        out.append((op.lower(), path.strip() if path else None, item.get("value")))
    return out


def text(value: Any, attribute: str, limit: int) -> str:
    """A string attribute's value, or a 400 naming it."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid(f"{attribute}: must be a string")
    stripped: str = value.strip()
    if len(stripped) > limit:
        raise invalid(f"{attribute}: is at most {limit} characters")
    return stripped


def boolean(value: Any, attribute: str) -> bool:
    """A boolean attribute; the strings "true"/"false" too (Entra ID has sent them)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid(f"{attribute}: must be true or false")


def resource_id(value: Any, attribute: str) -> int | None:
    """An ampwork id as SCIM sends it (a string of digits), or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    digits = value.strip() if isinstance(value, str) else ""
    # isascii too: "²".isdigit() is True and int("²") fails (any Unicode digit: not an id)
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:
        number = int(digits)
        return number or None
    return None
