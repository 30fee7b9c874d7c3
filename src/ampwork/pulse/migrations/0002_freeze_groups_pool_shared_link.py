"""Frozen reporting groups, the sealed answer pool, a shared link's cap and code, and an
invitation that says it was used but not when.

Rounds opened before this migration get their reporting groups from the tree as it
stands now (the nearest there is to the tree they opened with); an unattributed round
gets the cap of its teams' members now, or of the answers it already has if more.
"""

import django.db.models.deletion
import uuid
from django.db import migrations, models


def mark_used(apps, schema_editor):
    Invitation = apps.get_model("surveys", "Invitation")
    Invitation.objects.filter(used_on__isnull=False).update(used=True)


def freeze_existing(apps, schema_editor):
    Round = apps.get_model("surveys", "Round")
    Team = apps.get_model("core", "Team")
    TeamMembership = apps.get_model("core", "TeamMembership")
    Response = apps.get_model("surveys", "Response")
    ReportingGroup = apps.get_model("surveys", "ReportingGroup")
    for pulse in Round.objects.exclude(status="draft"):
        ReportingGroup.objects.bulk_create(
            ReportingGroup(round=pulse, team_id=pk, parent_id=parent, name=name)
            for pk, parent, name in Team.objects.filter(
                organisation_id=pulse.organisation_id
            ).values_list("id", "parent_id", "name")
        )
        if pulse.mode == "unattributed" and pulse.audience_size is None:
            teams = list(pulse.teams.values_list("id", flat=True))
            members = (
                TeamMembership.objects.filter(team_id__in=teams, person__active=True)
                .values("person_id")
                .distinct()
                .count()
            )
            pulse.audience_size = max(members, Response.objects.filter(round=pulse).count(), 1)
            pulse.save(update_fields=["audience_size"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_person_job_family'),
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='invitation',
            name='used',
            field=models.BooleanField(default=False, help_text='Used — never when.'),
        ),
        migrations.RunPython(mark_used, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='invitation',
            name='used_on',
        ),
        migrations.AddField(
            model_name='round',
            name='audience_size',
            field=models.PositiveIntegerField(blank=True, help_text="A shared link's cap: how many people may answer (fixed when it opens).", null=True),
        ),
        migrations.AddField(
            model_name='round',
            name='class_code',
            field=models.CharField(blank=True, help_text="A shared link's optional code, said in class.", max_length=40),
        ),
        migrations.AlterField(
            model_name='invitation',
            name='group',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="Reporting group at opening (the team's id, kept if the team goes).", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.team'),
        ),
        migrations.AlterField(
            model_name='response',
            name='group',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.team'),
        ),
        migrations.CreateModel(
            name='PooledAnswer',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('sealed', models.TextField()),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pooled', to='surveys.round')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='ReportingGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('recent_changes', models.PositiveIntegerField(default=0, help_text='Changes to its people or teams in the days before opening.')),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.team')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='surveys.round')),
                ('team', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.team')),
            ],
            options={
                'ordering': ['round_id', 'team_id'],
                'constraints': [models.UniqueConstraint(fields=('round', 'team'), name='one_group_per_team')],
            },
        ),
        migrations.RunPython(freeze_existing, migrations.RunPython.noop),
    ]
