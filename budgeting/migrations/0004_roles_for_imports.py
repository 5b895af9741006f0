"""The administrators' role holds every permission, the new import records' too."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("budgeting", "0003_poa_import")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
