"""`manage.py benchmark`: time and count queries for reader pages and API responses.

Runs in-process with Django's test client against the current database, so
load demo content first (`manage.py load_demo_content --articles 10000` for a
scale run). Prints one row per URL: median and 95th percentile time, and SQL
queries per request.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from authors.models import Author
from cms.visibility import visible
from news.models import ArticlePage, NewsIndexPage


def _percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Measure response time and SQL queries of reader pages and API endpoints."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Requests per URL (20).")
        parser.add_argument("--url", action="append", default=[], help="Measure only these.")

    def handle(self, *args, requests, url, **options):
        if requests < 1:
            raise CommandError("--requests must be 1 or more.")
        urls = url or self._default_urls()
        client = Client(HTTP_HOST="localhost")
        total = ArticlePage.objects.live().count()
        self.stdout.write(f"{total} live articles; {requests} requests per URL after one warm-up.")
        header = f"{'URL':58} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
        self.stdout.write(header)
        for index, path in enumerate(urls, 1):
            response = client.get(path)  # warm-up: renditions, caches
            timings = []
            with CaptureQueriesContext(connection) as queries:
                for _ in range(requests):
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
            per_request = len(queries.captured_queries) / requests
            self.stdout.write(
                f"{path[:58]:58} {response.status_code:>6} {statistics.median(timings):>10.1f} "
                f"{_percentile(timings, 0.95):>8.1f} {per_request:>8.1f}"
            )
            self.stderr.write(f"  [{index}/{len(urls)}]", ending="\r")
        self.stdout.write(self.style.SUCCESS(f"Measured {len(urls)} URLs."))

    def _default_urls(self):
        # Pages readers can open now: a scheduled article would measure a 404.
        article = ArticlePage.objects.visible().order_by("-publication_date").first()
        section = visible(NewsIndexPage.objects.all()).first()
        author = Author.objects.order_by("pk").first()
        tag = Tag.objects.order_by("pk").first()
        if not (article and section and author and tag):
            raise CommandError(
                "No content to measure. Run `python manage.py load_demo_content` first "
                "(add --articles 10000 for a scale run)."
            )
        return [
            "/",
            section.url,
            f"{section.url}?page=50",
            article.url,
            f"/tags/{tag.slug}/",
            f"/authors/{author.slug}/",
            "/search/?q=council",
            "/feed/",
            "/sitemap.xml",
            "/api/v2/pages/?type=news.ArticlePage&fields=*&limit=20",
            f"/api/v2/pages/{article.pk}/",
            "/api/v2/authors/",
            "/api/v3/pages/?type=news.ArticlePage&limit=20",
            f"/api/v3/pages/{article.pk}/",
        ]
