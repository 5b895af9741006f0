from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pmot.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the uploaded files into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "backups",
            help="Folder for the archive (default: backups/).",
        )

    def handle(self, *args, output, **options):
        try:
            archive = create_backup(output_dir=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(_("Backup written: %(path)s") % {"path": archive}))
