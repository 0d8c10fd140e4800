"""The benchmark's databases: seeded once, reused while their article count matches.

Each database is a SQLite file of its own under the benchmark directory
(``bench-<N>.sqlite3`` with its media in ``media-<N>/``), never the site's
``db.sqlite3``; ``DATABASE_URL`` names another database instead (which is
seeded up to N articles but never deleted). Seeding runs the project's own
commands (``migrate``, ``load_demo_content``) in a subprocess with the
database's environment.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .server import REPO

COUNT_ARTICLES = "from news.models import ArticlePage; print(ArticlePage.objects.live().count())"


class SeedError(RuntimeError):
    pass


@dataclass
class BenchDatabase:
    label: str
    articles: int  # how many live articles it should hold; 0 for the demo content alone
    url: str
    media_root: Path
    own_file: Path | None = None  # a file the benchmark made and may recreate
    held: int = 0  # live articles after prepare()

    @classmethod
    def sqlite(cls, directory, label, articles):
        suffix = "demo" if articles == 0 else str(articles)
        path = Path(directory).resolve() / f"bench-{suffix}.sqlite3"
        return cls(
            label, articles, f"sqlite:///{path}", path.parent / f"media-{suffix}", own_file=path
        )

    @property
    def environment(self):
        return {"DATABASE_URL": self.url, "MEDIA_ROOT": str(self.media_root)}

    def _manage(self, *arguments, capture=False, static_root=None):
        env = {**_clean_environment(), **self.environment}
        if static_root:
            env["STATIC_ROOT"] = str(static_root)
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SeedError(
                f"`manage.py {' '.join(arguments)}` failed for the {self.label} database "
                f"({self.url}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
        return result.stdout if capture else None

    def count(self):
        return int(self._manage("shell", "-c", COUNT_ARTICLES, capture=True).split()[-1])

    def prepare(self, progress):
        """Migrate and seed until the database holds the articles asked for."""
        if self.own_file is not None:
            self.own_file.parent.mkdir(parents=True, exist_ok=True)
        self._manage("migrate", "--noinput", "--verbosity", "0")
        current = self.count()
        wanted = self.articles
        # The demo database holds the demo content alone (a few dozen articles).
        matches = current == wanted if wanted else 0 < current < 100
        if matches:
            progress(f"{self.label}: reusing {current} articles in {self.url}")
            return current
        if current and (current > wanted or not wanted):
            if self.own_file is None:
                raise SeedError(
                    f"{self.url} holds {current} articles, more than N={wanted}. "
                    f"Run with N={current}, or point DATABASE_URL at an empty database."
                )
            progress(f"{self.label}: {current} articles, not {wanted or 'the demo'}; reseeding")
            for path in self.own_file.parent.glob(self.own_file.name + "*"):
                path.unlink()
            self._manage("migrate", "--noinput", "--verbosity", "0")
        progress(f"{self.label}: seeding the demo content into {self.url}")
        self._manage("load_demo_content")
        current = self.count()
        if wanted > current:
            progress(f"{self.label}: adding {wanted - current} articles (a few minutes)")
            self._manage("load_demo_content", "--articles", str(wanted - current))
            current = self.count()
        progress(f"{self.label}: {current} articles")
        return current

    def collect_static(self, static_root):
        # Production settings serve hashed static file names from a manifest.
        self._manage("collectstatic", "--noinput", "--verbosity", "0", static_root=static_root)


def _clean_environment():
    env = dict(os.environ)
    # The seeding commands run with the project's default settings, whatever the
    # benchmark's own process was started with.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env
