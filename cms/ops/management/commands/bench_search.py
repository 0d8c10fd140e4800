"""`manage.py bench_search`: median and p95 time of the search page and API search here.

Runs in this process through Django's test client on the configured database (seed
it first: `manage.py load_demo_content --articles 100000`), with the page cache off,
so every request searches. For each query: a warm-up request, then `--requests`
timed ones, for `/search/`, `/api/v2/articles/?search=` and `/api/v3/articles/?search=`.
The figures are wall-clock times of whole requests, SQL queries per request beside them.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from news.models import ArticlePage

# A common word, a rare one, two words, a phrase, a filter, newest first.
QUERIES = [
    "q=council",
    "q=harbour",
    "q=ferry+strike",
    "q=%22city+council%22",
    "q=council&order=date",
    "q=zebra",
]
SURFACES = {
    "page": "/search/?{query}",
    "api v2": "/api/v2/articles/?search={query_v2}",
    "api v3": "/api/v3/articles/?search={query_v2}",
}


def api_query(query):
    """The page's query string in the APIs' words: `q` is `search`, `order=date` newest first."""
    words, _, rest = query.partition("&")
    rest = rest.replace("order=date", "order=-publication_date")
    return words[2:] + (f"&{rest}" if rest else "")


def _allowed_host():
    """A host name the settings accept (the test client's `testserver` rarely is)."""
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


class Command(BaseCommand):
    help = "Time the search page and API search on this database (p50 and p95, in ms)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Timed requests per URL.")
        parser.add_argument(
            "--grow-to",
            type=int,
            metavar="N",
            help="PostgreSQL only: first copy the articles already there (written by "
            "load_demo_content) in SQL until N live articles exist (cms/bench/search_seed.py).",
        )

    def handle(self, *args, requests, grow_to=None, **options):
        if requests < 1:
            raise CommandError("--requests must be 1 or more.")
        if grow_to:
            self._grow(grow_to)
        articles = ArticlePage.objects.live().count()
        self.stdout.write(
            f"{articles} live articles on {connection.vendor}; {requests} requests per URL"
        )
        client = Client(HTTP_HOST=_allowed_host())
        all_times = {surface: [] for surface in SURFACES}
        with override_settings(BYLINE_PAGE_CACHE=False):
            for query in QUERIES:
                for surface, pattern in SURFACES.items():
                    url = pattern.format(query=query, query_v2=api_query(query))
                    times, queries, status = self._measure(client, url, requests)
                    all_times[surface] += times
                    self.stdout.write(
                        f"  {surface:7} {url:60} {status} p50 {statistics.median(times):7.1f} ms"
                        f"  p95 {self._p95(times):7.1f} ms  {queries} queries"
                    )
        for surface, times in all_times.items():
            self.stdout.write(
                self.style.SUCCESS(
                    f"{surface}: p50 {statistics.median(times):.1f} ms, "
                    f"p95 {self._p95(times):.1f} ms over {len(times)} requests "
                    f"at {articles} articles"
                )
            )

    def _grow(self, target):
        from cms.bench.search_seed import grow_articles

        if connection.vendor != "postgresql":
            raise CommandError(
                "--grow-to copies articles in PostgreSQL; this is " + connection.vendor
            )
        started = time.perf_counter()
        try:
            count = grow_articles(target, progress=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{count} live articles after {time.perf_counter() - started:.0f} s of copying"
        )

    def _measure(self, client, url, requests):
        client.get(url)  # warm-up: connection, templates, PostgreSQL's plan cache
        times = []
        with CaptureQueriesContext(connection) as captured:
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        return times, len(captured) // requests, response.status_code

    @staticmethod
    def _p95(times):
        ordered = sorted(times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
