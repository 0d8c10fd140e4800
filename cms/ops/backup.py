"""Backups of a whole site: its content and its media, and restoring them into an empty site.

A backup is a directory:

- ``content.exactjson.gz``: every row of content (pages and their revisions, images,
  documents, authors, users and their permissions, API tokens, comments,
  redirects, settings...) from Django's ``dumpdata``, ids kept, so it loads into
  any database, SQLite or PostgreSQL. Left out is what the site rebuilds or does
  not need back: the search index (rebuilt by ``restore``), sessions, sign-in
  lockouts, task results and the clock's and workers' records.
- ``media.tar.gz``: every file in the media storage (originals, renditions,
  documents), read through Django's storage API, so local disk and S3 buckets
  are backed up and restored the same way.
- ``manifest.json``: when and from what it was made, the migrations applied,
  and the counts, checked before anything is restored.

Restoring needs an empty database and an empty media storage (or ``replace``):
it migrates, loads the content, writes the media files under their own names
and rebuilds the search index.
"""

import gzip
import json
import posixpath
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import serializer

FORMAT = 1
CONTENT = f"content.{serializer.FORMAT}.gz"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"

# Rebuilt, recreated or not worth keeping (see the module docstring); by app label or model.
EXCLUDED_APPS = {"sessions", "axes", "django_tasks_database", "runtime"}
EXCLUDED_MODELS = {
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
}


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass
class Summary:
    objects: int = 0
    media_files: int = 0
    media_bytes: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)


def excluded_labels():
    """`dumpdata --exclude` arguments for this project's installed models."""
    labels = sorted(EXCLUDED_APPS & {config.label for config in apps.get_app_configs()})
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in EXCLUDED_MODELS and model._meta.app_label not in EXCLUDED_APPS:
            labels.append(label)
    return labels


def applied_migrations(using=DEFAULT_DB_ALIAS):
    recorder = MigrationRecorder(connections[using])
    applied = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def storage_files(storage=None, directory=""):
    """Every file name in `storage` under `directory`, depth first."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # local media folder not made yet: nothing stored
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for name in sorted(directories):
        yield from storage_files(storage, posixpath.join(directory, name) if directory else name)


def create_backup(directory, *, progress=lambda message: None, using=DEFAULT_DB_ALIAS):
    """Write a backup of the database `using` and the media storage into `directory`."""
    started = time.monotonic()
    serializer.register()
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; give a new or empty directory.")
    target.mkdir(parents=True, exist_ok=True)
    summary = Summary()

    progress("Dumping the content…")
    call_command(
        "dumpdata",
        format=serializer.FORMAT,
        natural_foreign=True,
        exclude=excluded_labels(),
        output=str(target / CONTENT),
        database=using,
        verbosity=0,
    )
    with gzip.open(target / CONTENT, "rt", encoding="utf-8") as handle:
        summary.objects = len(json.load(handle))
    progress(f"  {summary.objects} objects")

    progress("Archiving the media files…")
    with tarfile.open(target / MEDIA, "w:gz") as archive:
        for name in storage_files():
            size = default_storage.size(name)
            info = tarfile.TarInfo(name)
            info.size = size
            with default_storage.open(name, "rb") as handle:
                archive.addfile(info, handle)
            summary.media_files += 1
            summary.media_bytes += size
            if summary.media_files % 200 == 0:
                progress(f"  {summary.media_files} files")
    progress(f"  {summary.media_files} files, {summary.media_bytes / 1024**2:.1f} MB")

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connections[using].vendor,
        "migrations": applied_migrations(using),
        "objects": summary.objects,
        "media_files": summary.media_files,
        "media_bytes": summary.media_bytes,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    summary.seconds = time.monotonic() - started
    return summary


def read_manifest(directory):
    source = Path(directory)
    missing = [name for name in (MANIFEST, CONTENT, MEDIA) if not (source / name).is_file()]
    if missing:
        raise BackupError(
            f"{source} is not a Byline backup (missing {', '.join(missing)}); "
            "give the directory `manage.py backup --output` wrote."
        )
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except ValueError as exc:
        raise BackupError(f"{source / MANIFEST} is not valid JSON ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{source} is a backup in format {manifest.get('format')!r}; "
            f"this version restores format {FORMAT}."
        )
    return manifest


def newer_migrations(manifest, using=DEFAULT_DB_ALIAS):
    """Migrations the backup's site had that this code does not know: a newer release's."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(connections[using], ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )


def site_content_counts(using=DEFAULT_DB_ALIAS):
    """What makes a database not empty: users, and pages beyond the two migrations make."""
    from wagtail.models import Page

    users = get_user_model().objects.using(using).count()
    pages = Page.objects.using(using).count()
    return users, pages


def restore_backup(
    directory, *, replace=False, progress=lambda message: None, using=DEFAULT_DB_ALIAS
):
    """Restore the backup in `directory` into the database `using` and the media storage."""
    started = time.monotonic()
    serializer.register()
    source = Path(directory)
    manifest = read_manifest(source)
    unknown = newer_migrations(manifest, using)
    if unknown:
        raise BackupError(
            "The backup comes from a newer release (migrations "
            f"{', '.join(unknown[:5])}{'…' if len(unknown) > 5 else ''} are unknown here); "
            "restore it with that release's code."
        )

    progress("Migrating the database…")
    call_command("migrate", interactive=False, database=using, verbosity=0)
    users, pages = site_content_counts(using)
    if (users or pages > 2) and not replace:
        raise BackupError(
            f"The database already holds a site ({users} users, {pages} pages); restore into "
            "an empty database, or pass --replace to delete everything in it first."
        )
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        names = [member.name for member in archive.getmembers() if member.isfile()]
    existing = [name for name in names if default_storage.exists(name)]
    if existing and not replace:
        raise BackupError(
            f"The media storage already holds {len(existing)} of the backup's files "
            f"(e.g. {existing[0]}); restore into an empty storage, or pass --replace."
        )

    summary = Summary()
    progress("Loading the content…")
    # Emptied without making content types and permissions again: the backup's own
    # come back with their ids, which permissions and generic relations refer to.
    call_command("flush", interactive=False, database=using, verbosity=0, inhibit_post_migrate=True)
    call_command("loaddata", str(source / CONTENT), database=using, verbosity=0)
    # What this release has and the backup's did not (content types, permissions).
    emit_post_migrate_signal(0, False, using)
    summary.objects = manifest["objects"]
    progress(f"  {summary.objects} objects")

    progress("Writing the media files…")
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            if replace and default_storage.exists(member.name):
                default_storage.delete(member.name)
            saved = default_storage.save(member.name, File(archive.extractfile(member)))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}; the storage is not empty.")
            summary.media_files += 1
            summary.media_bytes += member.size
            if summary.media_files % 200 == 0:
                progress(f"  {summary.media_files} files")
    progress(f"  {summary.media_files} files, {summary.media_bytes / 1024**2:.1f} MB")

    progress("Rebuilding the search index…")
    call_command("update_index", verbosity=0)
    summary.seconds = time.monotonic() - started
    return summary
