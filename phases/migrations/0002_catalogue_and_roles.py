"""The catalogue of deliverables ships as data (phases/seeds.py); roles get phases' perms."""

from django.db import migrations

from phases.seeds import seed_deliverable_types
from pmot.actors.roles import sync_role_groups


def forwards(apps, schema_editor):
    seed_deliverable_types(apps.get_model("phases", "DeliverableType"))
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0001_initial"),
        # Runs after the other apps' role migrations, so the groups end with every permission.
        ("planning", "0003_program_publication"),
        ("information", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
