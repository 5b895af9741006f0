"""The administrator's "every permission" now covers the two-factor devices too (the admin
shows none of them; it resets them)."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0006_access_event_second_step"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
