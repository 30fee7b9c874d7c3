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

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from .errors import FieldError, ValidationFailed

FORMAT = "ampwork-export"
VERSION = 1

Scope = Callable[[list[int]], "models.QuerySet[Any]"]
_REGISTRY: list[tuple[type[models.Model], Scope]] = []


def register(model: type[models.Model], scope: Scope) -> None:
    """Add a model to backups; ``scope(org_ids)`` returns its rows for those organisations."""
    if all(existing is not model for existing, _scope in _REGISTRY):
        _REGISTRY.append((model, scope))


def widen(model: type[models.Model], more: Scope) -> None:
    """Add rows to a registered model's scope (classroom: the sign-ins of guardians, who
    are not people of the organisation but whose rows point to their accounts)."""
    for i, (existing, scope) in enumerate(_REGISTRY):
        if existing is model:

            def combined(ids: list[int], a: Scope = scope) -> models.QuerySet[Any]:
                return a(ids) | more(ids)

            _REGISTRY[i] = (model, combined)


def organisation_scoped(model: type[models.Model]) -> Scope:
    """The usual scope: the rows of ``model`` whose ``organisation`` is one of those given."""
    return lambda ids: model._default_manager.filter(organisation_id__in=ids)


def registered() -> list[type[models.Model]]:
    return [model for model, _scope in _REGISTRY]


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
def restore(
    document: Any, source: str = "export.json", *, allow_outside_users: bool = False
) -> int:
    """Restore a document into a database that holds none of its objects. All or nothing.

    A document may only refer to what it holds: a row that points at an organisation, a
    team, a person (or anything else) outside the document is refused, so a crafted file
    cannot add people to an organisation already in the database. Links to existing
    accounts (users outside the document) are refused too unless ``allow_outside_users``
    (``ampwork import --allow-outside-users``) says they are meant.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationFailed(
            [FieldError("format", _("is not an %(format)s document") % {"format": FORMAT})], source
        )
    if document.get("version") != VERSION:
        raise ValidationFailed(
            [
                FieldError(
                    "version",
                    _("%(version)s is not supported (this ampwork reads version %(known)s)")
                    % {"version": repr(document.get("version")), "known": VERSION},
                )
            ],
            source,
        )
    objects = document.get("objects")
    if not isinstance(objects, list):
        raise ValidationFailed([FieldError("objects", _("must be a list"))], source)
    known = {m._meta.label_lower: m for m in registered()}
    errors: list[FieldError] = []
    for index, obj in enumerate(objects):
        label = obj.get("model") if isinstance(obj, dict) else None
        if label not in known:
            errors.append(
                FieldError(
                    f"objects[{index}].model", _("unknown model %(label)s") % {"label": repr(label)}
                )
            )
        elif _pk(known[label], obj.get("pk")) is None:
            # without its id the deserializer would find an existing row by its natural key
            # (an account by email) and overwrite it
            errors.append(
                FieldError(
                    f"objects[{index}].pk",
                    _("%(label)s: a valid id is required") % {"label": label},
                )
            )
        elif known[label]._default_manager.filter(pk=obj.get("pk")).exists():
            errors.append(
                FieldError(
                    f"objects[{index}]",
                    _("%(label)s #%(pk)s already exists: restore into an empty database")
                    % {"label": label, "pk": obj.get("pk")},
                )
            )
        if len(errors) >= 20:
            break
    if errors:
        raise ValidationFailed(errors, source)
    errors = _outside_references(objects, known, allow_outside_users=allow_outside_users)
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
            [FieldError("objects", _("cannot be restored: %(problem)s") % {"problem": exc})],
            source,
        ) from None
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), registered()):
            cursor.execute(sql)
    return len(objects)


def _pk(model: type[models.Model], value: Any) -> Any:
    """``value`` as ``model``'s primary key, or None if it is missing or not one."""
    if value is None or isinstance(value, list | dict | bool):
        return None
    try:
        return model._meta.pk.to_python(value)
    except (DjangoValidationError, TypeError, ValueError):
        return None


def _outside_references(
    objects: list[dict[str, Any]],
    known: dict[str, type[models.Model]],
    *,
    allow_outside_users: bool,
) -> list[FieldError]:
    """Every reference in the document that points outside it, named by record and field."""
    user_model = get_user_model()
    held: dict[str, set[Any]] = {}
    for obj in objects:
        model = known[obj["model"]]
        held.setdefault(model._meta.label_lower, set()).add(_pk(model, obj["pk"]))
    errors: list[FieldError] = []
    existing: dict[tuple[str, Any], bool] = {}
    for index, obj in enumerate(objects):
        model = known[obj["model"]]
        fields = obj.get("fields")
        if not isinstance(fields, dict):
            continue
        record = f"{obj['model']} #{obj['pk']}"
        for field in model._meta.get_fields():
            forward = field.concrete or (field.many_to_many and not field.auto_created)
            if not (field.is_relation and forward) or field.name not in fields:
                continue
            target = field.related_model
            assert target is not None
            assert not isinstance(target, str)
            raw = fields[field.name]
            values = raw if field.many_to_many else [raw]
            if field.many_to_many and not isinstance(raw, list):
                values = [raw]
            for value in values:
                if value is None and not field.many_to_many:
                    continue
                pk = _pk(target, value)
                label = target._meta.label_lower
                where = f"objects[{index}].{field.name}"
                if pk is None:
                    errors.append(
                        FieldError(
                            where,
                            _("%(record)s: %(value)s is not an id of a %(label)s")
                            % {"record": record, "value": repr(value), "label": label},
                        )
                    )
                elif pk in held.get(label, set()):
                    continue
                elif not getattr(field, "db_constraint", True) and not _exists(
                    existing, target, pk
                ):
                    # an id kept on purpose after its row was deleted (a pulse keeps the
                    # teams it was opened with): it refers to nothing, inside or outside
                    continue
                elif target is user_model:
                    if allow_outside_users and target._default_manager.filter(pk=pk).exists():
                        continue
                    errors.append(
                        FieldError(
                            where,
                            _(
                                "%(record)s links to account %(label)s #%(pk)s, which is not in "
                                "this export; restore it only if that is meant, with "
                                "--allow-outside-users"
                            )
                            % {"record": record, "label": label, "pk": pk},
                        )
                    )
                else:
                    errors.append(
                        FieldError(
                            where,
                            _(
                                "%(record)s points to %(label)s #%(pk)s, which is not in this "
                                "export: a restore may only refer to what it restores"
                            )
                            % {"record": record, "label": label, "pk": pk},
                        )
                    )
                if len(errors) >= 20:
                    return errors
    return errors


def _exists(cache: dict[tuple[str, Any], bool], model: type[models.Model], pk: Any) -> bool:
    key = (model._meta.label_lower, pk)
    if key not in cache:
        cache[key] = model._default_manager.filter(pk=pk).exists()
    return cache[key]
