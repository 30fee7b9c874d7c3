"""Export organisations to one JSON document, and restore such a document exactly.

Every app registers the models it owns with :func:`register` (in its ``AppConfig.ready``),
in dependency order, with a function that scopes the model to a set of organisations.
The document is deterministic (ordered by model, then primary key, with no timestamp of
its own) so that export → import into an empty database → export gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction

from .errors import FieldError, ValidationFailed

FORMAT = "ampwork-export"
VERSION = 1

Scope = Callable[[list[int]], "models.QuerySet[Any]"]
_REGISTRY: list[tuple[type[models.Model], Scope]] = []


def register(model: type[models.Model], scope: Scope) -> None:
    """Add a model to backups; ``scope(org_ids)`` returns its rows for those organisations."""
    if all(existing is not model for existing, _ in _REGISTRY):
        _REGISTRY.append((model, scope))


def registered() -> list[type[models.Model]]:
    return [model for model, _ in _REGISTRY]


def export(org_ids: Iterable[int], slugs: Iterable[str]) -> dict[str, Any]:
    ids = sorted(org_ids)
    objects: list[dict[str, Any]] = []
    for _model, scope in _REGISTRY:
        rows = scope(ids).order_by("pk").distinct()
        objects.extend(serializers.serialize("python", rows.iterator(chunk_size=2000)))
    for obj in objects:
        # python serializer leaves dates as objects; make them JSON-ready and stable.
        obj["fields"] = {k: _jsonable(v) for k, v in obj["fields"].items()}
    return {
        "format": FORMAT,
        "version": VERSION,
        "organisations": sorted(slugs),
        "objects": objects,
    }


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact; the deserializer reads it back as a Decimal
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@transaction.atomic
def restore(document: Any, source: str = "export.json") -> int:
    """Restore a document into a database that holds none of its objects. All or nothing."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationFailed([FieldError("format", f"is not an {FORMAT} document")], source)
    if document.get("version") != VERSION:
        raise ValidationFailed(
            [
                FieldError(
                    "version",
                    f"{document.get('version')!r} is not supported "
                    f"(this ampwork reads version {VERSION})",
                )
            ],
            source,
        )
    objects = document.get("objects")
    if not isinstance(objects, list):
        raise ValidationFailed([FieldError("objects", "must be a list")], source)
    known = {m._meta.label_lower: m for m in registered()}
    errors: list[FieldError] = []
    for index, obj in enumerate(objects):
        label = obj.get("model") if isinstance(obj, dict) else None
        if label not in known:
            errors.append(FieldError(f"objects[{index}].model", f"unknown model {label!r}"))
        elif known[label]._default_manager.filter(pk=obj.get("pk")).exists():
            errors.append(
                FieldError(
                    f"objects[{index}]",
                    f"{label} #{obj.get('pk')} already exists: restore into an empty database",
                )
            )
        if len(errors) >= 20:
            break
    if errors:
        raise ValidationFailed(errors, source)
    try:
        with connection.constraint_checks_disabled():
            for item in serializers.deserialize("python", objects, ignorenonexistent=False):
                item.save()
        connection.check_constraints()
    except ValidationFailed:
        raise
    except Exception as exc:  # a broken document: report it, write nothing
        raise ValidationFailed(
            [FieldError("objects", f"cannot be restored: {exc}")], source
        ) from None
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), registered()):
            cursor.execute(sql)
    return len(objects)
