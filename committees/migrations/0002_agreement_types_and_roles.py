"""The majority table (committees/seeds.py) and the permissions of committees for each role
(pmot/actors/roles.py)."""

from django.db import migrations

from committees.seeds import seed_agreement_types
from pmot.actors.roles import sync_role_groups


def seed_types(apps, schema_editor):
    seed_agreement_types(apps.get_model("committees", "AgreementType"))


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0001_initial"),
        ("actors", "0003_membership_cancelled"),
    ]

    operations = [
        migrations.RunPython(seed_types, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
