"""`manage.py load_demo_content`: the Byline Courier demo site, and filler for scale work."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections, router
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page, Site

from home.models import HomePage
from news.demo.builder import DemoSiteBuilder
from news.demo.bulk import SectionFull
from news.demo.library import demo_collection
from news.demo.renditions import pregenerate, rendition_plan
from news.demo.synthetic import SyntheticArticles
from news.demo.tally import Tally


class Command(BaseCommand):
    help = (
        "Build the demo news site (sections, authors, articles, images) under the home "
        "page. Safe to run again: what exists is kept, nothing is added twice. "
        "--articles N adds N synthetic articles for scale work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            metavar="N",
            help="Also add N synthetic live articles (e.g. 10000), spread over the sections.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Synthetic articles written per transaction (default 500).",
        )
        parser.add_argument(
            "--skip-renditions",
            action="store_true",
            help="Do not make image renditions ahead of time (pages make them on first view).",
        )

    def handle(self, *args, articles, batch_size, skip_renditions, **options):
        if articles < 0:
            raise CommandError("--articles must be 0 or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        started = time.monotonic()
        self._check_migrations()
        home = self._home_page()
        tally = Tally()

        self.stdout.write(f"Building the demo site under “{home.title}” ({home.url_path})")
        DemoSiteBuilder(home, tally).build()
        for line in tally.lines(order=("sections", "authors", "images", "tags", "articles")):
            self.stdout.write(f"  {line}")

        if articles:
            self._add_synthetic(home, articles, batch_size, tally)

        if not skip_renditions:
            self._pregenerate_renditions()

        for note in tally.notes:
            self.stdout.write(self.style.WARNING(f"Note: {note}"))
        summary = ", ".join(
            f"{tally.created_count(kind)} {kind}"
            for kind in (
                "sections",
                "authors",
                "articles",
                "synthetic articles",
                "images",
                "comments",
                "mentions",
            )
            if tally.created_count(kind)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.1f} s: "
                + (f"created {summary}." if summary else "nothing new; everything was there.")
            )
        )

    # Preconditions ------------------------------------------------------------------

    def _check_migrations(self):
        connection = connections[router.db_for_write(Page)]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise CommandError(
                f"Cannot read the database ({error}). Check DATABASE_URL (or SQLITE_PATH), "
                "then run `python manage.py migrate` and this command again."
            ) from error
        if pending:
            raise CommandError(
                f"The database is not up to date ({len(pending)} migrations to apply). "
                "Run `python manage.py migrate` first, then this command again."
            )

    def _home_page(self):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site and isinstance(site.root_page.specific, HomePage):
            return site.root_page.specific
        home = HomePage.objects.order_by("path").first()
        if home is None:
            raise CommandError(
                "There is no home page to build the demo under. `python manage.py migrate` "
                "creates one (migration home.0003); if it was deleted, add a “Home page” at "
                "the top of the page tree in the Wagtail admin (/admin/pages/), make it the "
                "default site's root (/admin/sites/), then run this command again."
            )
        return home

    # Steps -------------------------------------------------------------------------

    def _add_synthetic(self, home, count, batch_size, tally):
        self.stdout.write(f"Adding {count} synthetic articles")

        def progress(done, total, elapsed):
            self.stdout.write(f"  articles: {done}/{total} ({elapsed:.0f} s)")

        try:
            SyntheticArticles(home, tally=tally, progress=progress, batch_size=batch_size).run(
                count
            )
        except LookupError as missing:
            raise CommandError(
                f"Cannot add synthetic articles: there are {missing} under “{home.title}”. "
                "Add a section and an author in the admin, or let this command recreate the "
                "demo ones, then run it again."
            ) from missing
        except SectionFull as error:
            raise CommandError(f"{error} Add another section and run the command again.") from error

    def _pregenerate_renditions(self):
        plan = rendition_plan(demo_collection())
        self.stdout.write(f"Making image renditions for {len(plan)} images")

        def progress(done, total, elapsed):
            self.stdout.write(f"  renditions: {done}/{total} images ({elapsed:.0f} s)")

        created, kept, unreadable = pregenerate(plan, progress=progress)
        self.stdout.write(f"  renditions: {created} created, {kept} kept")
        if unreadable:
            self.stdout.write(
                self.style.WARNING(
                    f"  {len(unreadable)} images have no file in the media storage "
                    f"(e.g. “{unreadable[0].title}”): check that MEDIA_ROOT (or the "
                    "bucket) is the one the demo was first loaded with."
                )
            )
