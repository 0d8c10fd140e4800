"""The production web server under test: gunicorn, ``gunicorn.conf.py``, 2 sync workers.

Each ``BenchServer`` listens on its own loopback port with its own
environment (database, page cache on or off). The workers' CPU time and
resident memory are read from ``/proc``, so the figures are the server's
own work, not the load generator's.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# Loopback requests stand for requests a TLS proxy forwarded: production settings
# redirect plain http to https otherwise.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# What a fresh worker's first readers ask for (see cms/warmup.py).
FIRST_PATHS = ("/", "/api/v2/articles/?limit=1", "/sitemap.xml")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float


def fetch(url, timeout=30):
    """One GET with the proxy headers; any status is an answer, not an exception."""
    request = urllib.request.Request(url, headers=PROXY_HEADERS)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, headers, body = answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    return Response(status, headers, body, time.perf_counter() - started)


@dataclass
class BenchServer:
    """One gunicorn master with its workers, configured by ``environment``."""

    name: str
    environment: dict
    log_path: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    ready_seconds: float | None = None
    first_response_seconds: float | None = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        env = {
            **os.environ,
            **self.environment,
            "DJANGO_SETTINGS_MODULE": "cms.bench.settings",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "BYLINE_BASE_URL": f"https://127.0.0.1:{self.port}",
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
        }
        env.pop("DEBUG", None)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(REPO / "gunicorn.conf.py"),
            # Workers are not recycled during a run: their CPU counters must cover it.
            "--max-requests",
            "0",
            # Several servers run side by side: no shared control socket.
            "--no-control-socket",
            "cms.wsgi",
        ]
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        return self

    def wait_until_serving(self, probe_path="/bench/floor/", timeout=180):
        """Wait for the first answer of the trivial view; then time the first front page,
        API listing and sitemap index, which cold workers answer slowly (they import
        and compile what those need on first use) unless they warmed up first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"The {self.name} server stopped while starting (exit status "
                    f"{self.process.returncode}); its log is {self.log_path}."
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
            except OSError:
                time.sleep(0.1)
                continue
            answer = fetch(self.base_url + probe_path, timeout=timeout)
            if answer.status != 200:
                raise RuntimeError(
                    f"The {self.name} server answered {answer.status} for {probe_path}; "
                    f"its log is {self.log_path}."
                )
            self.ready_seconds = time.monotonic() - self.started_at
            firsts = [fetch(self.base_url + path, timeout=timeout) for path in FIRST_PATHS]
            self.first_response_seconds = max(first.seconds for first in firsts)
            return self
        raise RuntimeError(f"The {self.name} server did not answer within {timeout} s.")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self):
        """User + system CPU time of the current workers, in seconds."""
        total = 0
        for pid in self.worker_pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            # Fields after the command name, which may itself contain spaces.
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / CLOCK_TICKS

    def worker_memory_mb(self):
        """Resident memory of each worker, in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def settle(self, timeout=15.0, quiet=0.5):
        """Wait until the workers stop using CPU (none for ``quiet`` seconds): requests
        the load generator gave up on at the end of a run are still being answered,
        and are part of its cost."""
        deadline = time.monotonic() + timeout
        previous, still_since = self.cpu_seconds(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            current = self.cpu_seconds()
            if current != previous:
                previous, still_since = current, time.monotonic()
            elif time.monotonic() - still_since >= quiet:
                return

    def log_size(self):
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def served_since(self, offset):
        """Requests the workers answered since ``offset`` in the log (gunicorn's access
        log, one line per request): the server's own count, which includes requests
        the load generator stopped waiting for."""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return sum(1 for line in log if b'"GET /' in line)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
