"""The load generator: wrk when it is installed, else a small Python one.

wrk (``apt-get install wrk``; ``.ci/run`` installs it) is the real thing: an
event loop in C that keeps ``connections`` requests in flight and costs the
server's CPUs little. Where it is missing, ``python_load`` keeps the same
number of requests in flight from threads; its throughput figures are then
lower-bound estimates (the client competes for the CPU and the GIL), which
the report says.
"""

import http.client
import json
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .server import PROXY_HEADERS

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0


def generator_name():
    return "wrk" if shutil.which("wrk") else "python"


def drive(url, seconds, connections):
    """Keep ``connections`` requests to ``url`` in flight for ``seconds``."""
    if generator_name() == "wrk":
        return wrk_load(url, seconds, connections)
    return python_load(url, seconds, connections)


def wrk_load(url, seconds, connections):
    # One wrk thread: its event loop keeps 8 connections busy and leaves the
    # second core to the server.
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(WRK_SCRIPT),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    return LoadResult(
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=sum(summary["errors"].values()),
    )


def _percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def python_load(url, seconds, connections):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors = [], [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        own, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            try:
                connection.request("GET", path, headers=PROXY_HEADERS)
                answer = connection.getresponse()
                answer.read()
                failed += answer.status >= 400
            except OSError:
                failed += 1
            finally:
                connection.close()
            own.append(time.perf_counter() - started)
        with lock:
            latencies.extend(own)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if not latencies:
        return LoadResult(0, elapsed, 0.0, 0.0, errors[0])
    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        errors=errors[0],
    )
