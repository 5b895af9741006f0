from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("committees", "0003_minutes")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
