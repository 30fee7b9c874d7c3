"""The API's shared pieces (``ampwork.apitools``) and what every app's API promises: each
answer has a schema in the OpenAPI document, each body is a strict input model, and the
apps take ids, pages and error bodies from one place."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.db.models import QuerySet
from pydantic import BaseModel, ValidationError

import ampwork
from ampwork.api import api
from ampwork.apitools import (
    ERRORS,
    MAX_ID,
    Id,
    InSchema,
    Limit,
    MessageOut,
    Offset,
    parse_id,
    responses,
    window,
)
from ampwork.core.models import Organisation
from ampwork.okrs.schemas import ObjectiveFilter

SRC = Path(ampwork.__file__).parent


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def _refs(schema: dict[str, Any]) -> list[str]:
    """The component names an answer's schema points at (directly, in a list or a union)."""
    if "$ref" in schema:
        return [schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("type") == "array":
        return _refs(schema["items"])
    if "anyOf" in schema:
        return [name for option in schema["anyOf"] for name in _refs(option)]
    return []


def test_every_answer_has_a_named_schema() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    undocumented = []
    for method, path, operation in _operations():
        for status, answer in operation["responses"].items():
            if str(status) == "204":
                assert "content" not in answer, (method, path)
                continue
            schema = answer["content"]["application/json"]["schema"]
            names = _refs(schema)
            if not names or any("properties" not in components[n] for n in names):
                undocumented.append(f"{method} {path} {status}")
    assert undocumented == []


def test_every_answer_declares_the_error_bodies() -> None:
    for method, path, operation in _operations():
        assert {401, 403, 404, 422} <= {int(s) for s in operation["responses"]}, (method, path)


def test_every_body_is_a_strict_input_model() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    bodies = 0
    for method, path, operation in _operations():
        if "requestBody" not in operation:
            continue
        (name,) = _refs(operation["requestBody"]["content"]["application/json"]["schema"])
        assert components[name]["additionalProperties"] is False, (method, path, name)
        bodies += 1
    assert bodies > 40  # every write of every app


def _api_modules() -> list[Path]:
    return sorted(p for p in SRC.glob("*/api.py"))


@pytest.mark.parametrize("path", _api_modules(), ids=lambda p: p.parent.name)
def test_an_api_module_defines_no_schema_of_its_own(path: Path) -> None:
    """Models live in the app's schemas.py; api.py holds routes (and small helpers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    helpers = [
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name in {"_responses", "responses"}
    ]
    assert (classes, helpers) == ([], [])
    assert (path.parent / "schemas.py").is_file()


@pytest.mark.parametrize("path", _api_modules(), ids=lambda p: p.parent.name)
def test_no_handler_returns_a_hand_built_dict(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    returns_dict = [
        f"{path.parent.name}.{n.name}"
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef)
        and n.returns is not None
        and "dict[str, Any]" in ast.unparse(n.returns)
    ]
    assert returns_dict == []


# ---------------------------------------------------------------- apitools


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
        ("²", None),  # a digit to str.isdigit, not to int
        ("١", None),  # Arabic-Indic one: int() reads it, an id must not
        ("", None),
        (None, None),
        (7, None),
    ],
)
def test_parse_id_takes_only_a_positive_ascii_number_that_fits(
    raw: object, expected: int | None
) -> None:
    assert parse_id(raw) == expected


class _Ids(BaseModel):
    id: Id


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1])
def test_id_refuses_what_a_database_integer_cannot_hold(value: int) -> None:
    with pytest.raises(ValidationError) as caught:
        _Ids(id=value)
    assert caught.value.errors()[0]["loc"] == ("id",)
    assert _Ids(id=MAX_ID).id == MAX_ID


class _Page(BaseModel):
    limit: Limit = 50
    offset: Offset = 0


def test_limit_and_offset_are_bounded() -> None:
    assert _Page().limit == 50
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"offset": 10**12 + 1}):
        with pytest.raises(ValidationError):
            _Page(**bad)


def test_limit_and_offset_are_documented_as_pages_documents_them() -> None:
    limit = ObjectiveFilter.model_json_schema()["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 500, 50)


@pytest.mark.django_db
def test_window_slices_a_queryset_in_the_database() -> None:
    for i in range(5):
        Organisation.objects.create(name=f"O{i}", slug=f"o{i}")
    rows: QuerySet[Organisation] = Organisation.objects.order_by("slug")
    page = rows[window(_Page(limit=2, offset=1))]
    assert page.query.low_mark == 1
    assert page.query.high_mark == 3
    assert [o.slug for o in page] == ["o1", "o2"]


def test_responses_adds_the_error_bodies_and_any_other_status() -> None:
    assert responses(200, MessageOut) == {200: MessageOut, **ERRORS}
    assert responses(204, None)[204] is None
    assert responses(201, MessageOut, also={409: MessageOut})[409] is MessageOut
    assert set(ERRORS) == {400, 401, 403, 404, 422}


class _Body(InSchema):
    text: str


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "a\x00b"}, "text: text must not contain NUL bytes"),
        ({"text": "a", "extra": 1}, "Extra inputs are not permitted"),
        ("text", "the request body must be a JSON object"),
    ],
)
def test_an_input_model_refuses_nul_bytes_extra_fields_and_non_objects(
    data: Any, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _Body.model_validate(data)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("x" * 2000, True),  # exactly the documented maxLength
        (" " + "x" * 1999, True),  # padded, still 2,000 as sent
        ("x" * 2001, False),
        (" " * 60 + "x" * 1990, False),  # within the limit only once the spaces are stripped
    ],
)
def test_max_length_is_measured_on_the_text_as_sent(text: str, accepted: bool) -> None:
    from ampwork.purpose.schemas import StatementIn

    if accepted:
        assert StatementIn.model_validate({"text": text}).text == text.strip()
    else:
        with pytest.raises(ValidationError, match="text: at most 2000 characters"):
            StatementIn.model_validate({"text": text})


def test_a_moment_far_from_utc_arrives_in_utc() -> None:
    """ISO 8601 allows offsets up to ±23:59; PostgreSQL refuses past ±15:59 (schemathesis
    found a 500 with -18:12). Every moment is turned into UTC on the way in."""
    import datetime as dt

    from ampwork.apitools import Moment

    class Body(InSchema):
        at: Moment

    got = Body.model_validate({"at": "1983-03-26T11:38:51.69-18:12"}).at
    assert got.utcoffset() == dt.timedelta(0)
    assert got == dt.datetime(1983, 3, 27, 5, 50, 51, 690000, tzinfo=dt.UTC)
