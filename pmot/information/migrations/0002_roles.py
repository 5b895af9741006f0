"""Every role reads territorial units and documents; planners edit and import (roles.py)."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0001_initial"),
        # Run after the apps whose permissions the role table also lists.
        ("planning", "0002_sdgs_and_roles"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
