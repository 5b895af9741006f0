"""The permission table of roles.py is what the groups hold."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from pmot.actors.roles import ROLE_PERMISSIONS, Role, sync_role_groups


def test_every_permission_named_in_the_role_table_exists(db):
    for role, names in ROLE_PERMISSIONS.items():
        for name in names:
            if name == "*":
                continue
            app_label, codename = name.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), f"{role}: {name} does not exist"


def test_groups_hold_exactly_the_permissions_of_the_table(db):
    for role, names in ROLE_PERMISSIONS.items():
        held = {
            f"{app}.{codename}"
            for app, codename in Group.objects.get(name=role.value).permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        if names == ["*"]:
            assert len(held) == Permission.objects.count()
        else:
            assert held == set(names)


def test_sync_restores_a_permission_removed_by_hand(db):
    group = Group.objects.get(name=Role.IMPLAN_PLANNER.value)
    group.permissions.clear()
    sync_role_groups(apps)
    assert group.permissions.filter(codename="add_organization").exists()


def test_only_the_administrator_manages_memberships_and_settings(db):
    for role in Role:
        perms = Group.objects.get(name=role.value).permissions
        may_manage = perms.filter(codename__in=["add_membership", "change_municipality"]).exists()
        assert may_manage == (role == Role.IMPLAN_ADMIN), role
