"""README "Deployment" and "Configuration" stay true to the code and to what the tests start."""

import re
from pathlib import Path

from tests.readme_support import read_readme

REPO = Path(__file__).resolve().parent.parent
README = read_readme()
# os.environ.get("X"), os.environ["X"], os.getenv("X"), env_bool("X"), env_list("X")
_READS = re.compile(
    r"""(?:environ\.get|environ\[|getenv|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# Read by the tooling rather than configuring a site.
NOT_SETTINGS = {"DJANGO_AUTORELOAD_ENV", "RUN_MAIN", "PYTEST_XDIST_WORKER"}


def settings_sources():
    """Where a site's configuration is read: settings, gunicorn and the runtime code."""
    yield from sorted((REPO / "cms" / "settings").glob("*.py"))
    yield REPO / "gunicorn.conf.py"
    for folder in ("cms", "news", "home", "authors", "plugins"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if "settings" not in path.parts and "tests" not in path.parts:
                yield path


def variables_read():
    found = {}
    for path in settings_sources():
        for name in _READS.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, path.relative_to(REPO))
    return found


def test_every_environment_variable_the_code_reads_is_documented():
    found = variables_read()
    assert {"DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "SECRET_KEY"} <= set(found)
    undocumented = {
        name: str(path)
        for name, path in found.items()
        if name not in NOT_SETTINGS and not re.search(rf"`{name}[`=]", README)
    }
    assert not undocumented, f"add these to README's Configuration table: {undocumented}"


def test_the_scaled_out_layout_is_the_one_the_test_starts():
    procfile = (REPO / "Procfile.scaled").read_text()
    names = [line.split(":", 1)[0] for line in procfile.splitlines() if line[:1].isalpha()]
    assert names == ["web-a", "web-b", "worker-1", "worker-2", "clock-1", "clock-2"]
    assert "Procfile.scaled" in README and "tests/test_scaled_out.py" in README
    source = (REPO / "tests" / "test_scaled_out.py").read_text()
    assert "Procfile.scaled" in source and "start_from_procfile" in source
    for command in ("run_worker", "run_clock", "gunicorn --config gunicorn.conf.py cms.wsgi"):
        assert command in procfile and command in README


def test_the_deployment_commands_exist():
    commands = {path.stem for path in REPO.glob("cms/ops/management/commands/*.py")}
    assert {"backup", "restore", "bench_search"} <= commands
    for command in ("manage.py backup --output", "manage.py restore", "manage.py bench_search"):
        assert command in " ".join(README.split())
