from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pmot.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data is replaced."
        )

    def handle(self, *args, archive, yes, **options):
        if not yes:
            raise CommandError(
                _(
                    "Restoring replaces ALL the current data (database and uploaded files) with "
                    "the backup's. Stop the server and the workers, then run again with --yes."
                )
            )
        try:
            report = restore_backup(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored and verified: %(tables)d tables, %(rows)d rows and %(files)d files "
                    "match the backup."
                )
                % {"tables": report.tables, "rows": report.rows, "files": report.files}
            )
        )
        if report.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _("The backup predates %(count)d migrations: run `manage.py migrate` now.")
                    % {"count": len(report.pending_migrations)}
                )
            )
