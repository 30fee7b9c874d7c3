"""SCIM filters (RFC 7644 §3.4.2.2) into Django ``Q`` objects, the same on every database.

``scim2-filter-parser`` parses the filter and its Django transpiler builds the ``Q``; an
attribute missing from the resource's map is refused (the transpiler alone would drop it
and so widen the answer). The caller always ANDs the organisation into the query, so no
filter reaches another organisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler

from .protocol import ScimError, invalid

MAX_FILTER = 1000

AttrMap = Mapping[tuple[str, str | None, str | None], str]

USER_ATTRIBUTES: AttrMap = {
    ("userName", None, None): "email",
    ("externalId", None, None): "external_id",
    ("displayName", None, None): "name",
    ("name", "formatted", None): "name",
    ("emails", None, None): "email",
    ("emails", "value", None): "email",
    ("active", None, None): "active",
    ("title", None, None): "job_title",
}

GROUP_ATTRIBUTES: AttrMap = {
    ("displayName", None, None): "name",
    ("externalId", None, None): "external_id",
}


class _Strict(Transpiler):  # type: ignore[misc]  # scim2-filter-parser is untyped
    def visit_AttrPath(self, node: Any) -> Any:
        found = super().visit_AttrPath(node)
        if found is None:
            name = node.attr_name + (f".{node.sub_attr.value}" if node.sub_attr else "")
            raise invalid(f"filter: cannot filter on {name}", "invalidFilter")
        return found

    def visit_AttrExpr(self, node: Any) -> Any:  # the parser's visitor name
        if not isinstance(node.attr_path.attr_name, str):  # emails[type eq "work"]…
            return super().visit_AttrExpr(node)
        column = self.visit(node.attr_path)
        op = node.value.lower()
        if column in NOT_TEXT:
            value = getattr(node.comp_value, "value", None)
            if op != "pr" and (op not in ("eq", "ne") or value not in ("true", "false")):
                name = node.attr_path.attr_name
                raise invalid(f"filter: {name} takes eq or ne true or false", "invalidFilter")
        elif op == "pr":  # present: a text column holds "" when empty, which is not present
            return Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})
        return super().visit_AttrExpr(node)


NOT_TEXT = {"active"}


def to_q(text: str, attributes: AttrMap) -> Q:
    """The ``Q`` of a filter, or a 400 ``invalidFilter`` naming what is wrong."""
    if len(text) > MAX_FILTER:
        raise invalid(f"filter: is at most {MAX_FILTER} characters", "invalidFilter")
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
        query = _Strict(attributes).transpile(tree)
    except ScimError:
        raise
    except Exception as exc:  # the parser's errors have no common base: all are bad input
        raise invalid(f"filter: cannot be read ({exc})", "invalidFilter") from None
    if not isinstance(query, Q):
        raise invalid("filter: cannot be read", "invalidFilter")
    return query
