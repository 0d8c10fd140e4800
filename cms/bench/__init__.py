"""`make bench`: the production configuration measured from outside under load.

The pieces, in the order a run uses them:

- ``database``: the benchmark's own SQLite files (or ``DATABASE_URL``), seeded
  with N articles once and reused while the count matches;
- ``server``: gunicorn with ``gunicorn.conf.py`` and 2 sync workers on
  loopback, DEBUG off, and the workers' CPU time and memory from ``/proc``;
- ``settings`` and ``urls``: production settings plus a trivial view (the
  floor) and an ``X-Byline-Queries`` header, only ever loaded by the benchmark;
- ``targets``: the pages and API responses to measure, found through the API;
- ``load``: wrk (or a small Python load generator where wrk is not installed);
- ``report``: the table, the JSON and the chart, and the goals met or not.
"""
