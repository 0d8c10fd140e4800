"""`manage.py wordpress_sample_export out.xml --posts 10000`: a generated export for
measuring `import_wordpress` (README "Moving from WordPress")."""

import os

from django.core.management.base import BaseCommand

from ...sample import write_sample_export


class Command(BaseCommand):
    help = "Write a generated WordPress export (WXR) of N posts, to measure the import."

    def add_arguments(self, parser):
        parser.add_argument("output", help="The file to write.")
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument(
            "--paragraphs", type=int, default=20, help="Paragraphs per post (about 500 bytes each)."
        )

    def handle(self, *args, **options):
        with open(options["output"], "w", encoding="utf-8") as handle:
            write_sample_export(handle, options["posts"], options["paragraphs"])
        size = os.path.getsize(options["output"]) / (1024 * 1024)
        self.stdout.write(f"Wrote {options['posts']} posts to {options['output']} ({size:.1f} MB).")
