"""`manage.py backup --output DIR`: content and media in one directory (cms/ops/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from cms.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the content (a database dump that loads into SQLite or PostgreSQL) and "
        "every media file (local disk or S3 bucket) into a new directory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, metavar="DIR", help="A new or empty directory."
        )
        parser.add_argument("--database", default="default", help="Database alias (default).")

    def handle(self, *args, output, database, **options):
        try:
            summary = create_backup(output, progress=self.stdout.write, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.objects} objects and {summary.media_files} media files "
                f"({summary.media_bytes / 1024**2:.1f} MB) to {output} in {summary.seconds:.1f} s. "
                f"Restore with `manage.py restore {output}`."
            )
        )
