"""The services a scaled-out Byline uses, for the tests that start them for real.

PostgreSQL, Redis and an S3-compatible server (moto in server mode) on this
machine's loopback. Each test module gets a database of its own (created and
dropped here), a Redis database it flushes, and a moto server of its own.

Where PostgreSQL or Redis is not reachable (a laptop without them), the tests
that need them skip with the reason; with BYLINE_REQUIRE_SERVICES=1 (what
.ci/run sets) they fail instead, so CI cannot skip them silently.

- BYLINE_TEST_POSTGRES: the server, e.g. postgres://postgres@127.0.0.1:5432
  (default); a database name in it is ignored.
- BYLINE_TEST_REDIS_URL: the Redis database the tests may flush
  (default redis://127.0.0.1:6379/7).
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.runtime_support import free_port
from tests.runtime_support import manage as run_manage

REPO = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = os.environ.get("BYLINE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BYLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
REQUIRED = os.environ.get("BYLINE_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def postgres_url(database):
    parts = urlsplit(POSTGRES_SERVER)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


def _postgres_problem():
    try:
        import psycopg

        with psycopg.connect(postgres_url("postgres"), connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL is not reachable at {POSTGRES_SERVER} ({type(exc).__name__}: {exc})"


def _redis_problem():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        return None
    except Exception as exc:
        return f"Redis is not reachable at {REDIS_URL} ({type(exc).__name__}: {exc})"


def _moto_problem():
    if shutil.which("moto_server", path=str(Path(sys.executable).parent)) is None:
        return "moto_server is not installed (pip install -r requirements-test.txt)"
    return None


def require(*services):
    """Skip (or, with BYLINE_REQUIRE_SERVICES=1, fail) unless every service answers.

    `services`: any of "postgres", "redis", "s3".
    """
    checks = {"postgres": _postgres_problem, "redis": _redis_problem, "s3": _moto_problem}
    problems = [problem for name in services if (problem := checks[name]())]
    if not problems:
        return
    reason = "; ".join(problems)
    if REQUIRED:
        pytest.fail(f"{reason} (BYLINE_REQUIRE_SERVICES is set, so this is an error)")
    pytest.skip(reason)


@contextlib.contextmanager
def temporary_postgres_database(prefix="byline_test"):
    """A new, empty PostgreSQL database's URL; the database is dropped afterwards."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name)
    finally:
        with psycopg.connect(postgres_url("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class MotoServer:
    """moto's S3 in server mode on a loopback port, with public-read buckets."""

    region = "us-east-1"
    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

    def __init__(self, log_path):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._log = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self._process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "moto_server"),
                "-H",
                "127.0.0.1",
                "-p",
                str(self.port),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_for_url(f"{self.endpoint}/moto-api/", timeout=30, process=self._process)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.credentials["AWS_SECRET_ACCESS_KEY"],
        )

    def create_public_bucket(self, name):
        """A bucket anyone may read from (as media behind a CDN are), not write to."""
        client = self.client()
        client.create_bucket(Bucket=name)
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{name}/*",
                }
            ],
        }
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
        return name

    def keys(self, bucket):
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def media_env(self, bucket):
        """The settings environment that stores media in `bucket`, served from here."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": self.region,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_CUSTOM_DOMAIN": f"127.0.0.1:{self.port}/{bucket}",
            "AWS_S3_URL_PROTOCOL": "http:",
            **self.credentials,
        }

    def stop(self):
        stop_process(self._process)
        self._log.close()


def wait_for_url(url, *, timeout, process=None, headers=None):
    """Wait until `url` answers (any HTTP status); fail early if `process` died."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process serving {url} exited with {process.returncode}")
        try:
            request = urllib.request.Request(url, headers=headers or {})
            urllib.request.urlopen(request, timeout=15).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def stop_process(process, timeout=20):
    """SIGTERM (a graceful stop for gunicorn, workers and clocks), then SIGKILL."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def process_env(**settings):
    """The environment of a Byline process: this one's, minus what tests and the Makefile set."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    for inherited in (
        "DATABASE_URL",
        "BYLINE_BASE_URL",
        "REDIS_URL",
        "SQLITE_PATH",
        "MEDIA_ROOT",
        "AWS_STORAGE_BUCKET_NAME",
    ):
        env.pop(inherited, None)
    env["PYTHONUNBUFFERED"] = "1"
    env.update({key: str(value) for key, value in settings.items()})
    return env


def manage(*args, env, timeout=600):
    """Run a manage.py command; its output, or an error that shows it."""
    result = run_manage(*args, env=env, timeout=timeout, check=False)
    if result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited with {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout
