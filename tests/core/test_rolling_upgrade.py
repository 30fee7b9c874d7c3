"""During an upgrade the previous release inserts rows without the columns this one added.

`ampwork migrate` runs before the app servers restart (docs/operations.md, "Upgrades
without downtime"), so for a while the previous release's code writes to the migrated
tables, leaving out every column it does not know. Each NOT NULL column added since needs
a database default for those inserts to work; here an INSERT that leaves them out stands
in for the previous release (scripts/migration-check.sh runs the real one).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models

from ampwork.demo.services import DemoResult

# model, then the NOT NULL columns a previous release does not know, with their defaults
ADDED_LATER: dict[str, dict[str, object]] = {
    "okrs.Objective": {
        "progress": 0.0,
        "progress_exact": "0",
        "judged_exact": "",
        "score_exact": "",
    },
    "okrs.KeyResult": {"progress": 0.0, "progress_exact": "0", "graded": 0.0},
    "fairness.CompensationRecord": {"complementary_pay": 0.0},
    "surveys.Round": {"class_code": "", "shared_token_sealed": ""},
    "surveys.Invitation": {"used": False},
    "surveys.Response": {"language_sealed": ""},
    "core.Organisation": {"default_language": "en-gb"},
    "core.Person": {"language": ""},
    "notifications.Notification": {"message": "", "params": {}},
}


@pytest.mark.parametrize("label", sorted(ADDED_LATER))
def test_an_insert_without_the_new_columns_gets_their_database_defaults(
    demo: DemoResult, label: str
) -> None:
    model: Any = apps.get_model(label)
    added = ADDED_LATER[label]
    fields = {f.name: f for f in model._meta.concrete_fields}
    assert all(not fields[name].null for name in added)  # NOT NULL: the hard case
    pk_field = model._meta.pk
    # a random id is made by the code, not the database: the previous release sends one too
    code_made_pk = isinstance(pk_field, models.UUIDField)
    known = [
        f.column
        for f in fields.values()
        if (code_made_pk or not f.primary_key) and f.name not in added
    ]
    source = model.objects.order_by("pk").first()
    assert source is not None, f"the demo has no {label}"
    changed = _unique_parts(label, source)
    if code_made_pk:
        changed[pk_field.column] = pk_field.get_db_prep_value(uuid.uuid4(), connection)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in known)
    values = ", ".join("%s" if c in changed else connection.ops.quote_name(c) for c in known)
    params = [changed[c] for c in known if c in changed]
    pk = connection.ops.quote_name(model._meta.pk.column)
    before = model.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} WHERE {pk} = %s",
            [*params, pk_field.get_db_prep_value(source.pk, connection)],
        )
    assert model.objects.count() == before + 1
    copy = (
        model.objects.get(pk=changed[pk_field.column])
        if code_made_pk
        else model.objects.order_by("-pk").first()
    )
    assert copy.pk != source.pk
    for name, value in added.items():
        assert getattr(copy, name) == value, name


def _unique_parts(label: str, source: Any) -> dict[str, Any]:
    """Columns the copy must change to keep the table's unique rules."""
    if label == "core.Organisation":
        return {"slug": f"copy-{source.slug}"[:60]}
    if label == "core.Person":
        return {"email": f"copy-{source.email}", "user_id": None}
    if label != "surveys.Invitation":
        return {}
    invitation = apps.get_model("surveys", "Invitation")
    taken = invitation.objects.filter(person_id=source.person_id).values("round_id")
    other = apps.get_model("surveys", "Round").objects.exclude(pk__in=taken).first()
    assert other is not None
    return {"digest": f"copy-{source.digest}"[:64], "round_id": other.pk}
