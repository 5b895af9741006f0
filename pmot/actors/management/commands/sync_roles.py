from django.apps import apps
from django.core.management.base import BaseCommand

from pmot.actors.roles import sync_role_groups


class Command(BaseCommand):
    help = "Give each role's group exactly the permissions listed in pmot/actors/roles.py."

    def handle(self, *args, **options):
        sync_role_groups(apps)
        self.stdout.write(self.style.SUCCESS("Roles synchronized."))
