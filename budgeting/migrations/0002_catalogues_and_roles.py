"""CONAC's classifiers and the funding sources ship as data (budgeting/seeds.py); roles get the
budgeting permissions."""

from django.db import migrations

from budgeting.seeds import seed_catalogues
from pmot.actors.roles import sync_role_groups


def forwards(apps, schema_editor):
    seed_catalogues(
        apps.get_model("budgeting", "FundingSource"),
        apps.get_model("budgeting", "ExpenseItem"),
        apps.get_model("budgeting", "FunctionalClass"),
        apps.get_model("budgeting", "ProgramModality"),
    )
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0001_initial"),
        # After the other apps' role migrations, so the groups end with every permission.
        ("phases", "0002_catalogue_and_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
