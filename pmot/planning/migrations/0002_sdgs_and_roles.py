"""The 2030 Agenda ships as data (pmot/planning/seeds.py); planners edit plans (roles.py)."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups
from pmot.planning.seeds import seed_sdgs


def load_sdgs(apps, schema_editor):
    seed_sdgs(apps.get_model("planning", "Plan"), apps.get_model("planning", "PlanElement"))


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("committees", "0004_minutes_permissions"),
    ]

    operations = [
        migrations.RunPython(load_sdgs, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
