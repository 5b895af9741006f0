"""One group per role with the permissions of pmot/actors/roles.py. Later apps that add
permissions call the same function from a data migration of their own."""

from django.db import migrations

from pmot.actors.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0001_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # So that the administrator's "every permission" covers these apps too.
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
