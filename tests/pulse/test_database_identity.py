"""The pulse app is ``ampwork.pulse`` but keeps the label ``surveys`` it was created with:
its tables, its migration history and the model labels in backup files are what existing
databases and exports hold (docs/architecture.md, "Names")."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from ampwork.core import backup
from ampwork.core.models import Organisation, Team, User
from ampwork.core.permissions import Actor
from ampwork.pulse import services
from ampwork.pulse.models import Invitation, Question, ReportingGroup, Response, Round

from ..factories import MembershipFactory, PersonFactory, TeamFactory

TABLES = {
    "surveys_round",
    "surveys_round_teams",
    "surveys_question",
    "surveys_invitation",
    "surveys_response",
    "surveys_pooledanswer",
    "surveys_reportinggroup",
}


def test_the_app_keeps_its_label_tables_and_migration_history(db: Any) -> None:
    config = apps.get_app_config("surveys")
    assert config.name == "ampwork.pulse"
    models = list(config.get_models())
    assert {m._meta.label for m in models} == {
        "surveys.Round",
        "surveys.Question",
        "surveys.Invitation",
        "surveys.Response",
        "surveys.PooledAnswer",
        "surveys.ReportingGroup",
    }
    through = Round.teams.through
    tables = {m._meta.db_table for m in models} | {through._meta.db_table}
    assert tables == TABLES
    assert set(connection.introspection.table_names()) >= TABLES
    applied = {
        name for app, name in MigrationRecorder(connection).applied_migrations() if app == "surveys"
    }
    assert {"0001_initial", "0002_freeze_groups_pool_shared_link"} <= applied
    assert "pulse" not in {app for app, _ in MigrationRecorder(connection).applied_migrations()}


def test_backups_name_the_models_as_before_and_restore(
    org: Organisation, admin_actor: Actor
) -> None:
    """An export names the models ``surveys.*`` as exports made before the rename did, and
    such a document restores every row."""
    team = TeamFactory(organisation=org, name="Core")
    for _ in range(5):
        MembershipFactory(team=team, person=PersonFactory(organisation=org))
    today = timezone.localdate()
    round = services.create_round(
        actor=admin_actor,
        name="Pulse",
        opens=today,
        closes=today + dt.timedelta(days=7),
        questions=[("Our own question", False)],
    )
    services.open_round(actor=admin_actor, round=round, send=False)
    for invitation in Invitation.objects.filter(round=round):
        services.answer(round=round, invitation=invitation, answers={"mast1": 4}, enps=7)
    services.close_round(actor=admin_actor, round=round)
    document = json.loads(json.dumps(backup.export([org.pk], [org.slug]), default=str))
    labels = {o["model"] for o in document["objects"]}
    assert {label for label in labels if label.startswith("surveys.")} == {
        "surveys.round",
        "surveys.question",
        "surveys.invitation",
        "surveys.response",
        "surveys.reportinggroup",
    }
    assert not {label for label in labels if label.startswith("pulse.")}
    kinds = (Round, Question, Invitation, Response, ReportingGroup)
    counts = {m: m.objects.count() for m in kinds}
    assert counts[Response] == 6
    for o in Organisation.objects.all():
        while Team.objects.filter(organisation=o).exists():
            Team.objects.filter(organisation=o, children__isnull=True).delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()
    assert not Round.objects.exists()
    backup.restore(document)
    assert {m: m.objects.count() for m in kinds} == counts
    restored = Round.objects.get(pk=round.pk)
    assert (restored.name, restored.status) == ("Pulse", Round.Status.CLOSED)
    assert [r.answers for r in Response.objects.filter(round=restored)] == [{"mast1": 4}] * 6
