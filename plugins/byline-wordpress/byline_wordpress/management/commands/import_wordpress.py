"""`manage.py import_wordpress export.xml`: WordPress moves in (README "Moving from WordPress")."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from ...importer import SectionMapError, WordPressImporter, peak_memory_mb, read_section_map
from ...wxr import ExportError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR, Tools > Export > All content): posts and pages as "
        "articles, users as authors, attachments as images, comments, pingbacks and the "
        "old addresses as redirects. Running it again updates what it imported before."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            help="A copy of the site's uploads (wp-content/uploads, or the folder above it); "
            "attachments are matched by their URL's path. Without it no images are imported.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and report what would happen; write nothing.",
        )
        parser.add_argument(
            "--section-map",
            help="A file of “wordpress-category = section-slug” lines (“@pages = about” for "
            "pages, “* = news” for posts without a category).",
        )

    def handle(self, *args, **options):
        path = options["export"]
        if not os.path.isfile(path):
            raise CommandError(f"{path}: no such file. Export it from WordPress (Tools > Export).")
        media_dir = options.get("media_dir")
        if media_dir and not os.path.isdir(media_dir):
            raise CommandError(f"--media-dir {media_dir}: no such directory.")
        section_map = {}
        if options.get("section_map"):
            try:
                section_map = read_section_map(options["section_map"])
            except (OSError, UnicodeDecodeError, SectionMapError) as exc:
                raise CommandError(f"--section-map: {exc}") from exc

        verbosity = options.get("verbosity", 1)
        write = self.stdout.write if verbosity >= 1 else None
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing will be written.")
        importer = WordPressImporter(
            path,
            media_dir=media_dir,
            dry_run=options["dry_run"],
            section_map=section_map,
            write=write,
        )
        started = time.monotonic()
        fatal = None
        try:
            report = importer.run()
        except ExportError as exc:
            report, fatal = importer.report, exc
        self.stdout.write("")
        self.stdout.write(
            "Dry run summary (nothing was written):" if options["dry_run"] else "Summary:"
        )
        for line in report.summary_lines():
            self.stdout.write("  " + line)
        self.stdout.write(
            f"  {time.monotonic() - started:.1f} s, peak memory {peak_memory_mb():.0f} MB"
        )
        if fatal is not None:
            raise CommandError(f"{path}: {fatal}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} item(s) could not be imported (named above); the rest "
                "was. Fix them and run the import again: it updates in place."
            )
        self.stdout.write(self.style.SUCCESS("Import finished."))
