"""The roles' permissions on indicators, measurements, evaluations and recommendations."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
