"""The administrator's "every permission" now covers the security log too."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("actors", "0004_access_event")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
