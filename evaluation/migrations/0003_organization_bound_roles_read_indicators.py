"""Organization-bound roles (liaisons, the private sector) read every indicator, its targets,
measurements and evidence (DOMAIN.md §8: they change only their organization's records and
read the rest)."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_roles")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
