"""Settings from the environment: production refuses to start unsafe, and deploys clean.

Each check runs in a fresh interpreter with a scrubbed environment, the way a server or
container would start it, so nothing from the test run leaks in.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(64)


def run(*args, env=None, settings="cms.settings.production"):
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONDONTWRITEBYTECODE": "1",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra):
    return {
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "news.example,www.news.example",
        # Production requires an https public address (byline.E002, cms/public_address.py).
        "BYLINE_BASE_URL": "https://news.example",
        **extra,
    }


def database_settings(env, settings="cms.settings.production"):
    result = run(
        "-c",
        f"import json, {settings} as s; print(json.dumps(s.DATABASES['default'], default=str))",
        env=env,
        settings=settings,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "env",
    [{}, {"SECRET_KEY": ""}, {"SECRET_KEY": "too-short"}],
    ids=["unset", "empty", "short"],
)
def test_production_refuses_to_start_without_a_secret_key(env):
    result = run("-c", "import cms.settings.production", env={"ALLOWED_HOSTS": "x", **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_manage_py_refuses_to_start_without_a_secret_key():
    result = run("manage.py", "check", env={"ALLOWED_HOSTS": "news.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run("-c", "import cms.settings.production", env={"SECRET_KEY": GOOD_KEY})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


def test_production_settings_are_secure():
    code = (
        "import json, cms.settings.production as s; print(json.dumps({name: getattr(s, name) "
        "for name in ['DEBUG', 'ALLOWED_HOSTS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS']}))"
    )
    result = run("-c", code, env=production_env(DEBUG="true"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,  # never on in production, whatever the environment says
        "ALLOWED_HOSTS": ["news.example", "www.news.example"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_database_url_is_honoured():
    database = database_settings(
        production_env(DATABASE_URL="postgres://byline:s3cret@db.internal:6543/newsroom")
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "newsroom",
        "byline",
        "s3cret",
    )
    assert (database["HOST"], database["PORT"]) == ("db.internal", 6543)
    # SQLite-only options are not passed to PostgreSQL.
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_sqlite_is_the_default_with_wal_for_concurrent_readers(tmp_path):
    database = database_settings(
        production_env(SQLITE_PATH=str(tmp_path / "byline.sqlite3")), settings="cms.settings.dev"
    )
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "byline.sqlite3")
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_migrations_match_the_models():
    result = run(
        "manage.py", "makemigrations", "--check", "--dry-run", settings="cms.settings.test"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def page_cache_prefix(env):
    result = run(
        "-c",
        "import cms.settings.production as s; print(s.CACHES['pages'].get('KEY_PREFIX', ''))",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_servers_on_different_databases_never_share_the_page_cache_files(tmp_path):
    """The file page cache lives in the checkout: the benchmark's servers (demo size and
    10,000 articles) or `make run` beside a copy must not read each other's lookups."""
    one = page_cache_prefix(production_env(DATABASE_URL=f"sqlite:///{tmp_path}/one.sqlite3"))
    other = page_cache_prefix(production_env(DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3"))
    postgres = page_cache_prefix(production_env(DATABASE_URL="postgres://u@db.internal/news"))
    assert len({one, other, postgres}) == 3 and all(p.startswith("db-") for p in (one, other))
    # The web server, the worker and the clock of one deployment share it.
    assert (
        page_cache_prefix(production_env(DATABASE_URL=f"sqlite:///{tmp_path}/one.sqlite3")) == one
    )
