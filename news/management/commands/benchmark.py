"""`manage.py benchmark` (`make bench`): the production configuration measured under load.

Seeds N articles (default 10,000) into the benchmark's own SQLite file (or
DATABASE_URL), starts gunicorn with gunicorn.conf.py and 2 sync workers on
loopback (DEBUG off) with the page cache on, another with it off, and a third
on the demo content alone (the scale comparison), then drives wrk at every
kind of reader page and API response, a trivial view as the floor, in
interleaved rounds. CPU per request is the workers' own CPU time (/proc).
Prints a table, writes JSON and a chart (docs/benchmark/), and a summary of
the goals of issue 12, met or not. The pieces live in cms/bench/.
"""

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.bench import load, report
from cms.bench.database import BenchDatabase, SeedError
from cms.bench.server import REPO, BenchServer, fetch
from cms.bench.targets import discover

DEFAULT_ARTICLES = 10_000
WARM_UP_REQUESTS = 12


class Command(BaseCommand):
    help = (
        "Benchmark the production configuration under load (gunicorn, 2 workers, wrk): "
        "throughput, latency, CPU ms and SQL queries per request, cache on and off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=DEFAULT_ARTICLES, metavar="N", help="Articles (10000)."
        )
        parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds (3).")
        parser.add_argument(
            "--duration", type=int, default=2, help="Seconds of load per URL and round (2)."
        )
        parser.add_argument("--connections", type=int, default=8, help="Connections (8).")
        parser.add_argument(
            "--dir",
            default=str(REPO / ".bench"),
            help="Where the benchmark's databases, media and logs live (.bench/).",
        )
        parser.add_argument(
            "--json", default=str(REPO / "docs/benchmark/latest.json"), help="JSON output."
        )
        parser.add_argument(
            "--chart", default=str(REPO / "docs/benchmark/latest.png"), help="Chart output."
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Skip the demo-size server (and so the scale comparison).",
        )
        parser.add_argument(
            "--only", action="append", default=[], metavar="KEY", help="Measure only these."
        )

    def handle(self, *args, **options):
        for name in ("rounds", "duration", "connections"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be 1 or more.")
        if options["articles"] < 1:
            raise CommandError("--articles (N) must be 1 or more.")
        started = time.monotonic()
        directory = Path(options["dir"]).resolve()
        generator = load.generator_name()
        self._say(
            f"Load generator: {generator}"
            + (
                ""
                if generator == "wrk"
                else " (wrk is not installed: `apt-get install wrk` for real figures)"
            )
        )
        databases = self._databases(directory, options)
        try:
            for database in databases.values():
                database.held = database.prepare(self._say)
            self._say("Collecting static files for the production settings")
            next(iter(databases.values())).collect_static(directory / "static")
        except SeedError as error:
            raise CommandError(str(error)) from error

        servers = self._start_servers(directory, databases)
        try:
            document = self._measure(servers, options, generator, databases)
        finally:
            for server in servers.values():
                server.stop()

        self.stdout.write("")
        self.stdout.write(report.table(document))
        json_path, chart_path = Path(options["json"]), Path(options["chart"])
        report.write_json(document, json_path)
        report.draw_chart(document, chart_path)
        self.stdout.write("")
        met = [goal for goal in document["goals"] if goal["met"]]
        for goal in document["goals"]:
            mark = self.style.SUCCESS("met    ") if goal["met"] else self.style.WARNING("not met")
            self.stdout.write(f"  {mark} {goal['goal']}: {goal['figure']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.0f} s: {len(document['rows'])} rows, "
                f"{len(met)} of {len(document['goals'])} goals met; wrote {json_path} and "
                f"{chart_path}."
            )
        )

    def _say(self, message):
        self.stdout.write(message)
        self.stdout.flush()

    def _databases(self, directory, options):
        articles = options["articles"]
        given = os.environ.get("DATABASE_URL")
        if given:
            main = BenchDatabase(
                f"{articles} articles", articles, given, directory / f"media-{articles}"
            )
        else:
            main = BenchDatabase.sqlite(directory, f"{articles} articles", articles)
        databases = {"main": main}
        if not options["no_demo"] and not given:
            databases["demo"] = BenchDatabase.sqlite(directory, "demo", 0)
        elif given and not options["no_demo"]:
            self._say("DATABASE_URL is set: no demo-size comparison (it would be on SQLite).")
        return databases

    def _start_servers(self, directory, databases):
        static = {"STATIC_ROOT": str(directory / "static")}
        plans = {
            "cached": ("cache on", databases["main"], "1"),
            "uncached": ("cache off", databases["main"], "0"),
        }
        if "demo" in databases:
            plans["demo"] = ("demo, cache off", databases["demo"], "0")
        servers = {}
        for key, (label, database, cache) in plans.items():
            servers[key] = BenchServer(
                label,
                {**database.environment, **static, "BYLINE_PAGE_CACHE": cache},
                directory / f"server-{key}.log",
            ).start()
        try:
            for server in servers.values():
                server.wait_until_serving()
                self._say(
                    f"Started gunicorn ({server.name}) on {server.base_url} in "
                    f"{server.ready_seconds:.1f} s; slowest first response "
                    f"{server.first_response_seconds * 1000:.0f} ms"
                )
        except RuntimeError as error:
            for server in servers.values():
                server.stop()
            raise CommandError(str(error)) from error
        return servers

    def _measure(self, servers, options, generator, databases):
        targets = {}
        for key, server in servers.items():
            found = discover(server.base_url)
            if options["only"]:
                found = [t for t in found if t.key in options["only"] or t.key == "floor"]
            targets[key] = found
        measurements = {
            (key, target.key): report.Measurement()
            for key, found in targets.items()
            for target in found
        }
        # Queries and cache state of a warm request; a few requests warm both workers.
        for key, server in servers.items():
            for target in targets[key]:
                hits = 0
                for attempt in range(WARM_UP_REQUESTS):
                    answer = fetch(server.base_url + target.path)
                    # Each worker keeps its own local-memory cache: warm until hits repeat.
                    hits = hits + 1 if answer.headers.get("X-Byline-Cache") == "hit" else 0
                    if hits == 3 or (key != "cached" and answer.status == 200 and attempt >= 3):
                        break
                if answer.status != 200:
                    raise CommandError(
                        f"{target.path} answered {answer.status} on the {server.name} server."
                    )
                measurement = measurements[(key, target.key)]
                measurement.queries = int(answer.headers.get("X-Byline-Queries", -1))
                measurement.cache = answer.headers.get("X-Byline-Cache")
                measurement.bytes = len(answer.body)

        rounds, seconds = options["rounds"], options["duration"]
        total = rounds * sum(len(found) for found in targets.values())
        self._say(
            f"Measuring {total} runs of {seconds} s ({rounds} rounds, "
            f"{options['connections']} connections): about {total * (seconds + 0.3) / 60:.1f} min"
        )
        done = 0
        for round_number in range(1, rounds + 1):
            for position in range(max(len(found) for found in targets.values())):
                for key, server in servers.items():
                    if position >= len(targets[key]):
                        continue
                    target = targets[key][position]
                    before, offset = server.cpu_seconds(), server.log_size()
                    result = load.drive(
                        server.base_url + target.path, seconds, options["connections"]
                    )
                    server.settle()
                    cpu = server.cpu_seconds() - before
                    served = server.served_since(offset)
                    measurements[(key, target.key)].add(result, cpu, served)
                    done += 1
                    per_request = cpu * 1000 / max(served, 1)
                    self._say(
                        f"[{done:>3}/{total}] round {round_number} {target.label[:28]:28} "
                        f"{server.name:16} {result.per_second:7.1f} req/s "
                        f"{per_request:6.1f} ms CPU"
                        + (f" {result.errors} errors" if result.errors else "")
                    )

        servers_info = {
            key: {
                "label": server.name,
                "ready_seconds": round(server.ready_seconds, 1),
                "first_response_ms": round(server.first_response_seconds * 1000, 1),
                "worker_memory_mb": [round(mb, 1) for mb in server.worker_memory_mb()],
            }
            for key, server in servers.items()
        }
        configs = [
            {
                "key": key,
                "label": server.name,
                "articles": databases["demo" if key == "demo" else "main"].held,
                "page_cache": key == "cached",
            }
            for key, server in servers.items()
        ]
        settings = {
            "articles": options["articles"],
            "rounds": rounds,
            "duration_seconds": seconds,
            "connections": options["connections"],
            "workers": 2,
            "generator": generator,
            "server": "gunicorn (gunicorn.conf.py, sync workers, DEBUG off, SQLite)"
            if not os.environ.get("DATABASE_URL")
            else "gunicorn (gunicorn.conf.py, sync workers, DEBUG off)",
        }
        return report.build(targets, configs, measurements, servers_info, settings)
