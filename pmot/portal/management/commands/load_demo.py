from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from budgeting import demo as budgeting_demo
from committees import demo as committees_demo
from evaluation import demo as evaluation_demo
from phases import demo as phases_demo
from pmot.actors import demo as actors_demo
from pmot.core.history import acting_as
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo


class Command(BaseCommand):
    help = (
        "Load the demo data: fictional people on real catalogues, dated around today. Idempotent."
    )

    def handle(self, *args, **options):
        if not (settings.PMOT_DEMO_DATA or settings.DEBUG):
            # The demo accounts have a published password and the administrator's role.
            raise CommandError(
                "Los datos de demostración no se cargan en producción: sus cuentas tienen una "
                "contraseña pública. Use PMOT_DEMO_DATA=1 solo en un sitio de demostración."
            )
        # One day for every demo, so a load that runs past midnight still tells one story.
        today = timezone.localdate()
        with transaction.atomic(), acting_as(None):
            accounts = actors_demo.load(today)
            information_demo.load(today)
            committees_demo.load(upcoming=False, today=today)
            planning_demo.load(today)
            phases_demo.load(today)
            budgeting_demo.load(today)
            evaluation_demo.load(today=today)
            committees_demo.load_upcoming(today=today)
        self.stdout.write(self.style.SUCCESS("Datos de demostración cargados."))
        self.stdout.write("")
        self.stdout.write("Cuentas de demostración (una por rol):")
        width = max(len(label) for label, _, _ in accounts)
        self.stdout.write(f"  {'Rol'.ljust(width)}  {'Usuario'.ljust(12)}  Contraseña")
        for label, username, password in accounts:
            self.stdout.write(f"  {label.ljust(width)}  {username.ljust(12)}  {password}")
        self.stdout.write("")
        self.stdout.write("Abra http://127.0.0.1:8000/acceso/ e ingrese con cualquiera de ellas.")
