"""`manage.py restore DIR`: a backup into an empty database and media (cms/ops/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from cms.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this site's database and media "
        "storage. Both must be empty unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="The backup's directory.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the database's content and overwrite media files of the same names.",
        )
        parser.add_argument("--database", default="default", help="Database alias (default).")

    def handle(self, *args, directory, replace, database, **options):
        try:
            summary = restore_backup(
                directory, replace=replace, progress=self.stdout.write, using=database
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.objects} objects and {summary.media_files} media files "
                f"from {directory} in {summary.seconds:.1f} s."
            )
        )
